import type { GatewayConfig } from '../../config/index.ts';
import { createStoreLeaderboardSource, outcomeWindows } from '../../pipeline/index.ts';
import { ModelCatalog, withoutProviderPrefix } from '../../router/index.ts';
import {
  type ChangeOptions,
  createdApiKeyJson,
  publicApiKey,
  runSql,
  type Store,
} from '../../store/index.ts';
import { CliError } from '../cli-command.ts';
import type {
  AdminClient,
  ExperimentsAdmin,
  KeysAdmin,
  ModelChange,
  ModelsAdmin,
} from './admin-client.ts';
import { experimentsOverSource } from './experiments-over-source.ts';
import { storeTrainingAdmin } from './store-training-admin.ts';

export interface InProcessAdminClientOptions {
  /** Closed with the client. */
  readonly store: Store;
  /** Read on first use, so a command that needs no config works with a broken one. */
  readonly config: () => GatewayConfig;
  readonly clock?: () => Date;
}

/** The admin client over a store this process opened (see admin-client.ts). */
export function createInProcessAdminClient(options: InProcessAdminClientOptions): AdminClient {
  const { store, config } = options;
  const registry = store.registry;
  const training = storeTrainingAdmin(store, config);
  let experiments: ExperimentsAdmin | undefined;
  const overSource = () => {
    if (!experiments) {
      const { rollout } = config();
      const source = createStoreLeaderboardSource({
        cohorts: store.leaderboard,
        listModels: (route) => registry.list(route),
        windows: outcomeWindows(rollout),
      });
      experiments = experimentsOverSource(source, rollout, options.clock ?? (() => new Date()));
    }
    return experiments;
  };
  return {
    mode: 'store',
    gatewayUrl: null,
    keys: storeKeys(store, config),
    models: storeModels(registry, config),
    training,
    experiments: {
      leaderboard: (route, choice) => overSource().leaderboard(route, choice),
      evaluate: (route, choice) => overSource().evaluate(route, choice),
    },
    sql: { query: (query, options) => runSql(store.executor, query, options) },
    async close() {
      await training.stop();
      await store.close();
    },
  };
}

function storeKeys(store: Store, config: () => GatewayConfig): KeysAdmin {
  return {
    async create({ organizationId, rpm, name }) {
      const rpmLimit = rpm ?? config().rate_limit.default_rpm;
      return createdApiKeyJson(await store.apiKeys.create({ organizationId, rpmLimit, name }));
    },
    async list({ organizationId, includeRevoked }) {
      const rows = await store.apiKeys.list({
        ...(organizationId ? { organizationId } : {}),
        includeRevoked,
      });
      return rows.map(publicApiKey);
    },
    async revoke(reference) {
      const revoked = await store.apiKeys.revoke(reference);
      return revoked ? publicApiKey(revoked) : null;
    },
  };
}

/** Message of `models report` without a gateway. */
export const routerReportNeedsGateway =
  "models report reads a running gateway's router statistics (they live in its memory): set REKINDLE_GATEWAY_URL and REKINDLE_ADMIN_TOKEN";

function storeModels(registry: Store['registry'], config: () => GatewayConfig): ModelsAdmin {
  const actor = { actor: 'cli' };
  const withReason = (reason: string | null): ChangeOptions => ({ ...actor, reason });
  // Like the admin API: a model named without a route is looked up among all routes.
  const routeOf = async ({ route, ref }: ModelChange) => {
    if (route) {
      return route;
    }
    const rows = await registry.list();
    const row = rows.find(
      (row) => row.id === ref || row.model_version === ref || row.model_id === ref,
    );
    return row?.route ?? config().default_route;
  };
  return {
    list: (route) => registry.list(route),
    register(input) {
      const provider = input.provider ?? new ModelCatalog(config()).find(input.model_id)?.provider;
      if (!provider) {
        throw new CliError(`cannot tell the provider of ${input.model_id}; give --provider`, 2);
      }
      return registry.register({
        ...input,
        model_id: withoutProviderPrefix(input.model_id, provider),
        route: input.route ?? config().default_route,
        provider,
        ...actor,
      });
    },
    deploy: async (target, percentage, group) =>
      registry.deploy(await routeOf(target), target.ref, percentage, group, actor),
    async change(action, target) {
      const route = await routeOf(target);
      const change = withReason(target.reason);
      if (action === 'promote') {
        return registry.promote(route, target.ref, change);
      }
      return action === 'deprecate'
        ? registry.deprecate(route, target.ref, change)
        : registry.rollback(route, target.ref, change);
    },
    rollbackRoute: (route, reason) => registry.rollback(route, null, withReason(reason)),
    setBaseline: (route, ref, reason) => registry.setBaseline(route, ref, withReason(reason)),
    events: (route, limit) => registry.events(route, limit),
    report: async () => {
      throw new CliError(routerReportNeedsGateway);
    },
  };
}
