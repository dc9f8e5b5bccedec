import { readRecordedGateway } from '../../store/index.ts';
import type { CliContext } from '../cli-command.ts';
import { CliError } from '../cli-command.ts';
import { type OpenStore, openConfiguredStore } from '../open-configured-store.ts';
import type { AdminClient } from './admin-client.ts';
import {
  createGatewayClient,
  type GatewayClient,
  gatewayClientFromEnv,
  isConnectionRefused,
} from './gateway-client.ts';
import { createHttpAdminClient } from './http-admin-client.ts';
import { createInProcessAdminClient } from './in-process-admin-client.ts';
import { localGatewayFallback } from './local-gateway-fallback.ts';

/** What the commands reach the gateway's data with; injectable for tests. */
export interface AdminClientDependencies {
  /** Opens the store of the in-process client; default: from the config, migrated. */
  readonly openStore?: OpenStore;
  /** The gateway to talk to, or null for the store; default: from REKINDLE_GATEWAY_URL. */
  readonly gatewayClient?: (context: CliContext) => GatewayClient | null;
  readonly clock?: () => Date;
}

export interface AdminClientChoice {
  /**
   * When the gateway is down (nothing listens at its URL) and the store is a shared database
   * (DATABASE_URL, Supabase), use that database directly.
   */
  readonly sharedDatabaseWhenGatewayDown?: boolean;
  /** The work needs a running gateway: without one, fail with this message, opening nothing. */
  readonly gatewayOnly?: string;
}

/**
 * The one place a command's admin client is chosen, used for `work` and closed after:
 *  - REKINDLE_GATEWAY_URL set: that gateway's admin API (with REKINDLE_ADMIN_TOKEN);
 *  - else the store, opened in this process — unless a gateway on this machine holds the embedded
 *    PGlite (its URL and a local admin token are recorded in the data directory's lock): then
 *    through that gateway, as if REKINDLE_GATEWAY_URL had been set. Work that only a running
 *    gateway can do (`gatewayOnly`, e.g. `models report`) goes to that recorded gateway too.
 */
export async function withAdminClient<T>(
  context: CliContext,
  dependencies: AdminClientDependencies,
  work: (client: AdminClient) => Promise<T>,
  choice: AdminClientChoice = {},
): Promise<T> {
  const gateway = (dependencies.gatewayClient ?? ((c) => gatewayClientFromEnv(c.env)))(context);
  if (gateway) {
    try {
      return await work(createHttpAdminClient(gateway));
    } catch (error) {
      // The first key of a fleet is made before any replica can start (a non-loopback bind
      // refuses to without one): with nothing listening yet, a shared database is the same store.
      if (!choice.sharedDatabaseWhenGatewayDown || !isConnectionRefused(error)) {
        throw error;
      }
      if (!sharedDatabase(context)) {
        throw error;
      }
      context.progress(`nothing listens at ${gateway.url}: using the database directly`);
    }
  } else if (choice.gatewayOnly) {
    // A gateway on this machine that holds the embedded store recorded how to reach it.
    const recorded = sharedDatabase(context)
      ? null
      : readRecordedGateway(context.config().store.data_dir);
    if (!recorded) {
      throw new CliError(choice.gatewayOnly);
    }
    const local = createGatewayClient({
      url: recorded.url,
      adminToken: recorded.adminToken ?? context.env.REKINDLE_ADMIN_TOKEN,
    });
    return work(createHttpAdminClient(local));
  }
  let client: AdminClient;
  try {
    const store = await (dependencies.openStore ?? openConfiguredStore)(context, {
      autoMigrate: true,
    });
    client = createInProcessAdminClient({
      store,
      config: context.config,
      ...(dependencies.clock ? { clock: dependencies.clock } : {}),
    });
  } catch (error) {
    const fallback = localGatewayFallback(error, context.env);
    if (!fallback) {
      throw error;
    }
    const local = createGatewayClient({ url: fallback.url, adminToken: fallback.adminToken });
    try {
      return await work(createHttpAdminClient(local));
    } catch (again) {
      throw fallback.explain(again);
    }
  }
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

/** DATABASE_URL or Supabase: a store every replica shares, which this process may open too. */
function sharedDatabase(context: CliContext): boolean {
  const { store } = context.config();
  return Boolean(store.database_url || (store.supabase_url && store.supabase_service_role_key));
}
