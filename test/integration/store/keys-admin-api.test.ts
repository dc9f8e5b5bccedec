import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Hono } from 'hono';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliCommand } from '../../../src/cli/cli-command.ts';
import { createKeysCommands } from '../../../src/cli/commands/keys.ts';
import { runCli } from '../../../src/cli/run-cli.ts';
import { readEnv } from '../../../src/config/index.ts';
import type { GatewayEnv } from '../../../src/gateway/gateway-dependencies.ts';
import { registerAdminKeys } from '../../../src/gateway/routes/admin-keys.ts';
import type { RunningGateway } from '../../../src/main/index.ts';
import { createLogger } from '../../../src/metrics/index.ts';
import {
  ApiKeyCache,
  type PgliteTransport,
  type Store,
  storeOverTransport,
} from '../../../src/store/index.ts';
import { gatewayEnvironment } from '../../helpers/gateway-process.ts';
import { closeSharedPglite, sharedPglite } from '../../helpers/pglite.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';

/**
 * `/admin/keys` and `rekindle keys` with an explicit REKINDLE_GATEWAY_URL and admin token: the same
 * output as store-direct, changes in force at once, validation in the OpenAI envelope.
 */

const run = promisify(execFile);
const cliEntry = join(import.meta.dirname, '../../../bin/rekindle.mjs');
const token = 'admin-token-for-keys-tests';
let store: Store;
let gateway: RunningGateway;
let transport: PgliteTransport;

beforeAll(async () => {
  transport = await sharedPglite();
  // The commands close the store they open; this one is shared by the file, so keep it open.
  store = { ...storeOverTransport(transport, transport.executor), close: async () => {} };
  gateway = await startTestGateway({ store, env: { REKINDLE_ADMIN_TOKEN: token } });
});

afterAll(async () => {
  await gateway?.shutdown();
  await closeSharedPglite();
});

interface CreatedKey {
  readonly key: string;
  readonly id: string;
  readonly prefix: string;
}
interface ErrorBody {
  readonly error: { code: string | null; param: string | null; type: string; message: string };
}
/** A JSON answer, typed by what the test reads from it. */
const json = async <T = Record<string, unknown>>(response: Response) =>
  (await response.json()) as T;

async function cli(argv: string[], commands: CliCommand[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const exitCode = await runCli(argv, readEnv(env), commands, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { exitCode, stdout, stderr };
}

// Through the gateway the store is never opened; store-direct works on the very same rows.
const viaGateway = () =>
  createKeysCommands({
    openStore: async () => {
      throw new Error('the store must not be opened when REKINDLE_GATEWAY_URL is set');
    },
  });
const direct = () => createKeysCommands({ openStore: async () => store });
const gatewayEnv = () => ({ REKINDLE_GATEWAY_URL: gateway.url, REKINDLE_ADMIN_TOKEN: token });

const admin = (method: string, path: string, body?: unknown, bearer: string | null = token) =>
  fetch(`${gateway.url}${path}`, {
    method,
    headers: {
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });

async function chatStatus(apiKey: string): Promise<number> {
  const client = new OpenAI({ apiKey, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  try {
    await client.chat.completions.create({
      model: 'outreach',
      messages: [{ role: 'user', content: 'Write a short cold email to Dana at Initech' }],
    });
    return 200;
  } catch (error) {
    if (error instanceof OpenAI.APIError && typeof error.status === 'number') {
      return error.status;
    }
    throw error;
  }
}

describe('rekindle keys with REKINDLE_GATEWAY_URL and REKINDLE_ADMIN_TOKEN', () => {
  it('create, list and revoke print what the store-direct path prints', async () => {
    const remote = await cli(
      ['keys', 'create', '--org', 'kga_remote', '--rpm', '250', '--name', 'ci', '--json'],
      viaGateway(),
      gatewayEnv(),
    );
    const local = await cli(
      ['keys', 'create', '--org', 'kga_local', '--rpm', '250', '--name', 'ci', '--json'],
      direct(),
    );
    expect(remote).toMatchObject({ exitCode: 0, stderr: '' });
    const fromGateway = JSON.parse(remote.stdout);
    const fromStore = JSON.parse(local.stdout);
    expect(Object.keys(fromGateway)).toEqual(Object.keys(fromStore));
    expect(fromGateway).toMatchObject({
      organization_id: 'kga_remote',
      rpm_limit: 250,
      name: 'ci',
    });

    // No --rpm: the gateway's default, like the CLI's own config default.
    const defaulted = JSON.parse(
      (await cli(['keys', 'create', '--org', 'kga_remote', '--json'], viaGateway(), gatewayEnv()))
        .stdout,
    );
    expect(defaulted.rpm_limit).toBe(100);

    for (const args of [
      ['keys', 'list', '--all'],
      ['keys', 'list', '--all', '--json'],
      ['keys', 'list', '--org', 'kga_remote', '--json'],
      ['keys', 'list', '--org', 'kga_nobody'],
    ]) {
      const throughGateway = await cli(args, viaGateway(), gatewayEnv());
      expect(throughGateway.exitCode, throughGateway.stderr).toBe(0);
      expect(throughGateway.stdout, args.join(' ')).toBe((await cli(args, direct())).stdout);
    }

    const revoked = await cli(['keys', 'revoke', fromGateway.prefix], viaGateway(), gatewayEnv());
    expect(revoked.stdout).toBe(
      `Revoked API key ${fromGateway.prefix}… (${fromGateway.id}) of organization kga_remote.\n`,
    );
    const again = await cli(
      ['keys', 'revoke', fromGateway.id, '--json'],
      viaGateway(),
      gatewayEnv(),
    );
    const directAgain = await cli(['keys', 'revoke', fromGateway.id, '--json'], direct());
    expect(again.stdout).toBe(directAgain.stdout);

    const missing = await cli(['keys', 'revoke', 'rk_missing00'], viaGateway(), gatewayEnv());
    expect(missing).toMatchObject({ exitCode: 1, stdout: '' });
    expect(missing.stderr).toContain('no API key with id or prefix rk_missing00');
  });

  it('the real command: a key for the openai SDK, then revoked, then 401', async () => {
    const env = gatewayEnvironment(gatewayEnv());
    const { stdout } = await run(
      process.execPath,
      [cliEntry, 'keys', 'create', '--org', 'kga_sdk', '--json'],
      { env, encoding: 'utf8' },
    );
    const created = JSON.parse(stdout);
    expect(await chatStatus(created.key)).toBe(200);
    await run(process.execPath, [cliEntry, 'keys', 'revoke', created.id, '--json'], {
      env,
      encoding: 'utf8',
    });
    expect(await chatStatus(created.key)).toBe(401);
  }, 60_000);

  it('fails clearly with a wrong token', async () => {
    const wrong = await cli(['keys', 'list', '--json'], viaGateway(), {
      REKINDLE_GATEWAY_URL: gateway.url,
      REKINDLE_ADMIN_TOKEN: 'nope',
    });
    expect(wrong).toMatchObject({ exitCode: 1, stdout: '' });
    expect(wrong.stderr).toMatch(/401 invalid_api_key/);
  });
});

describe('/admin/keys', () => {
  it('creates with 201 and the CLI JSON; lists without the key or its hash', async () => {
    const response = await admin('POST', '/admin/keys', { organization_id: 'kga_http', rpm: 7 });
    expect(response.status).toBe(201);
    const created = await json<CreatedKey>(response);
    expect(Object.keys(created)).toEqual([
      'key',
      'organization_id',
      'id',
      'rpm_limit',
      'prefix',
      'name',
      'created_at',
    ]);
    expect(created).toMatchObject({ organization_id: 'kga_http', rpm_limit: 7, name: null });
    expect(await chatStatus(created.key)).toBe(200);

    const listed = await admin('GET', '/admin/keys?organization_id=kga_http');
    expect(listed.status).toBe(200);
    const text = await listed.text();
    expect(text).not.toContain(created.key);
    expect(text).not.toContain('key_hash');
    expect(JSON.parse(text)).toEqual({
      object: 'list',
      data: [expect.objectContaining({ id: created.id, prefix: created.prefix })],
    });

    const revoked = await admin('POST', `/admin/keys/${created.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect((await json(revoked)).revoked_at).not.toBeNull();
    expect(await chatStatus(created.key)).toBe(401);
    expect((await json(await admin('GET', '/admin/keys?organization_id=kga_http'))).data).toEqual(
      [],
    );
    const withRevoked = await admin(
      'GET',
      '/admin/keys?organization_id=kga_http&include_revoked=true',
    );
    expect((await json<{ data: unknown[] }>(withRevoked)).data).toHaveLength(1);
  });

  const keys = '/admin/keys';
  const missing = '/admin/keys/rk_missing00/revoke';
  const cases: ReadonlyArray<{
    name: string;
    request: [method: string, path: string, body?: unknown, bearer?: string | null];
    status: number;
    code: string;
    param?: string;
  }> = [
    {
      name: 'no token',
      request: ['POST', keys, { organization_id: 'x' }, null],
      status: 401,
      code: 'invalid_api_key',
    },
    { name: 'no body', request: ['POST', keys], status: 400, code: 'invalid_json' },
    {
      name: 'bad JSON',
      request: ['POST', keys, '{"organization_id":'],
      status: 400,
      code: 'invalid_json',
    },
    {
      name: 'no organization',
      request: ['POST', keys, {}],
      status: 400,
      code: 'invalid_value',
      param: 'organization_id',
    },
    {
      name: 'rpm 0',
      request: ['POST', keys, { organization_id: 'x', rpm: 0 }],
      status: 400,
      code: 'invalid_value',
      param: 'rpm',
    },
    {
      name: 'rpm 1.5',
      request: ['POST', keys, { organization_id: 'x', rpm: 1.5 }],
      status: 400,
      code: 'invalid_value',
      param: 'rpm',
    },
    {
      name: 'unknown field',
      request: ['POST', keys, { organization_id: 'x', rpm_limit: 5 }],
      status: 400,
      code: 'invalid_value',
    },
    {
      name: 'bad organization',
      request: ['POST', keys, { organization_id: 'not ok!' }],
      status: 400,
      code: 'invalid_value',
      param: 'organization_id',
    },
    {
      name: 'bad include_revoked',
      request: ['GET', `${keys}?include_revoked=maybe`],
      status: 400,
      code: 'invalid_value',
      param: 'include_revoked',
    },
    {
      name: 'unknown id',
      request: ['POST', `${keys}/0190a3c5-0000-7000-8000-000000000000/revoke`],
      status: 404,
      code: 'api_key_not_found',
    },
    { name: 'unknown prefix', request: ['POST', missing], status: 404, code: 'api_key_not_found' },
    {
      name: 'body on revoke',
      request: ['POST', missing, { reason: 'x' }],
      status: 400,
      code: 'invalid_value',
    },
  ];
  it.each(cases)('$name → $status in the OpenAI envelope', async (example) => {
    const response = await admin(...example.request);
    expect(response.status).toBe(example.status);
    const { error } = await json<ErrorBody>(response);
    expect(error).toMatchObject({
      code: example.code,
      type: expect.any(String),
      message: expect.any(String),
      ...(example.param ? { param: example.param } : {}),
    });
  });

  it('refuses to revoke by a prefix two keys share (400, revoke by id)', async () => {
    for (const hash of ['kga-dup-hash-1', 'kga-dup-hash-2']) {
      await transport.rpc('create_api_key', {
        p_organization_id: 'kga_dup',
        p_key_hash: hash,
        p_key_prefix: 'rk_dupdup00',
      });
    }
    const response = await admin('POST', '/admin/keys/rk_dupdup00/revoke');
    expect(response.status).toBe(400);
    const { error } = await json<ErrorBody>(response);
    expect(error).toMatchObject({ code: 'invalid_value', param: 'id' });
    expect(error.message).toContain('revoke by id');
  });

  it('reloads the keys before answering, so a cache that hears no NOTIFY (Supabase) is current', async () => {
    const cache = new ApiKeyCache({ apiKeys: store.apiKeys });
    await cache.start(3_600_000);
    try {
      const app = new Hono<GatewayEnv>();
      registerAdminKeys(app, {
        apiKeys: store.apiKeys,
        keys: cache,
        defaultRpm: 100,
        logger: createLogger({ level: 'error', write: () => {} }),
      });
      const response = await app.request('/admin/keys', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ organization_id: 'kga_cache' }),
      });
      expect(response.status).toBe(201);
      const created = await json<CreatedKey>(response);
      expect(cache.authenticate(created.key)).toMatchObject({ organizationId: 'kga_cache' });
      const revoked = await app.request(`/admin/keys/${created.prefix}/revoke`, { method: 'POST' });
      expect(revoked.status).toBe(200);
      expect(cache.authenticate(created.key)).toBeNull();
    } finally {
      await cache.stop();
    }
  });

  it('stays disabled without REKINDLE_ADMIN_TOKEN when the gateway does not own a data directory', async () => {
    const open = await startTestGateway({ store });
    try {
      const response = await fetch(`${open.url}/admin/keys`);
      expect(response.status).toBe(403);
      expect((await json<ErrorBody>(response)).error.code).toBe('admin_disabled');
    } finally {
      await open.shutdown();
    }
  });
});
