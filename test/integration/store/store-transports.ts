import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import {
  createStore,
  type Store,
  storeOverTransport,
  transportOf,
} from '../../../src/store/create-store.ts';
import { migrate } from '../../../src/store/migrate.ts';
import { PostgresTransport } from '../../../src/store/transports/postgres-transport.ts';
import { SupabaseTransport } from '../../../src/store/transports/supabase-transport.ts';
import { type PostgrestFake, startPostgrestFake } from '../../fakes/postgrest-fake.ts';
import { sharedPglite } from '../../helpers/pglite.ts';
import { type PostgresServer, startPostgresServer } from '../../helpers/postgres-server.ts';
import { postgresService, type ServiceRequirement } from '../../helpers/services.ts';

/**
 * The ways to reach the store, for the one store suite: PGlite in memory on the test's thread, PGlite
 * on disk in its own worker thread as `createStore` opens it for the gateway, a throwaway
 * PostgreSQL 15 through pg, and supabase-js rpc through the PostgREST-compatible fake on that same
 * PostgreSQL (its own database). The cluster starts once per file, on first use.
 */
export interface TransportCase {
  readonly name: 'pglite' | 'pglite_worker' | 'postgres' | 'supabase';
  readonly services: readonly ServiceRequirement[];
  open(): Promise<Store>;
}

let cluster: Promise<PostgresServer> | null = null;
const fakes: PostgrestFake[] = [];
const dataDirs: string[] = [];

function postgresCluster(): Promise<PostgresServer> {
  cluster ??= startPostgresServer();
  return cluster;
}

async function migratedDatabase(name: string): Promise<string> {
  const url = await (await postgresCluster()).database(name);
  const transport = new PostgresTransport({ connectionString: url });
  try {
    await migrate(transport.executor);
  } finally {
    await transport.close();
  }
  return url;
}

export function transportCases(): TransportCase[] {
  const postgres = postgresService();
  return [
    {
      name: 'pglite',
      services: [],
      async open() {
        const transport = await sharedPglite();
        return storeOverTransport(transport, transport.executor);
      },
    },
    {
      name: 'pglite_worker',
      services: [],
      async open() {
        const dataDir = mkdtempSync(join(tmpdir(), 'rekindle-store-worker-'));
        dataDirs.push(dataDir);
        const store = await createStore({ data_dir: dataDir });
        expect(transportOf(store).constructor.name).toBe('PgliteWorkerTransport');
        return store;
      },
    },
    {
      name: 'postgres',
      services: [postgres],
      async open() {
        const url = await migratedDatabase('store_postgres');
        const transport = new PostgresTransport({ connectionString: url });
        return storeOverTransport(transport, transport.executor);
      },
    },
    {
      name: 'supabase',
      services: [postgres],
      async open() {
        const url = await migratedDatabase('store_supabase');
        const fake = await startPostgrestFake({ databaseUrl: url });
        fakes.push(fake);
        const transport = new SupabaseTransport({
          url: fake.url,
          serviceRoleKey: fake.serviceRoleKey,
        });
        return storeOverTransport(transport);
      },
    },
  ];
}

/** afterAll of the file: the fakes, then the cluster. */
export async function stopTransportServices(): Promise<void> {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
  const current = cluster;
  cluster = null;
  await (await current)?.stop();
  for (const dataDir of dataDirs.splice(0)) {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
