import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKeysCommands } from '../../../src/cli/commands/keys.ts';
import { runCli } from '../../../src/cli/run-cli.ts';
import { readEnv } from '../../../src/config/index.ts';
import {
  freePort,
  type PostgresServer,
  startPostgresServer,
} from '../../helpers/postgres-server.ts';
import { describeWithServices, postgresService } from '../../helpers/services.ts';

/**
 * docs/operations.md exports REKINDLE_GATEWAY_URL for the whole session, then creates the first key
 * on DATABASE_URL before any replica runs (a non-loopback replica refuses to start without one).
 * With nothing listening at that URL the keys commands use the shared database; any answer from a
 * gateway — an error included — is final, and an embedded PGlite is never a fallback.
 */

async function cli(argv: string[], env: Record<string, string>) {
  let stdout = '';
  let stderr = '';
  const exitCode = await runCli(argv, readEnv(env), createKeysCommands(), {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { exitCode, stdout, stderr };
}

describeWithServices([postgresService()], 'rekindle keys before any replica listens', () => {
  let postgres: PostgresServer;
  let databaseUrl: string;
  let nobody: string;
  let refusing: Server;
  const directories: string[] = [];

  beforeAll(async () => {
    postgres = await startPostgresServer();
    databaseUrl = await postgres.database('keys_first');
    nobody = `http://127.0.0.1:${await freePort()}`;
    // A gateway that answers, with an error: the CLI must report it, not go around it.
    refusing = createServer((_request, response) => {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          error: {
            message: 'bad token',
            type: 'invalid_request_error',
            param: null,
            code: 'invalid_api_key',
          },
        }),
      );
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
  }, 60_000);

  afterAll(async () => {
    await new Promise((resolve) => refusing?.close(resolve));
    await postgres?.stop();
    for (const directory of directories) {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('creates and lists on DATABASE_URL when nothing listens at REKINDLE_GATEWAY_URL', async () => {
    const env = {
      DATABASE_URL: databaseUrl,
      REKINDLE_GATEWAY_URL: nobody,
      REKINDLE_ADMIN_TOKEN: 't',
    };
    const created = await cli(['keys', 'create', '--org', 'acme', '--json'], env);
    expect(created.exitCode, created.stderr).toBe(0);
    expect(created.stderr).toBe('');
    const key = JSON.parse(created.stdout);
    expect(key).toMatchObject({ organization_id: 'acme', rpm_limit: 100 });

    const listed = await cli(['keys', 'list'], env);
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect(listed.stderr).toContain(`nothing listens at ${nobody}: using the database directly`);
    expect(listed.stdout).toMatch(new RegExp(`^${key.prefix}\\s+acme\\s+100\\s+active`, 'm'));
  }, 60_000);

  it('reports a gateway that answers with an error, and creates nothing', async () => {
    const url = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`;
    const env = { DATABASE_URL: databaseUrl, REKINDLE_GATEWAY_URL: url, REKINDLE_ADMIN_TOKEN: 't' };
    const before = JSON.parse(
      (await cli(['keys', 'list', '--json'], { DATABASE_URL: databaseUrl })).stdout,
    );
    const refused = await cli(['keys', 'create', '--org', 'acme', '--json'], env);
    expect(refused).toMatchObject({ exitCode: 1, stdout: '' });
    expect(refused.stderr).toContain('401 invalid_api_key: bad token');
    const after = JSON.parse(
      (await cli(['keys', 'list', '--json'], { DATABASE_URL: databaseUrl })).stdout,
    );
    expect(after.keys).toHaveLength(before.keys.length);
  }, 60_000);

  it('never falls back to an embedded PGlite directory', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'rekindle-first-key-'));
    directories.push(directory);
    const down = await cli(['keys', 'create', '--org', 'acme', '--json'], {
      REKINDLE_DATA_DIR: directory,
      REKINDLE_GATEWAY_URL: nobody,
    });
    expect(down).toMatchObject({ exitCode: 1, stdout: '' });
    expect(down.stderr).toContain(`cannot reach the gateway at ${nobody}`);
  });
});
