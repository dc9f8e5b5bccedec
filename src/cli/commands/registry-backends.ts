import { ModelCatalog, withoutProviderPrefix } from '../../router/index.ts';
import type { Store } from '../../store/index.ts';
import {
  type ChangeOptions,
  ModelRegistryStore,
  type RegisterModelInput,
  type RegistryRow,
} from '../../store/model-registry-store.ts';
import { type CliContext, CliError } from '../cli-command.ts';
import type { GatewayClient } from '../gateway-client.ts';
import { openConfiguredStore, type StoreCommandDependencies } from './migrate.ts';

/**
 * The two ways `rekindle models …` reaches the registry: the store's SQL functions directly, or a
 * running gateway's admin API (REKINDLE_GATEWAY_URL). Both infer a model's route like the admin
 * API does when --route is not given.
 */
export type RegisterRequest = Pick<
  RegisterModelInput,
  'model_id' | 'model_version' | 'base_model'
> & {
  readonly route?: string;
  readonly provider?: string;
};

export interface Change {
  readonly route: string | undefined;
  readonly ref: string;
  readonly reason: string | null;
}

/** What the commands need from the registry, over the store or over HTTP. */
export interface RegistryBackend {
  list(route: string | undefined): Promise<RegistryRow[]>;
  register(input: RegisterRequest): Promise<RegistryRow>;
  deploy(change: Change, trafficPercentage: number, group: string | null): Promise<RegistryRow>;
  change(action: 'promote' | 'deprecate' | 'rollback', change: Change): Promise<RegistryRow>;
  rollbackRoute(route: string, reason: string | null): Promise<RegistryRow>;
  setBaseline(route: string, ref: string, reason: string | null): Promise<RegistryRow>;
  report(): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export function storeBackend(
  context: CliContext,
  dependencies: StoreCommandDependencies,
): RegistryBackend {
  const config = context.config();
  // Opened on first use, so `models report` fails fast without touching the store.
  let opened: Promise<Store> | undefined;
  const registry = async () => {
    opened ??= (dependencies.openStore ?? openConfiguredStore)(context, { autoMigrate: true });
    return new ModelRegistryStore((await opened).transport);
  };
  const actor = { actor: 'cli' };
  // Like the admin API: a model named without --route is looked up among all routes.
  const routeOf = async ({ route, ref }: Change) => {
    if (route) {
      return route;
    }
    const rows = await (await registry()).list();
    const row = rows.find((r) => r.id === ref || r.model_version === ref || r.model_id === ref);
    return row?.route ?? config.default_route;
  };
  const withReason = (reason: string | null): ChangeOptions => ({ ...actor, reason });
  return {
    list: async (route) => (await registry()).list(route),
    async register(input) {
      const provider = input.provider ?? new ModelCatalog(config).find(input.model_id)?.provider;
      if (!provider) {
        throw new CliError(`cannot tell the provider of ${input.model_id}; give --provider`, 2);
      }
      const route = input.route ?? config.default_route;
      const modelId = withoutProviderPrefix(input.model_id, provider);
      return (await registry()).register({
        ...input,
        model_id: modelId,
        route,
        provider,
        ...actor,
      });
    },
    deploy: async (target, percentage, group) =>
      (await registry()).deploy(await routeOf(target), target.ref, percentage, group, actor),
    async change(action, target) {
      const store = await registry();
      const route = await routeOf(target);
      const change = withReason(target.reason);
      if (action === 'promote') {
        return store.promote(route, target.ref, change);
      }
      return action === 'deprecate'
        ? store.deprecate(route, target.ref, change)
        : store.rollback(route, target.ref, change);
    },
    rollbackRoute: async (route, reason) =>
      (await registry()).rollback(route, null, withReason(reason)),
    setBaseline: async (route, ref, reason) =>
      (await registry()).setBaseline(route, ref, withReason(reason)),
    report: async () => {
      throw new CliError(
        "models report reads a running gateway's router statistics (they live in its memory): set REKINDLE_GATEWAY_URL and REKINDLE_ADMIN_TOKEN",
      );
    },
    close: async () => {
      await (await opened)?.close();
    },
  };
}

export function gatewayBackend(client: GatewayClient): RegistryBackend {
  const post = (path: string, body: Record<string, unknown>) =>
    client.request<RegistryRow>('POST', path, { body: withoutUndefined(body) });
  const model = (ref: string) => `/admin/models/${encodeURIComponent(ref)}`;
  return {
    list: async (route) =>
      (await client.request<{ data: RegistryRow[] }>('GET', '/admin/models', { query: { route } }))
        .data,
    register: (input) =>
      post('/admin/models', {
        route: input.route,
        model_id: input.model_id,
        provider: input.provider,
        model_version: input.model_version,
        base_model: input.base_model ?? undefined,
      }),
    deploy: (target, percentage, group) =>
      post(`${model(target.ref)}/deploy`, {
        route: target.route,
        traffic_percentage: percentage,
        ab_test_group: group ?? undefined,
      }),
    change: (action, target) =>
      post(`${model(target.ref)}/${action}`, {
        route: target.route,
        reason: target.reason ?? undefined,
      }),
    rollbackRoute: (route, reason) =>
      post(`/admin/routes/${encodeURIComponent(route)}/rollback`, {
        reason: reason ?? undefined,
      }),
    setBaseline: (route, ref, reason) =>
      client.request<RegistryRow>('PUT', `/admin/routes/${encodeURIComponent(route)}/baseline`, {
        body: withoutUndefined({ model_version: ref, reason: reason ?? undefined }),
      }),
    async report() {
      const report = await client.request<{ data: unknown[]; circuit_breakers?: unknown }>(
        'GET',
        '/admin/router/report',
      );
      return { models: report.data, circuit_breakers: report.circuit_breakers ?? {} };
    },
    close: async () => {},
  };
}

function withoutUndefined(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
}
