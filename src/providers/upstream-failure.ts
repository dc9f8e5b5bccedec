import { GatewayError, internalError } from '../errors/index.ts';
import { ProviderError } from './provider-error.ts';

/**
 * Whether a failed attempt was the upstream's doing: it could not be reached, reset, timed out,
 * or answered with an error status. Only these may count against a breaker or move a request to
 * another model; anything else failed inside the gateway and is the request's own error.
 */
export function isUpstreamFailure(error: unknown): error is ProviderError {
  return error instanceof ProviderError && error.kind !== 'aborted';
}

/**
 * The gateway failed on its own side of an upstream call (a bug, or an answer it could not handle
 * locally): a 500 for this request only — not retried, not a fallback, not a breaker failure.
 */
export function gatewayFault(cause: unknown): GatewayError {
  return internalError(cause);
}

/** Serializes an upstream request body; a failure is the request's 400, never a network error. */
export function serializeUpstreamBody(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    throw new GatewayError(
      'invalid_request_body',
      'The request could not be serialized for the upstream (too deeply nested or not representable as JSON).',
      { cause: error },
    );
  }
}
