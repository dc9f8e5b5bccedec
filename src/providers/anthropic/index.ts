export {
  anthropicErrorMap,
  anthropicErrors,
  parseAnthropicErrorEnvelope,
} from './anthropic-error-map.ts';
export { toAnthropicOutputSchema } from './anthropic-output-schema.ts';
export { type AnthropicProviderOptions, createAnthropicProvider } from './anthropic-provider.ts';
export type { AnthropicRequest } from './anthropic-wire.ts';
export {
  convertAnthropicMessage,
  convertAnthropicUsage,
  mapAnthropicStopReason,
} from './convert-anthropic-message.ts';
export { convertToAnthropic, convertToAnthropicRequest } from './convert-to-anthropic-request.ts';
