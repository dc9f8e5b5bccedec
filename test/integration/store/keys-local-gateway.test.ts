import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecordedGateway } from '../../../src/store/transports/data-dir-lock.ts';
import {
  type GatewayProcess,
  runRekindleCli,
  startGatewayProcess,
} from '../../helpers/gateway-process.ts';

/**
 * The newcomer's flow: `npm start` (a gateway on the embedded PGlite), then in another terminal
 * `npx rekindle keys create --org acme --json` with nothing else set. The data directory belongs to
 * the gateway, so the CLI finds the gateway's URL (and the admin token it made for this start) in
 * the directory's lock and goes through `/admin/keys`. The gateway and every CLI call are real
 * processes; the CLI gets REKINDLE_DATA_DIR and no REKINDLE_GATEWAY_URL or REKINDLE_ADMIN_TOKEN.
 */

let gateway: GatewayProcess;
let dataDir: string;
const cli = (args: string[]) => runRekindleCli(args, { REKINDLE_DATA_DIR: dataDir });

/** --json prints exactly one JSON object (one line) on stdout. */
function onlyJson(result: { exitCode: number; stdout: string; stderr: string }) {
  expect(result.exitCode, result.stderr).toBe(0);
  const lines = result.stdout.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0] ?? '');
}

const sdk = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
const chat = (apiKey: string) =>
  sdk(apiKey).chat.completions.create({
    model: 'outreach',
    messages: [{ role: 'user', content: 'Write a short cold email to Dana at Initech' }],
  });

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    if (error instanceof OpenAI.APIError && typeof error.status === 'number') {
      return error.status;
    }
    throw error;
  }
}

beforeAll(async () => {
  gateway = await startGatewayProcess();
  dataDir = gateway.dataDir ?? '';
  expect(dataDir).not.toBe('');
}, 90_000);

afterAll(async () => {
  await gateway?.stop();
});

describe('rekindle keys while a local gateway owns the embedded store (no REKINDLE_GATEWAY_URL)', () => {
  let created: Record<string, unknown>;
  let listedThroughGateway: string;

  it('the gateway recorded its URL and a local admin token in the lock, readable by its user only', async () => {
    const lock = JSON.parse(readFileSync(join(dataDir, 'store.lock'), 'utf8'));
    expect(lock).toMatchObject({ pid: gateway.pid, url: gateway.url });
    expect(lock.admin_token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(statSync(join(dataDir, 'store.lock')).mode & 0o777).toBe(0o600);
    // The admin API is closed to whoever does not have that token…
    const anonymous = await fetch(`${gateway.url}/admin/keys`);
    expect(anonymous.status).toBe(401);
    const { error } = (await anonymous.json()) as { error: { code: string } };
    expect(error.code).toBe('invalid_api_key');
    // …and open to whoever can read the data directory.
    const owner = await fetch(`${gateway.url}/admin/keys`, {
      headers: { authorization: `Bearer ${lock.admin_token}` },
    });
    expect(owner.status).toBe(200);
  });

  it('keys create --json goes through the gateway; the key works with the openai SDK at once', async () => {
    // Before any key exists the loopback gateway is open, so a made-up key is let through.
    expect(await statusOf(chat('rk_not-a-real-key'))).toBe(200);

    created = onlyJson(await cli(['keys', 'create', '--org', 'acme', '--json']));
    expect(Object.keys(created)).toEqual([
      'key',
      'organization_id',
      'id',
      'rpm_limit',
      'prefix',
      'name',
      'created_at',
    ]);
    expect(created).toMatchObject({ organization_id: 'acme', rpm_limit: 100, name: null });
    expect(created.key).toMatch(/^rk_[A-Za-z0-9_-]{32}$/);

    const completion = await chat(String(created.key));
    expect(completion.object).toBe('chat.completion');
    // The gateway knows a key exists now: no key, or a wrong one, is refused.
    expect(await statusOf(chat('rk_not-a-real-key'))).toBe(401);
  });

  it('keys list shows it (never the key) and models list also goes through the gateway', async () => {
    const listed = onlyJson(await cli(['keys', 'list', '--org', 'acme', '--json']));
    expect(listed.keys).toEqual([
      expect.objectContaining({ id: created.id, prefix: created.prefix, revoked_at: null }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(String(created.key));
    expect(JSON.stringify(listed)).not.toContain('key_hash');

    const human = await cli(['keys', 'list']);
    expect(human.exitCode, human.stderr).toBe(0);
    expect(human.stdout).toMatch(
      new RegExp(
        `^${String(created.prefix)}\\s+acme\\s+100\\s+active\\s+${String(created.id)}$`,
        'm',
      ),
    );

    const models = onlyJson(await cli(['models', 'list', '--json']));
    expect(Array.isArray(models.models)).toBe(true);
  });

  it('a command without a gateway mode still reports the lock clearly', async () => {
    const migrate = await cli(['migrate', '--json']);
    expect(migrate).toMatchObject({ exitCode: 1, stdout: '' });
    expect(migrate.stderr).toContain('in use by another process');
    expect(migrate.stderr).toContain(`pid ${gateway.pid}`);
  });

  it('keys revoke through the CLI: the SDK gets 401 with that key at once', async () => {
    const revoked = onlyJson(await cli(['keys', 'revoke', String(created.prefix), '--json']));
    expect(revoked.revoked).toMatchObject({ id: created.id, organization_id: 'acme' });
    expect(revoked.revoked.revoked_at).not.toBeNull();
    expect(await statusOf(chat(String(created.key)))).toBe(401);

    const missing = await cli(['keys', 'revoke', 'rk_missing00']);
    expect(missing).toMatchObject({ exitCode: 1, stdout: '' });
    expect(missing.stderr).toContain('no API key with id or prefix rk_missing00');

    const all = await cli(['keys', 'list', '--all']);
    expect(all.exitCode, all.stderr).toBe(0);
    expect(all.stdout).toMatch(
      new RegExp(`^${String(created.prefix)}\\s+acme\\s+100\\s+revoked`, 'm'),
    );
    listedThroughGateway = all.stdout;
  });

  it('once the gateway stops, the lock is gone and the same commands open the store directly', async () => {
    await gateway.kill('SIGTERM');
    expect(readRecordedGateway(dataDir)).toBeNull();
    const direct = await cli(['keys', 'list', '--all']);
    expect(direct.exitCode, direct.stderr).toBe(0);
    // Same store, same rows: the store-direct output is the one printed through the gateway.
    expect(direct.stdout).toBe(listedThroughGateway);
  }, 60_000);
});

describe('the lock as a record of the gateway', () => {
  const directories: string[] = [];
  afterAll(() => {
    for (const directory of directories) {
      rmSync(directory, { recursive: true, force: true });
    }
  });
  const lockWith = (content: Record<string, unknown>) => {
    const directory = mkdtempSync(join(tmpdir(), 'rekindle-lock-record-'));
    directories.push(directory);
    writeFileSync(join(directory, 'store.lock'), JSON.stringify(content));
    return directory;
  };
  const url = 'http://127.0.0.1:8787';

  it('names a live process of this host that recorded a URL, and nothing else', () => {
    const host = hostname();
    expect(
      readRecordedGateway(lockWith({ pid: process.pid, host, url, admin_token: 't' })),
    ).toEqual({ pid: process.pid, url, adminToken: 't' });
    expect(readRecordedGateway(lockWith({ pid: process.pid, host, url }))).toEqual({
      pid: process.pid,
      url,
      adminToken: undefined,
    });
    // A CLI or `rekindle migrate` holding the store records no URL.
    expect(readRecordedGateway(lockWith({ pid: process.pid, host }))).toBeNull();
    // A stale lock: the gateway was killed and its pid is gone.
    expect(readRecordedGateway(lockWith({ pid: 2 ** 30, host, url }))).toBeNull();
    // Another machine on a shared volume: its pid means nothing here.
    expect(readRecordedGateway(lockWith({ pid: process.pid, host: 'elsewhere', url }))).toBeNull();
    expect(
      readRecordedGateway(lockWith({ pid: process.pid, host, url: 'file:///etc' })),
    ).toBeNull();
    expect(readRecordedGateway(join(tmpdir(), 'rekindle-no-such-directory'))).toBeNull();
  });
});
