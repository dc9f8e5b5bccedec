import { z } from 'zod';
import { GatewayError } from '../errors/index.ts';
import { StoreError } from './store-errors.ts';
import type { StoreTransport } from './store-transport.ts';

const registryRowSchema = z.object({
  id: z.string(),
  route: z.string(),
  model_id: z.string(),
  provider: z.string(),
  model_version: z.string(),
  base_model: z.string().nullable(),
  status: z.enum(['registered', 'testing', 'active', 'deprecated', 'rolled_back']),
  is_baseline: z.boolean(),
  traffic_percentage: z.coerce.number(),
  ab_test_group: z.string().nullable(),
  training_run_id: z.string().nullable(),
  training_stats: z.record(z.string(), z.unknown()),
  deployed_at: z.string().nullable(),
  promoted_at: z.string().nullable(),
  deprecated_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type RegistryRow = z.infer<typeof registryRowSchema>;

const rolloutEventSchema = z.object({
  id: z.coerce.number(),
  route: z.string(),
  model_version: z.string().nullable(),
  action: z.string(),
  automatic: z.boolean(),
  actor: z.string().nullable(),
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  created_at: z.string(),
});
export type RolloutEvent = z.infer<typeof rolloutEventSchema>;

export interface RegisterModelInput {
  route: string;
  model_id: string;
  provider: string;
  model_version: string;
  base_model?: string | null;
  training_run_id?: string | null;
  training_stats?: Record<string, unknown>;
  actor?: string | null;
}

export interface ChangeOptions {
  actor?: string | null;
  automatic?: boolean;
  reason?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Typed client of the registry functions (`…_model_registry.sql`: the model first, the route
 * defaulting to `outreach`; always called with named arguments). Every operation leaves the route's baseline with `traffic_percentage` = 100 − the
 * testing variants' sum, so the stored split of a route adds up to 100.
 */
export class ModelRegistryStore {
  constructor(private readonly transport: StoreTransport) {}

  async list(route?: string): Promise<RegistryRow[]> {
    const rows = await this.call('list_models', { p_route: route ?? null });
    return z.array(registryRowSchema).parse(rows);
  }

  async register(input: RegisterModelInput): Promise<RegistryRow> {
    return this.row('register_model', {
      p_route: input.route,
      p_model_id: input.model_id,
      p_provider: input.provider,
      p_model_version: input.model_version,
      p_base_model: input.base_model ?? null,
      p_training_run_id: input.training_run_id ?? null,
      p_training_stats: input.training_stats ?? {},
      p_actor: input.actor ?? null,
    });
  }

  async setBaseline(route: string, ref: string, options: ChangeOptions = {}): Promise<RegistryRow> {
    return this.row('set_baseline_model', { p_route: route, p_ref: ref, ...changeArgs(options) });
  }

  async deploy(
    route: string,
    ref: string,
    trafficPercentage: number,
    abTestGroup: string | null,
    options: ChangeOptions = {},
  ): Promise<RegistryRow> {
    return this.row('deploy_model', {
      p_route: route,
      p_ref: ref,
      p_traffic_percentage: trafficPercentage,
      p_ab_test_group: abTestGroup,
      p_actor: options.actor ?? null,
      p_automatic: options.automatic ?? false,
    });
  }

  async promote(route: string, ref: string, options: ChangeOptions = {}): Promise<RegistryRow> {
    return this.row('promote_model', { p_route: route, p_ref: ref, ...changeArgs(options) });
  }

  async deprecate(route: string, ref: string, options: ChangeOptions = {}): Promise<RegistryRow> {
    return this.row('deprecate_model', { p_route: route, p_ref: ref, ...changeArgs(options) });
  }

  async rollback(
    route: string,
    ref: string | null,
    options: ChangeOptions = {},
  ): Promise<RegistryRow> {
    return this.row('rollback_model', { p_route: route, p_ref: ref, ...changeArgs(options) });
  }

  async events(route?: string, limit = 100): Promise<RolloutEvent[]> {
    const rows = await this.call('list_rollout_events', { p_route: route ?? null, p_limit: limit });
    return z.array(rolloutEventSchema).parse(rows);
  }

  private async row(name: string, args: Record<string, unknown>): Promise<RegistryRow> {
    return registryRowSchema.parse(await this.call(name, args));
  }

  private async call(name: string, args: Record<string, unknown>): Promise<unknown> {
    try {
      return await this.transport.rpc(name, args);
    } catch (error) {
      throw registryError(error);
    }
  }
}

function changeArgs(options: ChangeOptions) {
  return {
    p_actor: options.actor ?? null,
    p_automatic: options.automatic ?? false,
    p_reason: options.reason ?? null,
    p_details: options.details ?? {},
  };
}

/** The registry's SQL raises with meaningful SQLSTATEs; clients get 404, 400 or 409 for them. */
function registryError(error: unknown): unknown {
  if (!(error instanceof StoreError)) {
    return error;
  }
  const message = error.message.replace(/^.*?:\s*/, '');
  switch (error.sqlState) {
    case 'P0002':
      return new GatewayError('model_not_registered', message);
    case '22023':
      return new GatewayError('invalid_registry_change', message);
    case '23505':
      return new GatewayError('registry_conflict', message);
    default:
      return error;
  }
}
