import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import { createStore, type Store } from '../../../src/store/index.ts';
import { type PostgresServer, startPostgresServer } from '../../helpers/postgres-server.ts';
import { describeWithServices, postgresService } from '../../helpers/services.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';
import { waitFor } from '../router/gateway-probes.ts';

/**
 * ARCHITECTURE §4: `/readyz` is readiness — store reachable, registry loaded — now, not as it was
 * at start-up. A gateway on a real PostgreSQL answers 200; once PostgreSQL is stopped, 503 naming
 * the store check (within the probe's short cache), while liveness stays up.
 */
describeWithServices([postgresService()], 'readiness follows the store', () => {
  let postgres: PostgresServer;
  let store: Store;
  let gateway: RunningGateway;

  beforeAll(async () => {
    postgres = await startPostgresServer();
    const databaseUrl = await postgres.database('readiness');
    store = await createStore(
      { data_dir: 'unused', database_url: databaseUrl },
      { autoMigrate: true },
    );
    gateway = await startTestGateway({ store, env: { DATABASE_URL: databaseUrl } });
  }, 60_000);

  afterAll(async () => {
    await gateway?.shutdown();
    await store?.close().catch(() => {});
    await postgres?.stop();
  }, 60_000);

  const readyz = async () => {
    const response = await fetch(`${gateway.url}/readyz`, { signal: AbortSignal.timeout(5_000) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('is 200 while PostgreSQL answers, 503 with the failed store check once it is stopped', async () => {
    expect(gateway.store.kind).toBe('postgres');
    expect(await readyz()).toEqual({
      status: 200,
      body: { status: 'ready', checks: { registry: true, api_keys: true, store: true } },
    });

    await postgres.stop();
    let last = await readyz();
    // The probe's outcome is cached for a second: the next probe after that finds the store gone.
    await waitFor(
      async () => {
        last = await readyz();
        return last.status === 503;
      },
      5_000,
      '/readyz to fail after PostgreSQL stopped',
    );
    expect(last.body).toEqual({
      status: 'not_ready',
      checks: { registry: true, api_keys: true, store: false },
      failed: ['store'],
    });
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
  }, 30_000);
});
