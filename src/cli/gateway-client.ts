import type { Env } from '../config/index.ts';
import { StoreLockedError } from '../store/store-errors.ts';
import { readRecordedGateway } from '../store/transports/data-dir-lock.ts';

/**
 * A small client of a running gateway's admin API, for CLI commands that must not open the store
 * themselves (an embedded PGlite has a single owner: the gateway). Commands use it when
 * `REKINDLE_GATEWAY_URL` is set, with `REKINDLE_ADMIN_TOKEN` as the bearer token — set by the user,
 * or by the CLI itself when the store turned out to be locked by a gateway on this machine
 * (localGatewayFallback).
 *
 *   const client = gatewayClientFromEnv(context.env);
 *   const rows = await client?.request<{ data: unknown[] }>('GET', '/admin/models');
 */
export interface GatewayClient {
  /** The gateway's base URL without a trailing slash. */
  readonly url: string;
  /** Sends JSON (when `body` is given), returns the parsed JSON answer; throws GatewayClientError. */
  request<T = unknown>(method: string, path: string, options?: GatewayRequestOptions): Promise<T>;
}

export interface GatewayRequestOptions {
  readonly body?: unknown;
  /** Query parameters; undefined values are left out. */
  readonly query?: Readonly<Record<string, string | undefined>>;
}

export interface GatewayClientOptions {
  readonly url: string;
  readonly adminToken?: string | undefined;
  /** Sent as `x-rekindle-actor`, recorded in the audit trail (default `cli`). */
  readonly actor?: string;
  readonly timeoutMs?: number;
  /** Injectable for tests; defaults to the global fetch. */
  readonly fetch?: typeof fetch;
}

/** The gateway answered with an error envelope, or could not be reached (status 0). */
export class GatewayClientError extends Error {
  readonly status: number;
  readonly type: string | null;
  readonly code: string | null;
  readonly param: string | null;

  constructor(
    message: string,
    details: { status: number; type?: string | null; code?: string | null; param?: string | null },
  ) {
    super(message);
    this.name = 'GatewayClientError';
    this.status = details.status;
    this.type = details.type ?? null;
    this.code = details.code ?? null;
    this.param = details.param ?? null;
  }
}

export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const base = options.url.replace(/\/+$/, '');
  const send = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    url: base,
    async request<T>(method: string, path: string, request: GatewayRequestOptions = {}) {
      const url = new URL(`${base}${path}`);
      for (const [name, value] of Object.entries(request.query ?? {})) {
        if (value !== undefined) {
          url.searchParams.set(name, value);
        }
      }
      const headers: Record<string, string> = {
        accept: 'application/json',
        'x-rekindle-actor': options.actor ?? 'cli',
      };
      if (options.adminToken) {
        headers.authorization = `Bearer ${options.adminToken}`;
      }
      if (request.body !== undefined) {
        headers['content-type'] = 'application/json';
      }
      let response: Response;
      try {
        response = await send(url, {
          method,
          headers,
          ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const reason = error instanceof Error ? (error.cause ?? error).toString() : String(error);
        const unreachable = new GatewayClientError(
          `cannot reach the gateway at ${base}: ${reason}`,
          { status: 0 },
        );
        unreachable.cause = error;
        throw unreachable;
      }
      const text = await response.text();
      const parsed = parseJson(text);
      if (!response.ok) {
        throw errorFromResponse(response.status, parsed, text);
      }
      if (parsed === undefined) {
        throw new GatewayClientError(
          `the gateway at ${base} answered ${method} ${path} with something that is not JSON`,
          { status: response.status },
        );
      }
      return parsed as T;
    },
  };
}

/**
 * True when nothing listens at the gateway's address (connection refused): the request never
 * reached a gateway, so nothing was done — unlike a timeout or an HTTP error.
 */
export function isConnectionRefused(error: unknown): boolean {
  if (!(error instanceof GatewayClientError) || error.status !== 0) {
    return false;
  }
  let current: unknown = error.cause;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    if ((current as { code?: unknown }).code === 'ECONNREFUSED') {
      return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** A client when `REKINDLE_GATEWAY_URL` is set, else null (the command opens the store itself). */
export function gatewayClientFromEnv(
  env: Env,
  options: Pick<GatewayClientOptions, 'fetch' | 'actor' | 'timeoutMs'> = {},
): GatewayClient | null {
  if (!env.REKINDLE_GATEWAY_URL) {
    return null;
  }
  return createGatewayClient({
    url: env.REKINDLE_GATEWAY_URL,
    adminToken: env.REKINDLE_ADMIN_TOKEN,
    ...options,
  });
}

/** The gateway a locked PGlite store belongs to, and the environment that reaches it. */
export interface LocalGatewayFallback {
  readonly url: string;
  readonly pid: number;
  readonly dataDir: string;
  /** The CLI's environment with REKINDLE_GATEWAY_URL (and the admin token) of that gateway. */
  readonly env: Env;
  /** An error of the second attempt, with what was tried when that is what went wrong. */
  explain(error: unknown): unknown;
}

/**
 * When a command failed because a live gateway on this machine owns the PGlite data directory
 * (StoreLockedError, the gateway's URL recorded in the lock), how to run it again through that
 * gateway; null otherwise — REKINDLE_GATEWAY_URL already set, another error, or nothing recorded
 * (then the StoreLockedError stands). The admin token: the one that gateway made for this start
 * (recorded with the URL, see main.ts), else REKINDLE_ADMIN_TOKEN.
 */
export function localGatewayFallback(error: unknown, env: Env): LocalGatewayFallback | null {
  const locked = storeLockedError(error);
  if (!locked || env.REKINDLE_GATEWAY_URL) {
    return null;
  }
  const recorded = readRecordedGateway(locked.dataDir);
  if (!recorded) {
    return null;
  }
  const adminToken = recorded.adminToken ?? env.REKINDLE_ADMIN_TOKEN;
  const holder = `pid ${recorded.pid}, which holds ${locked.dataDir}`;
  return {
    url: recorded.url,
    pid: recorded.pid,
    dataDir: locked.dataDir,
    env: {
      ...env,
      REKINDLE_GATEWAY_URL: recorded.url,
      ...(adminToken ? { REKINDLE_ADMIN_TOKEN: adminToken } : {}),
    },
    explain(failure) {
      if (!(failure instanceof GatewayClientError)) {
        return failure;
      }
      const hint =
        failure.code === 'admin_disabled'
          ? ` (the gateway at ${recorded.url} is ${holder}: start it with REKINDLE_ADMIN_TOKEN, and set the same here)`
          : failure.status === 401 || failure.status === 403
            ? ` (the gateway at ${recorded.url} is ${holder}: set REKINDLE_ADMIN_TOKEN to its admin token)`
            : ` (the gateway recorded by ${holder})`;
      const explained = new GatewayClientError(`${failure.message}${hint}`, failure);
      explained.cause = failure;
      return explained;
    },
  };
}

function storeLockedError(error: unknown): StoreLockedError | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (current instanceof StoreLockedError) {
      return current;
    }
    current = current.cause;
  }
  return null;
}

function parseJson(text: string): unknown {
  try {
    return text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** The OpenAI envelope `{"error":{message,type,param,code}}` the gateway always answers with. */
function errorFromResponse(status: number, parsed: unknown, text: string): GatewayClientError {
  const error =
    typeof parsed === 'object' && parsed !== null && 'error' in parsed
      ? (parsed as { error: Record<string, unknown> }).error
      : undefined;
  const field = (name: string) => (typeof error?.[name] === 'string' ? error[name] : null);
  const message = field('message') ?? (text.slice(0, 200) || `HTTP ${status}`);
  const code = field('code');
  return new GatewayClientError(`${status}${code ? ` ${code}` : ''}: ${message}`, {
    status,
    type: field('type'),
    code,
    param: field('param'),
  });
}
