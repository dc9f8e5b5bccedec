import {
  GatewayError,
  isRetryableStatus,
  type OpenAIErrorType,
  openAIErrorTypes,
} from '../errors/index.ts';

export type ProviderErrorKind = 'upstream' | 'timeout' | 'connection' | 'aborted';

export interface ProviderErrorOptions {
  provider: string;
  kind: ProviderErrorKind;
  /** Upstream HTTP status for `upstream`; undefined otherwise. */
  upstreamStatus?: number;
  retryAfterMs?: number;
  /** The upstream body, truncated; kept for logs, never echoed verbatim to clients. */
  upstreamBody?: string;
  upstreamCode?: string | null;
  upstreamType?: string | null;
  upstreamParam?: string | null;
  /** What the client sees instead, from the provider's error-mapping table. */
  mapped?: {
    readonly status: number;
    readonly type: OpenAIErrorType;
    readonly code: string;
    readonly param?: string;
    readonly isRetryable: boolean;
    readonly retryAfterSeconds?: number;
  };
  cause?: unknown;
}

const maxBodyLength = 2048;

/**
 * A failed call to a vendor. It relays the vendor's status and code (or what the provider's
 * error-mapping table turns them into) rather than one of the gateway's own codes.
 */
export class ProviderError extends GatewayError {
  readonly provider: string;
  readonly kind: ProviderErrorKind;
  readonly upstreamStatus: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly upstreamBody: string | undefined;

  constructor(message: string, options: ProviderErrorOptions) {
    const { mapped } = options;
    const status = mapped?.status ?? statusFor(options);
    const headers: Record<string, string> = {};
    if (options.retryAfterMs !== undefined) {
      headers['retry-after'] = String(Math.max(1, Math.ceil(options.retryAfterMs / 1000)));
    } else if (mapped?.retryAfterSeconds !== undefined) {
      headers['retry-after'] = String(mapped.retryAfterSeconds);
    }
    const relayed = {
      status,
      type: mapped?.type ?? typeFor(options, status),
      code: mapped?.code ?? options.upstreamCode ?? codeFor(options),
    };
    super(relayed, message, {
      param: mapped?.param ?? options.upstreamParam ?? null,
      isRetryable:
        mapped?.isRetryable ??
        (options.kind === 'aborted'
          ? false
          : options.kind !== 'upstream' || isRetryableStatus(status)),
      headers,
      cause: options.cause,
    });
    this.name = 'ProviderError';
    this.provider = options.provider;
    this.kind = options.kind;
    this.upstreamStatus = options.upstreamStatus;
    this.retryAfterMs = options.retryAfterMs;
    this.upstreamBody = options.upstreamBody?.slice(0, maxBodyLength);
  }
}

function statusFor(options: ProviderErrorOptions): number {
  switch (options.kind) {
    case 'timeout':
      return 504;
    case 'connection':
      return 502;
    case 'aborted':
      return 499;
    case 'upstream':
      return options.upstreamStatus ?? 502;
  }
}

/** The upstream's own type when it is one OpenAI clients know; else the type its status stands for. */
function typeFor(options: ProviderErrorOptions, status: number): OpenAIErrorType {
  if (options.kind === 'timeout') {
    return 'timeout_error';
  }
  if (options.kind !== 'upstream') {
    return 'api_error';
  }
  const upstreamType = options.upstreamType;
  if (typeof upstreamType === 'string' && openAIErrorTypes.has(upstreamType)) {
    return upstreamType as OpenAIErrorType;
  }
  if (status === 400 || status === 404 || status === 409 || status === 422 || status === 413) {
    return status === 404 ? 'not_found_error' : 'invalid_request_error';
  }
  if (status === 401) {
    return 'authentication_error';
  }
  if (status === 403) {
    return 'permission_error';
  }
  if (status === 429) {
    return 'rate_limit_error';
  }
  return 'api_error';
}

function codeFor(options: ProviderErrorOptions): string | null {
  switch (options.kind) {
    case 'timeout':
      return 'upstream_timeout';
    case 'connection':
      return 'upstream_connection_error';
    case 'aborted':
      return 'client_closed_request';
    case 'upstream':
      return 'upstream_error';
  }
}
