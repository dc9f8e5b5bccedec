import { type Store, storeOverTransport } from '../../../src/store/create-store.ts';
import { migrate } from '../../../src/store/migrate.ts';
import type { SqlExecutor } from '../../../src/store/sql-executor.ts';
import { PostgresTransport } from '../../../src/store/transports/postgres-transport.ts';
import { closeSharedPglite, sharedPglite } from '../../helpers/pglite.ts';
import { type PostgresServer, startPostgresServer } from '../../helpers/postgres-server.ts';
import { postgresService, type ServiceRequirement } from '../../helpers/services.ts';

/**
 * The two stores every issue-15 regression test runs on: the file's shared PGlite, and a throwaway
 * PostgreSQL 15 (migrated by the gateway's own migrate), started on first use.
 */
export interface HostileStoreCase {
  readonly name: 'pglite' | 'postgres';
  readonly services: readonly ServiceRequirement[];
  open(): Promise<Store>;
  /** SQL on a migrated database of this kind (a fresh one on PostgreSQL). */
  openExecutor(): Promise<SqlExecutor>;
}

let cluster: Promise<PostgresServer> | null = null;
const transports: PostgresTransport[] = [];

export function hostileStoreCases(): HostileStoreCase[] {
  return [
    {
      name: 'pglite',
      services: [],
      async open() {
        const transport = await sharedPglite();
        return storeOverTransport(transport, transport.executor);
      },
      async openExecutor() {
        return (await sharedPglite()).executor;
      },
    },
    {
      name: 'postgres',
      services: [postgresService()],
      async open() {
        const transport = await migratedPostgres();
        return storeOverTransport(transport, transport.executor);
      },
      async openExecutor() {
        return (await migratedPostgres()).executor;
      },
    },
  ];
}

async function migratedPostgres(): Promise<PostgresTransport> {
  cluster ??= startPostgresServer();
  const url = await (await cluster).database(`hostile_${transports.length}`);
  const transport = new PostgresTransport({ connectionString: url });
  transports.push(transport);
  await migrate(transport.executor);
  return transport;
}

/** afterAll of the file. */
export async function stopHostileStores(): Promise<void> {
  await Promise.all(transports.splice(0).map((transport) => transport.close()));
  const current = cluster;
  cluster = null;
  await (await current)?.stop();
  await closeSharedPglite();
}
