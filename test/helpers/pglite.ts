import type { PGlite } from '@electric-sql/pglite';
import { type Store, storeOverTransport } from '../../src/store/create-store.ts';
import { migrate } from '../../src/store/migrate.ts';
import { PgliteTransport } from '../../src/store/transports/pglite-transport.ts';

/**
 * One migrated in-memory PGlite per test file (a module instance lives as long as its file):
 * starting PGlite costs seconds, so tests share it and keep their data apart with their own
 * organization ids. Closed by the process exit of the worker, or explicitly by closeSharedPglite().
 */
let shared: Promise<PgliteTransport> | null = null;

export function sharedPglite(): Promise<PgliteTransport> {
  shared ??= (async () => {
    const transport = await PgliteTransport.open({ dataDir: 'memory://' });
    await migrate(transport.executor);
    return transport;
  })();
  return shared;
}

/** The typed store over the file's shared PGlite (its close() closes that PGlite). */
export async function sharedStore(): Promise<Store> {
  const transport = await sharedPglite();
  return storeOverTransport(transport, transport.executor);
}

export async function sharedPgliteDatabase(): Promise<PGlite> {
  return (await sharedPglite()).database;
}

export async function closeSharedPglite(): Promise<void> {
  const current = shared;
  shared = null;
  await (await current)?.close();
}
