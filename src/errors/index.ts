export {
  type ErrorCode,
  errorCodeTable,
  type OpenAIErrorType,
  openAIErrorTypes,
} from './error-codes.ts';
export { type ErrorEnvelope, errorEnvelope, errorFrame } from './error-envelope.ts';
export {
  GatewayError,
  internalError,
} from './gateway-error.ts';
export { isRetryableStatus, parseRetryAfter } from './parse-retry-after.ts';
