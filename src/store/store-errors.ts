import { GatewayError } from '../errors/index.ts';

/** SQLSTATEs that mean "the database is unreachable or restarting": worth a retry. */
// Connection loss, shutdown, and deadlock / serialization failures: trying again can succeed.
const transientStates = new Set([
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P03',
  '40001',
  '40P01',
]);

/**
 * A store call that failed. `sqlState` is the PostgreSQL error code when there is one (PostgREST
 * passes it through as `code`); connection failures are retryable.
 */
export class StoreError extends GatewayError {
  readonly sqlState: string | null;
  readonly functionName: string | null;

  constructor(
    message: string,
    options: {
      sqlState?: string | null;
      functionName?: string | null;
      cause?: unknown;
      retryable?: boolean;
    },
  ) {
    const sqlState = options.sqlState ?? null;
    const retryable = options.retryable ?? (sqlState === null || transientStates.has(sqlState));
    super(retryable ? 'store_unavailable' : 'store_error', message, {
      isRetryable: retryable,
      cause: options.cause,
    });
    this.name = 'StoreError';
    this.sqlState = sqlState;
    this.functionName = options.functionName ?? null;
  }
}

/** The PGlite data directory belongs to another running process (one owner at a time). */
export class StoreLockedError extends GatewayError {
  readonly dataDir: string;
  readonly ownerPid: number;

  constructor(dataDir: string, ownerPid: number) {
    super(
      'store_locked',
      `the embedded database in ${dataDir} is in use by another process (pid ${ownerPid}), ` +
        'most likely a running gateway. Stop that gateway first, or set REKINDLE_GATEWAY_URL to ' +
        'talk to it, or point DATABASE_URL at a shared PostgreSQL.',
    );
    this.name = 'StoreLockedError';
    this.dataDir = dataDir;
    this.ownerPid = ownerPid;
  }
}

/** Input the store refuses before calling SQL (bad id, out-of-range score…): a 400 for clients. */
export class StoreInputError extends GatewayError {
  constructor(message: string, param: string | null = null) {
    super('invalid_value', message, { param });
    this.name = 'StoreInputError';
  }
}

/** Turns a driver error (pg, PGlite, PostgREST) into a StoreError with a message that helps. */
export function toStoreError(error: unknown, functionName: string | null): StoreError {
  if (error instanceof StoreError) {
    return error;
  }
  const record = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    message?: unknown;
  };
  const sqlState =
    typeof record.code === 'string' && /^[0-9A-Z]{5}$/.test(record.code) ? record.code : null;
  const base = typeof record.message === 'string' ? record.message : String(error);
  const missingFunction =
    sqlState === '42883' || record.code === 'PGRST202' || /function .* does not exist/i.test(base);
  const message = missingFunction
    ? `store function ${functionName ?? '?'} is missing: ${base} (run \`rekindle migrate\` or \`supabase db push\`)`
    : `store call ${functionName ?? ''} failed: ${base}`;
  return new StoreError(message, {
    sqlState: missingFunction ? (sqlState ?? '42883') : sqlState,
    functionName,
    cause: error,
    retryable: sqlState === null ? isConnectionError(error) : transientStates.has(sqlState),
  });
}

const connectionCodes = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
];

/** pg reports errno codes; supabase-js wraps fetch failures in a message. */
function isConnectionError(error: unknown): boolean {
  const record = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof record.code === 'string' && connectionCodes.includes(record.code)) {
    return true;
  }
  const message = typeof record.message === 'string' ? record.message : '';
  return /fetch failed|ECONNREFUSED|ECONNRESET|timed? ?out|aborted|Connection terminated/i.test(
    message,
  );
}
