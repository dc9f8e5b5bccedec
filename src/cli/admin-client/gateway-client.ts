import type { Env } from '../../config/index.ts';

/**
 * The wire under the HTTP admin client: JSON requests to a running gateway's `/admin/...` API with
 * `REKINDLE_ADMIN_TOKEN` as the bearer token, and its error envelope turned into
 * GatewayClientError.
 *
 *   const client = createGatewayClient({ url, adminToken });
 *   const rows = await client.request<{ data: unknown[] }>('GET', '/admin/models');
 */
export interface GatewayClient {
  /** The gateway's base URL without a trailing slash. */
  readonly url: string;
  /** Sends JSON (when `body` is given), returns the parsed JSON answer; throws GatewayClientError. */
  request<T = unknown>(method: string, path: string, options?: GatewayRequestOptions): Promise<T>;
  /** The same request, answering the response itself (a 2xx; its body not read yet). */
  send(method: string, path: string, options?: GatewayRequestOptions): Promise<Response>;
}

interface GatewayRequestOptions {
  readonly body?: unknown;
  /** Query parameters; undefined values are left out. */
  readonly query?: Readonly<Record<string, string | undefined>>;
  /** Null: no time limit (an export or a training cycle's start may take minutes). */
  readonly timeoutMs?: number | null;
}

export interface GatewayClientOptions {
  readonly url: string;
  readonly adminToken?: string | undefined;
  /** Sent as `x-rekindle-actor`, recorded in the audit trail (default `cli`). */
  readonly actor?: string;
  /** Per request (default 30 s); null: none. */
  readonly timeoutMs?: number | null;
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
  const fetchResponse = options.fetch ?? fetch;
  async function send(method: string, path: string, request: GatewayRequestOptions = {}) {
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
    const timeoutMs = request.timeoutMs === undefined ? options.timeoutMs : request.timeoutMs;
    let response: Response;
    try {
      response = await fetchResponse(url, {
        method,
        headers,
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        ...(timeoutMs === null ? {} : { signal: AbortSignal.timeout(timeoutMs ?? 30_000) }),
      });
    } catch (error) {
      const reason = error instanceof Error ? (error.cause ?? error).toString() : String(error);
      const unreachable = new GatewayClientError(`cannot reach the gateway at ${base}: ${reason}`, {
        status: 0,
      });
      unreachable.cause = error;
      throw unreachable;
    }
    if (!response.ok) {
      const text = await response.text();
      throw errorFromResponse(response.status, parseJson(text), text);
    }
    return response;
  }
  return {
    url: base,
    send,
    async request<T>(method: string, path: string, request: GatewayRequestOptions = {}) {
      const response = await send(method, path, request);
      const parsed = parseJson(await response.text());
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

/** A client when `REKINDLE_GATEWAY_URL` is set, else null (the CLI opens the store itself). */
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
