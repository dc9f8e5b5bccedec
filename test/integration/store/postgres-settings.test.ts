import { afterAll, beforeAll, expect } from 'vitest';
import { commands } from '../../../src/cli/commands/index.ts';
import { runCli } from '../../../src/cli/run-cli.ts';
import { readEnv } from '../../../src/config/index.ts';
import { transportOf } from '../../../src/store/create-store.ts';
import { createStore, type Store } from '../../../src/store/index.ts';
import { listMigrations } from '../../../src/store/migrate.ts';
import type { PostgresTransport } from '../../../src/store/transports/postgres-transport.ts';
import {
  freePort,
  type PostgresServer,
  startPostgresServer,
} from '../../helpers/postgres-server.ts';
import { describeWithServices, itWithServices, postgresService } from '../../helpers/services.ts';

/**
 * Issue 18: `store.postgres` reaches the connections the gateway opens on a real PostgreSQL 15 —
 * pool size, statement timeout, application name — and LISTEN goes to `listen_url` when set.
 */
const services = [postgresService()];
let server: PostgresServer;
let store: Store;

const settings = {
  pool_size: 3,
  statement_timeout_ms: 300,
  idle_timeout_ms: 5_000,
  connect_timeout_ms: 2_000,
  application_name: 'rekindle-settings-test',
};

describeWithServices(services, 'PostgreSQL connection settings', () => {
  beforeAll(async () => {
    server = await startPostgresServer();
    store = await createStore({ data_dir: '', database_url: server.url, postgres: settings });
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  itWithServices(
    services,
    'opens at most pool_size connections, each named and timed out',
    async () => {
      const executor = store.executor;
      if (!executor) {
        throw new Error('the pg transport has an executor');
      }
      // Eight concurrent queries share three connections.
      await Promise.all(Array.from({ length: 8 }, () => executor.query('select pg_sleep(0.1)')));
      const [row] = await executor.query<{ connections: number; timeout: string }>(
        `select (select count(*)::int from pg_stat_activity where application_name = $1) as connections,
              current_setting('statement_timeout') as timeout`,
        [settings.application_name],
      );
      expect(row).toEqual({ connections: 3, timeout: '300ms' });
      expect((transportOf(store) as PostgresTransport).pool.options.max).toBe(3);
      await expect(executor.query('select pg_sleep(1)')).rejects.toMatchObject({ code: '57014' });
    },
  );

  itWithServices(services, '`rekindle migrate` is not bound by the statement timeout', async () => {
    const env = readEnv({
      DATABASE_URL: await server.database('migrate_timeout'),
      DATABASE_STATEMENT_TIMEOUT_MS: '1',
    });
    let stdout = '';
    let stderr = '';
    const code = await runCli(['migrate', '--json'], env, commands, {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).applied).toHaveLength(listMigrations().length);
  });

  itWithServices(services, 'LISTEN goes through listen_url', async () => {
    const unreachable = `postgres://postgres@127.0.0.1:${await freePort()}/postgres`;
    const other = await createStore({
      data_dir: '',
      database_url: server.url,
      postgres: { ...settings, listen_url: unreachable },
    });
    try {
      // Queries use database_url; the LISTEN connection is the unreachable one.
      await expect(other.executor?.query('select 1 as one')).resolves.toEqual([{ one: 1 }]);
      await expect(other.listen?.('rekindle_test', () => undefined)).rejects.toThrow(
        /ECONNREFUSED/,
      );
    } finally {
      await other.close();
    }
  });
});
