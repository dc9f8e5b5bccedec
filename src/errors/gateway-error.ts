import { type ErrorCode, errorCodeTable, type OpenAIErrorType } from './error-codes.ts';

/**
 * An error whose status and code were decided elsewhere (an upstream vendor, the HTTP framework) and
 * are passed on as they are, outside the code table.
 */
export interface RelayedErrorFields {
  readonly status: number;
  readonly type: OpenAIErrorType;
  readonly code: string | null;
}

export interface GatewayErrorOptions {
  param?: string | null;
  /** Whether the same request could succeed later (the router and the training worker ask); false unless said. */
  isRetryable?: boolean;
  /** Headers the client should see with the error (Retry-After, rate-limit headers). */
  headers?: Readonly<Record<string, string>>;
  cause?: unknown;
}

const marker = Symbol.for('rekindle.error');

/**
 * The error every layer raises. One handler (gateway) renders any of them as the OpenAI envelope, so
 * each carries its HTTP status, OpenAI `type`/`code`/`param`, and whether a retry could help.
 */
export class GatewayError extends Error {
  readonly [marker] = true;
  readonly status: number;
  readonly type: OpenAIErrorType;
  readonly code: string | null;
  readonly param: string | null;
  readonly isRetryable: boolean;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: ErrorCode | RelayedErrorFields,
    message: string,
    options: GatewayErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const fields = typeof code === 'string' ? { ...errorCodeTable[code], code } : code;
    this.name = 'GatewayError';
    this.status = fields.status;
    this.type = fields.type;
    this.code = fields.code;
    this.param = options.param ?? null;
    this.isRetryable = options.isRetryable ?? false;
    this.headers = options.headers ?? {};
  }

  /** Works across copies of this module (tests, bundles) where `instanceof` would not. */
  static isInstance(value: unknown): value is GatewayError {
    return typeof value === 'object' && value !== null && marker in value;
  }
}

/** What the client sees of an error it cannot act on: no internals, the cause kept for the log. */
export function internalError(cause: unknown): GatewayError {
  return new GatewayError(
    'internal_error',
    'The gateway hit an internal error while processing your request.',
    { cause },
  );
}
