/**
 * Errors every layer raises. One handler (gateway) renders any of them as the OpenAI envelope, so each
 * carries its HTTP status, OpenAI `type`/`code`/`param`, and whether a retry could help.
 */
const marker = Symbol.for('rekindle.error');

export type OpenAIErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'api_error'
  | 'timeout_error'
  | 'server_error';

export interface GatewayErrorOptions {
  status: number;
  type: OpenAIErrorType;
  code?: string | null;
  param?: string | null;
  isRetryable?: boolean;
  /** Headers the client should see with the error (Retry-After, rate-limit headers). */
  headers?: Readonly<Record<string, string>>;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly [marker] = true;
  readonly status: number;
  readonly type: OpenAIErrorType;
  readonly code: string | null;
  readonly param: string | null;
  readonly isRetryable: boolean;
  readonly headers: Readonly<Record<string, string>>;

  constructor(message: string, options: GatewayErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.status = options.status;
    this.type = options.type;
    this.code = options.code ?? null;
    this.param = options.param ?? null;
    this.isRetryable = options.isRetryable ?? false;
    this.headers = options.headers ?? {};
  }

  /** Works across copies of this module (tests, bundles) where `instanceof` would not. */
  static isInstance(value: unknown): value is GatewayError {
    return typeof value === 'object' && value !== null && marker in value;
  }
}

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

/** Retryable per the vendors' SDK rules: 408, 409, 429, ≥ 500, timeouts and connection failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

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
    super(message, {
      status,
      type: mapped?.type ?? typeFor(options, status),
      code: mapped?.code ?? options.upstreamCode ?? codeFor(options),
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

const openAIErrorTypes: ReadonlySet<string> = new Set<OpenAIErrorType>([
  'invalid_request_error',
  'authentication_error',
  'permission_error',
  'not_found_error',
  'rate_limit_error',
  'api_error',
  'timeout_error',
  'server_error',
]);

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

/** Reads `retry-after-ms`, then `retry-after` (seconds or an HTTP date); ignores nonsense. */
export function parseRetryAfter(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  now: number = Date.now(),
): number | undefined {
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  const milliseconds = first(headers['retry-after-ms']);
  if (milliseconds !== undefined) {
    const parsed = Number(milliseconds);
    if (Number.isFinite(parsed) && parsed >= 0) {
      return parsed;
    }
  }
  const retryAfter = first(headers['retry-after']);
  if (retryAfter === undefined) {
    return undefined;
  }
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) {
    return seconds * 1000;
  }
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
