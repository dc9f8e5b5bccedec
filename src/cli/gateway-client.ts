import type { Env } from '../config/index.ts';

/**
 * A small client of a running gateway's admin API, for CLI commands that must not open the store
 * themselves (an embedded PGlite has a single owner: the gateway). Commands use it when
 * `REKINDLE_GATEWAY_URL` is set, with `REKINDLE_ADMIN_TOKEN` as the bearer token.
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
        throw new GatewayClientError(`cannot reach the gateway at ${base}: ${reason}`, {
          status: 0,
        });
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
