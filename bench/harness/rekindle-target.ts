import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createStore, type StoreSettings } from '../../src/store/index.ts';
import { benchModel, variantModel } from './canned-responses.ts';

export const benchRoute = 'outreach';
export const benchOrganization = 'bench-org';

/** Where the gateway keeps its state: embedded PGlite in a temp dir, or a PostgreSQL server. */
export type BenchStore = { kind: 'pglite' } | { kind: 'postgres'; url: string };

export interface PreparedGateway {
  readonly store: BenchStore;
  /** PGlite data dir (unused with PostgreSQL). */
  readonly dataDir: string;
  readonly configPath: string;
  readonly apiKey: string;
  /** Environment the gateway process gets for its store. */
  readonly storeEnvironment: Record<string, string>;
}

/**
 * What a production gateway holds before its first request: a migrated store with one API key
 * (its rate limit far above what the bench sends), and the `outreach` route's registry — baseline
 * `bench-model-a` and variant `bench-model-b` deployed to 10 % — both on the fixed upstream through
 * an `openai-compatible` provider. Tracking, metrics and the rate limiter keep their defaults.
 */
export async function prepareGateway(options: {
  workDir: string;
  upstreamOrigin: string;
  store: BenchStore;
}): Promise<PreparedGateway> {
  const directory = join(options.workDir, `rekindle-${options.store.kind}`);
  rmSync(directory, { recursive: true, force: true });
  const dataDir = join(directory, 'pglite');
  mkdirSync(directory, { recursive: true });
  const settings: StoreSettings =
    options.store.kind === 'pglite'
      ? { data_dir: dataDir }
      : { data_dir: dataDir, database_url: options.store.url };
  const store = await createStore(settings, { autoMigrate: true });
  let apiKey: string;
  try {
    const created = await store.apiKeys.create({
      organizationId: benchOrganization,
      rpmLimit: 100_000_000,
      name: 'bench',
    });
    apiKey = created.key;
    const registry = store.registry;
    await registry.register({
      route: benchRoute,
      model_id: benchModel,
      provider: 'bench',
      model_version: 'v1-baseline',
    });
    await registry.register({
      route: benchRoute,
      model_id: variantModel,
      provider: 'bench',
      model_version: 'v2-variant',
    });
    await registry.setBaseline(benchRoute, 'v1-baseline', { actor: 'bench' });
    await registry.deploy(benchRoute, 'v2-variant', 10, 'variant-a', { actor: 'bench' });
  } finally {
    await store.close();
  }
  const model = (name: string) => ({
    name,
    provider: 'bench',
    upstream_model: name,
    input_usd_per_mtok: 0.15,
    output_usd_per_mtok: 0.6,
    context_window: 128_000,
  });
  const config = {
    server: { log_level: 'warn', shutdown_grace_ms: 2_000 },
    providers: {
      bench: {
        type: 'openai-compatible',
        base_url: `${options.upstreamOrigin}/v1`,
        connections: 128,
      },
    },
    models: [model(benchModel), model(variantModel)],
    routes: { [benchRoute]: { models: [benchModel] } },
    rate_limit: { default_rpm: 100_000_000 },
  };
  const configPath = join(directory, 'rekindle.config.json');
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
  return {
    store: options.store,
    dataDir,
    configPath,
    apiKey,
    storeEnvironment:
      options.store.kind === 'pglite'
        ? { REKINDLE_DATA_DIR: dataDir }
        : { DATABASE_URL: options.store.url },
  };
}

/** Rows in outcome_labels after the gateway stopped (with PGlite it owned the data dir until then). */
export async function countTrackedRows(prepared: PreparedGateway): Promise<number> {
  const settings: StoreSettings =
    prepared.store.kind === 'pglite'
      ? { data_dir: prepared.dataDir }
      : { data_dir: prepared.dataDir, database_url: prepared.store.url };
  const store = await createStore(settings, { autoMigrate: false });
  try {
    const executor = store.executor;
    if (!executor) {
      return Number.NaN;
    }
    const rows = await executor.query<{ count: string | number }>(
      'select count(*) as count from public.outcome_labels',
    );
    return Number(rows[0]?.count ?? Number.NaN);
  } finally {
    await store.close();
  }
}
