import type { OpenAIErrorType } from '../../errors/index.ts';

/** What a vendor's error body says, once parsed. */
export interface UpstreamErrorDetails {
  message?: string | undefined;
  code?: string | null | undefined;
  type?: string | null | undefined;
  param?: string | null | undefined;
}

export type ErrorEnvelopeParser = (parsed: unknown) => UpstreamErrorDetails | undefined;

/** An upstream's non-2xx answer (or in-stream error event) as the error-mapping table sees it. */
export interface UpstreamFailure {
  readonly status: number;
  readonly details: UpstreamErrorDetails | undefined;
}

/** What the client gets instead of the upstream's own status, type and code. */
export interface MappedError {
  readonly status: number;
  readonly type: OpenAIErrorType;
  readonly code: string;
  readonly param?: string;
  readonly isRetryable: boolean;
  /** `Retry-After` (seconds) to send when the upstream gave none. */
  readonly retryAfterSeconds?: number;
  /**
   * Replaces the message: the upstream's (`upstreamMessage`, may be empty) describes the gateway's
   * own key, or needs the words clients match on.
   */
  readonly message?: (providerId: string, status: number, upstreamMessage: string) => string;
}

interface ErrorMapRule {
  /** Names the case in docs and tests: `context overflow`, `overloaded`, … */
  readonly name: string;
  readonly when: (failure: UpstreamFailure) => boolean;
  readonly to: MappedError;
}

/** A provider's error-mapping table, first match wins; a failure no rule matches keeps its own. */
export type ErrorMap = readonly ErrorMapRule[];

/** How one wire words its errors, and how they are mapped for clients. */
export interface UpstreamErrorWire {
  readonly parse: ErrorEnvelopeParser;
  readonly map: ErrorMap;
}

export function mapUpstreamError(map: ErrorMap, failure: UpstreamFailure): MappedError | undefined {
  for (const rule of map) {
    if (rule.when(failure)) {
      return rule.to;
    }
  }
  return undefined;
}

/**
 * 400 `context_length_exceeded`, param `messages`: the name OpenAI, its SDKs and LangChain know.
 * The message says "maximum context length" too: clients that only see the message (LangChain's
 * `ContextOverflowError` check reads the openai SDK's error text) match on those words.
 */
export const contextLengthExceeded: MappedError = {
  status: 400,
  type: 'invalid_request_error',
  code: 'context_length_exceeded',
  param: 'messages',
  isRetryable: false,
  message: (providerId, status, upstreamMessage) =>
    `The prompt is over the model's maximum context length (context_length_exceeded): ${providerId} answered ${status}${upstreamMessage ? `: ${upstreamMessage.slice(0, 500)}` : ''}`,
};

/** 503 `overloaded` with a Retry-After: clients back off and retry as for any 503. */
export const overloaded: MappedError = {
  status: 503,
  type: 'server_error',
  code: 'overloaded',
  isRetryable: true,
  retryAfterSeconds: 2,
};

/** 429 stays 429; the upstream's Retry-After is kept (read into `retryAfterMs`). */
export const rateLimited: MappedError = {
  status: 429,
  type: 'rate_limit_error',
  code: 'rate_limit_exceeded',
  isRetryable: true,
};

/**
 * The upstream refused the gateway's own key: 502, because the client's key is not the problem
 * and a 401 would send the client to check its own. Not retried on the same model (the key will
 * not change), but another model may serve the request.
 */
export const upstreamAuthError: MappedError = {
  status: 502,
  type: 'api_error',
  code: 'upstream_auth_error',
  isRetryable: false,
  message: (providerId, status) =>
    `${providerId} refused the gateway's credentials (${status}); the gateway's provider key needs fixing, not your API key.`,
};

export function messageOf(failure: UpstreamFailure): string {
  return failure.details?.message ?? '';
}
