import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { rpcStatement } from '../../src/store/rpc-call.ts';

/**
 * A small PostgREST-compatible RPC endpoint: `POST /rest/v1/rpc/:fn` with a JSON object of named
 * arguments. Like PostgREST it verifies the JWT (HS256, the project's JWT secret), then in one
 * transaction sets the JWT's role (`set_config('role', …, true)`, i.e. SET LOCAL ROLE) and
 * `request.jwt.claims`, calls the function on the real PostgreSQL and answers its result as JSON
 * or a PostgREST error body `{code, details, hint, message}` with PostgREST's status mapping.
 * A request without a token runs as `anon`. Enough for `@supabase/supabase-js` `rpc()`.
 */
export interface PostgrestFake {
  readonly url: string;
  readonly jwtSecret: string;
  /** A JWT with role service_role, like a project's service role key. */
  readonly serviceRoleKey: string;
  /** A JWT with role anon, like a project's anon key. */
  readonly anonKey: string;
  signJwt(claims: Record<string, unknown>): string;
  /** Every rpc received: function name and the role it ran as. */
  readonly calls: ReadonlyArray<{ fn: string; role: string }>;
  close(): Promise<void>;
}

export async function startPostgrestFake(options: {
  databaseUrl: string;
  jwtSecret?: string;
}): Promise<PostgrestFake> {
  const jwtSecret = options.jwtSecret ?? 'super-secret-jwt-token-with-at-least-32-characters-long';
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 5 });
  pool.on('error', () => undefined);
  const calls: Array<{ fn: string; role: string }> = [];
  const signJwt = (claims: Record<string, unknown>) => signHs256(claims, jwtSecret);

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      send(response, 500, { code: 'XX000', details: null, hint: null, message: String(error) });
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const match = /^\/rest\/v1\/rpc\/([a-z_][a-z0-9_]*)\/?(?:\?.*)?$/.exec(request.url ?? '');
    if (request.method !== 'POST' || !match?.[1]) {
      send(response, 404, pgrstError('PGRST125', `Invalid path ${request.url ?? ''}`));
      return;
    }
    const fn = match[1];
    const token = bearer(request);
    let claims: Record<string, unknown> = { role: 'anon' };
    if (token) {
      const verified = verifyHs256(token, jwtSecret);
      if (!verified) {
        send(response, 401, pgrstError('PGRST301', 'JWSError JWSInvalidSignature'));
        return;
      }
      claims = verified;
    }
    const role = typeof claims.role === 'string' ? claims.role : 'anon';
    const raw = await readBody(request);
    let args: Record<string, unknown> = {};
    if (raw.length > 0) {
      try {
        const parsed: unknown = JSON.parse(raw);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
          throw new Error('not an object');
        }
        args = parsed as Record<string, unknown>;
      } catch {
        send(response, 400, pgrstError('PGRST102', 'Empty or invalid json'));
        return;
      }
    }
    calls.push({ fn, role });
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query(
        `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true),
                set_config('request.method', 'POST', true), set_config('request.path', $3, true)`,
        [role, JSON.stringify(claims), `/rpc/${fn}`],
      );
      const statement = rpcStatement(fn, args);
      const result = await client.query<{ result: unknown }>(statement.sql, statement.params);
      await client.query('commit');
      send(response, 200, result.rows[0]?.result ?? null);
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      const database = error as { code?: string; message?: string; detail?: string; hint?: string };
      const code = database.code ?? 'XX000';
      if (code === '42883') {
        send(
          response,
          404,
          pgrstError(
            'PGRST202',
            `Could not find the function public.${fn}(${Object.keys(args).join(', ')}) in the schema cache`,
          ),
        );
        return;
      }
      send(response, statusFor(code, role), {
        code,
        details: database.detail ?? null,
        hint: database.hint ?? null,
        message: database.message ?? 'error',
      });
    } finally {
      client.release();
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    jwtSecret,
    serviceRoleKey: signJwt({ iss: 'supabase', role: 'service_role' }),
    anonKey: signJwt({ iss: 'supabase', role: 'anon' }),
    signJwt,
    calls,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}

/** PostgREST's SQLSTATE → HTTP status table. */
function statusFor(code: string, role: string): number {
  if (code === '42501') {
    return role === 'anon' ? 401 : 403;
  }
  if (code === '23503' || code === '23505') {
    return 409;
  }
  if (code === '42P01' || code === '42883') {
    return 404;
  }
  if (code === 'P0001') {
    return 400;
  }
  if (code.startsWith('08') || code.startsWith('53')) {
    return 503;
  }
  if (code.startsWith('0L') || code.startsWith('0P') || code.startsWith('28')) {
    return 403;
  }
  if (
    ['09', '25', '2D', '38', '39', '3B', '40', '54', '55', '57', '58', 'F0', 'HV', 'P0', 'XX'].some(
      (prefix) => code.startsWith(prefix),
    )
  ) {
    return 500;
  }
  return 400;
}

function pgrstError(code: string, message: string) {
  return { code, details: null, hint: null, message };
}

function send(response: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function bearer(request: IncomingMessage): string | null {
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Bearer ')) {
    return authorization.slice(7).trim();
  }
  const apikey = request.headers.apikey;
  return typeof apikey === 'string' && apikey.length > 0 ? apikey : null;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url');
}

export function signHs256(claims: Record<string, unknown>, secret: string): string {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify(claims));
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

function verifyHs256(token: string, secret: string): Record<string, unknown> | null {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) {
    return null;
  }
  try {
    const parsedHeader = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as {
      alg?: string;
    };
    if (parsedHeader.alg !== 'HS256') {
      return null;
    }
    const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return null;
    }
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    if (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now()) {
      return null;
    }
    return claims;
  } catch {
    return null;
  }
}
