import type { Logger } from '../metrics/index.ts';
import { ApiKeysStore } from './api-keys/api-keys-store.ts';
import { ConsoleStore } from './console-store.ts';
import { DeadLettersStore } from './dead-letters-store.ts';
import { LeaderboardStore } from './leaderboard-store.ts';
import { type MigrateOptions, type MigrationResult, migrate } from './migrate.ts';
import { ModelRegistryStore } from './model-registry-store.ts';
import { OrganizationsStore } from './organizations-store.ts';
import { OutcomesStore } from './outcomes/outcomes-store.ts';
import type { SqlExecutor } from './sql-executor.ts';
import { StoreError } from './store-errors.ts';
import type { ChannelListener, StoreTransport } from './store-transport.ts';
import { StoredResponsesStore } from './stored-responses-store.ts';
import { TrainingRunsStore } from './training-runs-store.ts';
import { PgliteWorkerTransport } from './transports/pglite-worker-transport.ts';
import {
  type PostgresConnectionSettings,
  PostgresTransport,
} from './transports/postgres-transport.ts';
import { SupabaseTransport } from './transports/supabase-transport.ts';
import { WebhookEventsStore } from './webhook-events-store.ts';

/** The `store` section of the gateway config (structurally; see src/config/schema). */
export interface StoreSettings {
  readonly data_dir: string;
  readonly database_url?: string | undefined;
  readonly supabase_url?: string | undefined;
  readonly supabase_service_role_key?: string | undefined;
  readonly postgres?: PostgresConnectionSettings | undefined;
}

/**
 * The data layer's one face: every typed store, built once over one transport. Callers never see
 * the transport; what they need of it (which kind, LISTEN, a round trip) is a method here.
 */
export interface Store extends ChannelListener {
  /** Which transport carries the calls: embedded PGlite, PostgreSQL through pg, or Supabase rpc. */
  readonly kind: StoreTransport['kind'];
  /** Plain SQL (PGlite and pg only; null over Supabase's rpc). */
  readonly executor: SqlExecutor | null;
  readonly organizations: OrganizationsStore;
  readonly apiKeys: ApiKeysStore;
  readonly outcomes: OutcomesStore;
  readonly registry: ModelRegistryStore;
  readonly trainingRuns: TrainingRunsStore;
  readonly webhookEvents: WebhookEventsStore;
  readonly storedResponses: StoredResponsesStore;
  readonly leaderboard: LeaderboardStore;
  /** Rows the batch writers gave up on (poison pills), with the database's error. */
  readonly deadLetters: DeadLettersStore;
  /** The operator console's sessions and page reads (src/console). */
  readonly console: ConsoleStore;
  /**
   * One real round trip (readiness): `select 1` over SQL; over Supabase's rpc the cheapest read
   * among the store's own functions. Rejects when the database does not answer.
   */
  ping(): Promise<void>;
  /** Applies pending migrations; over Supabase use `supabase db push` (or DATABASE_URL) instead. */
  migrate(options?: MigrateOptions): Promise<MigrationResult>;
  close(): Promise<void>;
}

export interface CreateStoreOptions {
  /** Apply pending migrations on open. Default: true for PGlite (embedded), false otherwise. */
  autoMigrate?: boolean;
  logger?: Logger;
}

/**
 * Picks the transport — Supabase when its URL and service role key are set, else PostgreSQL when
 * database_url is set, else PGlite in data_dir — and builds the typed store over it.
 */
export async function createStore(
  settings: StoreSettings,
  options: CreateStoreOptions = {},
): Promise<Store> {
  const { transport, executor } = await openTransport(settings, options.logger);
  const store = storeOverTransport(transport, executor);
  // Over Supabase's rpc there is no SQL to migrate with: `supabase db push` applies the schema.
  const autoMigrate = (options.autoMigrate ?? transport.kind === 'pglite') && executor !== null;
  if (autoMigrate) {
    try {
      const result = await store.migrate();
      if (result.adopted.length > 0) {
        options.logger?.info('store adopted the squashed migration baseline', {
          transport: transport.kind,
          adopted: result.adopted.map((migration) => migration.version),
        });
      }
      if (result.applied.length > 0) {
        options.logger?.info('store migrated', {
          transport: transport.kind,
          applied: result.applied.map((migration) => migration.version),
        });
      }
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}

async function openTransport(
  settings: StoreSettings,
  logger: Logger | undefined,
): Promise<{ transport: StoreTransport; executor: SqlExecutor | null }> {
  if (settings.supabase_url && settings.supabase_service_role_key) {
    const transport = new SupabaseTransport({
      url: settings.supabase_url,
      serviceRoleKey: settings.supabase_service_role_key,
    });
    return { transport, executor: null };
  }
  if (settings.database_url) {
    const transport = new PostgresTransport({
      connectionString: settings.database_url,
      ...(settings.postgres ? { settings: settings.postgres } : {}),
      ...(logger ? { logger } : {}),
    });
    return { transport, executor: transport.executor };
  }
  const transport = await PgliteWorkerTransport.open({ dataDir: settings.data_dir });
  return { transport, executor: transport.executor };
}

const transports = new WeakMap<Store, StoreTransport>();

/**
 * Internal to src/store and the store's own tests (which call SQL functions directly): the
 * transport under a store made by createStore or storeOverTransport. Not exported by index.ts.
 */
export function transportOf(store: Store): StoreTransport {
  const transport = transports.get(store);
  if (!transport) {
    throw new Error('not a store made by createStore or storeOverTransport');
  }
  return transport;
}

/** The typed store over any transport (tests wrap a shared PGlite or a pg pool this way). */
export function storeOverTransport(
  transport: StoreTransport,
  executor: SqlExecutor | null = null,
): Store {
  const listen = transport.listen?.bind(transport);
  const store: Store = {
    kind: transport.kind,
    executor,
    organizations: new OrganizationsStore(transport),
    apiKeys: new ApiKeysStore(transport),
    outcomes: new OutcomesStore(transport),
    registry: new ModelRegistryStore(transport),
    trainingRuns: new TrainingRunsStore(transport),
    webhookEvents: new WebhookEventsStore(transport),
    storedResponses: new StoredResponsesStore(transport),
    leaderboard: new LeaderboardStore(transport),
    deadLetters: new DeadLettersStore(transport),
    console: new ConsoleStore(transport),
    ...(listen ? { listen } : {}),
    async ping() {
      if (executor) {
        await executor.query('select 1');
        return;
      }
      // Supabase rpc runs only the store's SQL functions: a grouped count of training runs reads
      // one small table, so success also says the schema is there and service_role may read it.
      await transport.rpc('count_training_runs');
    },
    migrate(options) {
      if (!executor) {
        return Promise.reject(
          new StoreError(
            `migrations cannot run over the ${transport.kind} transport: run \`supabase db push\`, or set DATABASE_URL to the database's connection string and run \`rekindle migrate\``,
            { retryable: false },
          ),
        );
      }
      return migrate(executor, options);
    },
    close: () => transport.close(),
  };
  transports.set(store, transport);
  return store;
}
