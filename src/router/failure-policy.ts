import type { GatewayError } from '../errors/index.ts';
import { ProviderError } from '../providers/index.ts';

/**
 * How the router reads a failed attempt: may it go to the next model, does it count against the
 * model's breaker, what reason do the metrics give, and the errors the router raises itself.
 */
/** Client errors (400, 413, 422) are the request's fault: another model would fail the same way. */
export function canFallBack(error: GatewayError): boolean {
  return error.isRetryable || isMisconfigured(error);
}

/**
 * Failures that say the deployment is unwell or misconfigured (bad key, unknown model). Only
 * upstream failures count: a request the gateway refused itself says nothing about the model.
 */
export function countsAgainstBreaker(error: GatewayError): boolean {
  return error.isRetryable || isMisconfigured(error);
}

/** The upstream refused our key (sent on as 502 `upstream_auth_error`) or does not know the model. */
function isMisconfigured(error: GatewayError): boolean {
  const status =
    error instanceof ProviderError ? (error.upstreamStatus ?? error.status) : error.status;
  return status === 401 || status === 403 || status === 404;
}

export function failureReason(error: GatewayError): string {
  if (error instanceof ProviderError) {
    return error.kind === 'upstream' ? String(error.status) : error.kind;
  }
  return String(error.status);
}

export function timeoutError(provider: string): ProviderError {
  return new ProviderError('The request ran out of time before an upstream answered.', {
    provider,
    kind: 'timeout',
  });
}

export function abortedError(provider: string, signal: AbortSignal): ProviderError {
  return new ProviderError('The request was aborted by the client', {
    provider,
    kind: 'aborted',
    cause: signal.reason,
  });
}

/** setTimeout that also ends when the signal aborts, so a client that left frees its slot. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

export function wrapUnknown(error: unknown, provider: string): ProviderError {
  return new ProviderError('The upstream call failed unexpectedly.', {
    provider,
    kind: 'connection',
    cause: error,
  });
}
