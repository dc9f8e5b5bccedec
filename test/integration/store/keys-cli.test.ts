import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeysCommands } from '../../../src/cli/commands/keys.ts';
import { createMigrateCommand } from '../../../src/cli/commands/migrate.ts';
import { runCli } from '../../../src/cli/run-cli.ts';
import { readEnv } from '../../../src/config/index.ts';
import { hashApiKey } from '../../../src/store/api-keys/api-key-material.ts';
import { type Store, storeOverTransport } from '../../../src/store/create-store.ts';
import { closeSharedPglite, sharedPglite } from '../../helpers/pglite.ts';

const run = promisify(execFile);
const cliEntry = join(import.meta.dirname, '../../../bin/rekindle.mjs');
const directories: string[] = [];

afterAll(async () => {
  await closeSharedPglite();
  for (const directory of directories) {
    rmSync(directory, { recursive: true, force: true });
  }
});

function tempDir(): string {
  const directory = mkdtempSync(join(tmpdir(), 'rekindle-cli-'));
  directories.push(directory);
  return directory;
}

/** Runs one command line in-process; stdout and stderr captured. */
async function cli(argv: string[], commands: ReturnType<typeof createKeysCommands>, env = {}) {
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

describe('rekindle keys (in-process, shared store)', () => {
  let store: Store;
  let commands: ReturnType<typeof createKeysCommands>;

  beforeAll(async () => {
    const transport = await sharedPglite();
    // The commands close the store they open; this one is shared by the file, so keep it open.
    store = { ...storeOverTransport(transport, transport.executor), close: async () => {} };
    commands = [
      ...createKeysCommands({ openStore: async () => store }),
      createMigrateCommand({ openStore: async () => store }),
    ];
  });

  it('create --json prints exactly one JSON object and stores only the hash', async () => {
    const result = await cli(
      ['keys', 'create', '--org', 'cli_org', '--rpm', '250', '--name', 'ci', '--json'],
      commands,
    );
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const created = JSON.parse(lines[0] ?? '');
    expect(created).toMatchObject({ organization_id: 'cli_org', rpm_limit: 250, name: 'ci' });
    expect(created.key).toMatch(/^rk_[A-Za-z0-9_-]{32}$/);
    expect(created.prefix).toBe(created.key.slice(0, 11));
    const active = await store.apiKeys.listActive();
    expect(active.keys.find((key) => key.id === created.id)?.key_hash).toBe(
      hashApiKey(created.key),
    );
  });

  it('create uses the configured default rpm and refuses a bad --rpm or a missing --org', async () => {
    const created = JSON.parse(
      (await cli(['keys', 'create', '--org', 'cli_default', '--json'], commands)).stdout,
    );
    expect(created.rpm_limit).toBe(100);
    const badRpm = await cli(
      ['keys', 'create', '--org', 'cli_org', '--rpm', 'lots', '--json'],
      commands,
    );
    expect(badRpm.exitCode).toBe(2);
    expect(badRpm.stdout).toBe('');
    expect(badRpm.stderr).toContain('--rpm');
    const noOrg = await cli(['keys', 'create', '--json'], commands);
    expect(noOrg.exitCode).toBe(2);
    expect(noOrg.stderr).toContain('--org');
  });

  it('list and revoke by prefix, with --json', async () => {
    const created = JSON.parse(
      (await cli(['keys', 'create', '--org', 'cli_revoke', '--json'], commands)).stdout,
    );
    const listed = JSON.parse(
      (await cli(['keys', 'list', '--org', 'cli_revoke', '--json'], commands)).stdout,
    );
    expect(listed.keys).toEqual([
      expect.objectContaining({ id: created.id, prefix: created.prefix }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(created.key);

    const revoked = await cli(['keys', 'revoke', created.prefix, '--json'], commands);
    expect(revoked.exitCode).toBe(0);
    expect(JSON.parse(revoked.stdout).revoked).toMatchObject({ id: created.id });
    const afterRevoke = JSON.parse(
      (await cli(['keys', 'list', '--org', 'cli_revoke', '--json'], commands)).stdout,
    );
    expect(afterRevoke.keys).toEqual([]);
    const all = JSON.parse(
      (await cli(['keys', 'list', '--org', 'cli_revoke', '--all', '--json'], commands)).stdout,
    );
    expect(all.keys[0].revoked_at).not.toBeNull();

    const missing = await cli(['keys', 'revoke', 'rk_missing00', '--json'], commands);
    expect(missing.exitCode).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain('no API key');
  });

  it('human output shows the key once with a warning', async () => {
    const result = await cli(['keys', 'create', '--org', 'cli_text'], commands);
    expect(result.stdout).toMatch(/\n {2}rk_[A-Za-z0-9_-]{32}\n/);
    expect(result.stdout).toContain('shown only once');
  });

  it('migrate --json reports nothing to do on a migrated store', async () => {
    const result = await cli(['migrate', '--json'], commands);
    expect(JSON.parse(result.stdout)).toMatchObject({ transport: 'pglite', applied: [] });
  });
});

describe('rekindle keys on a PGlite data directory', () => {
  it('refuses clearly while another process owns the directory', async () => {
    const directory = tempDir();
    writeFileSync(
      join(directory, 'store.lock'),
      JSON.stringify({ pid: process.ppid, host: hostname() }),
    );
    const result = await cli(['keys', 'list', '--json'], createKeysCommands(), {
      REKINDLE_DATA_DIR: directory,
    });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('in use by another process');
    expect(result.stderr).toContain('REKINDLE_GATEWAY_URL');
  });

  it('the real command creates a key in a fresh directory: one JSON object on stdout', async () => {
    const directory = tempDir();
    const { stdout } = await run(
      process.execPath,
      [cliEntry, 'keys', 'create', '--org', 'acme', '--json'],
      { env: { ...process.env, REKINDLE_DATA_DIR: join(directory, 'data') }, encoding: 'utf8' },
    );
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      organization_id: 'acme',
      rpm_limit: 100,
      key: expect.stringMatching(/^rk_/),
    });
  }, 90_000);
});
