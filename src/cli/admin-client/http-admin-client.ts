import { z } from 'zod';
import type { ExperimentEvaluation, Leaderboard } from '../../pipeline/index.ts';
import {
  createdApiKeyJsonSchema,
  publicApiKeySchema,
  type RegistryRow,
  type RolloutEvent,
  type SqlResult,
} from '../../store/index.ts';
import type { AdminClient, ExperimentsAdmin, KeysAdmin, ModelsAdmin } from './admin-client.ts';
import { type GatewayClient, GatewayClientError } from './gateway-client.ts';
import { httpTrainingAdmin } from './http-training-admin.ts';

export interface HttpAdminClientOptions {
  /** How often waitForRun asks for the run (default 1 s). */
  readonly pollIntervalMs?: number;
}

/** The admin client over a running gateway's `/admin/...` API (see admin-client.ts). */
export function createHttpAdminClient(
  client: GatewayClient,
  options: HttpAdminClientOptions = {},
): AdminClient {
  return {
    mode: 'gateway',
    gatewayUrl: client.url,
    keys: httpKeys(client),
    models: httpModels(client),
    training: httpTrainingAdmin(client, options.pollIntervalMs ?? 1_000),
    experiments: httpExperiments(client),
    sql: {
      query: (query, { write }) =>
        client.request<SqlResult>('POST', '/admin/sql', { body: { query, write } }),
    },
    close: async () => {},
  };
}

function httpKeys(client: GatewayClient): KeysAdmin {
  return {
    async create({ organizationId, rpm, name }) {
      const body = {
        organization_id: organizationId,
        ...(rpm === undefined ? {} : { rpm }),
        ...(name === null ? {} : { name }),
      };
      return createdApiKeyJsonSchema.parse(await client.request('POST', '/admin/keys', { body }));
    },
    async list({ organizationId, includeRevoked }) {
      const answer = await client.request('GET', '/admin/keys', {
        query: {
          organization_id: organizationId,
          include_revoked: includeRevoked ? 'true' : undefined,
        },
      });
      return z.object({ data: z.array(publicApiKeySchema) }).parse(answer).data;
    },
    async revoke(reference) {
      try {
        const answer = await client.request(
          'POST',
          `/admin/keys/${encodeURIComponent(reference)}/revoke`,
        );
        return publicApiKeySchema.parse(answer);
      } catch (error) {
        if (error instanceof GatewayClientError && error.code === 'api_key_not_found') {
          return null;
        }
        throw error;
      }
    },
  };
}

function httpModels(client: GatewayClient): ModelsAdmin {
  const post = (path: string, body: Record<string, unknown>) =>
    client.request<RegistryRow>('POST', path, { body: withoutUndefined(body) });
  const model = (ref: string) => `/admin/models/${encodeURIComponent(ref)}`;
  const route = (name: string) => `/admin/routes/${encodeURIComponent(name)}`;
  return {
    list: async (name) =>
      (
        await client.request<{ data: RegistryRow[] }>('GET', '/admin/models', {
          query: { route: name },
        })
      ).data,
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
    rollbackRoute: (name, reason) =>
      post(`${route(name)}/rollback`, { reason: reason ?? undefined }),
    setBaseline: (name, ref, reason) =>
      client.request<RegistryRow>('PUT', `${route(name)}/baseline`, {
        body: withoutUndefined({ model_version: ref, reason: reason ?? undefined }),
      }),
    events: async (name, limit) =>
      (
        await client.request<{ data: RolloutEvent[] }>('GET', '/admin/rollout/events', {
          query: { route: name, limit: String(limit) },
        })
      ).data,
    async report() {
      const report = await client.request<{ data: unknown[]; circuit_breakers?: unknown }>(
        'GET',
        '/admin/router/report',
      );
      return { models: report.data, circuit_breakers: report.circuit_breakers ?? {} };
    },
  };
}

function httpExperiments(client: GatewayClient): ExperimentsAdmin {
  return {
    leaderboard: (route, { now }) =>
      client.request<Leaderboard>('GET', '/admin/leaderboard', {
        query: { route, now: now?.toISOString() },
      }),
    evaluate: (route, { now, weeklyVolume }) =>
      client.request<ExperimentEvaluation>(
        'GET',
        `/admin/experiments/${encodeURIComponent(route)}`,
        {
          query: {
            now: now?.toISOString(),
            weekly_volume: weeklyVolume === undefined ? undefined : String(weeklyVolume),
          },
        },
      ),
  };
}

function withoutUndefined(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
}
