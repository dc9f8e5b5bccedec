import { z } from 'zod';
import { GatewayError } from '../errors/index.ts';
import { StoreError } from './store-errors.ts';
import type { StoreTransport } from './store-transport.ts';

export const trainingRunStatuses = [
  'exporting',
  'uploading',
  'queued',
  'running',
  'succeeded',
  'registered',
  'deployed',
  'failed',
  'cancelled',
] as const;
export type TrainingRunStatus = (typeof trainingRunStatuses)[number];

/** Statuses after which nothing more happens to a run (registered: unless a deploy is pending). */
export const finishedTrainingRunStatuses: ReadonlySet<TrainingRunStatus> = new Set([
  'registered',
  'deployed',
  'failed',
  'cancelled',
]);

const storedErrorSchema = z
  .object({
    code: z.string().nullable().optional(),
    message: z.string(),
    param: z.string().nullable().optional(),
  })
  .loose();
export type StoredRunError = z.infer<typeof storedErrorSchema>;

/** A `training_runs` row as the store functions return it (loose: later columns pass through). */
export const trainingRunSchema = z
  .object({
    id: z.string(),
    organization_id: z.string().nullable(),
    route: z.string(),
    provider: z.enum(['openai', 'together']),
    model_version: z.string(),
    base_model: z.string(),
    status: z.enum(trainingRunStatuses),
    min_quality_score: z.coerce.number(),
    deploy_immediately: z.boolean(),
    ab_test_traffic: z.coerce.number().nullable(),
    training_file_id: z.string().nullable(),
    validation_file_id: z.string().nullable(),
    provider_job_id: z.string().nullable(),
    provider_status: z.string().nullable(),
    fine_tuned_model: z.string().nullable(),
    stats: z.record(z.string(), z.unknown()),
    hyperparameters: z.record(z.string(), z.union([z.number(), z.string()])),
    error: storedErrorSchema.nullable(),
    last_error: storedErrorSchema.nullable(),
    attempts: z.number(),
    poll_count: z.number(),
    trained_tokens: z.coerce.number().nullable(),
    registry_id: z.string().nullable(),
    triggered_by: z.string(),
    schedule_slot: z.string().nullable(),
    locked_by: z.string().nullable(),
    locked_until: z.string().nullable(),
    next_poll_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    finished_at: z.string().nullable(),
  })
  .loose();
export type TrainingRun = z.infer<typeof trainingRunSchema>;

const trainingRunEventSchema = z.object({
  from_status: z.string().nullable(),
  to_status: z.string(),
  worker: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  created_at: z.string(),
});

export const trainingRunDetailSchema = trainingRunSchema.extend({
  events: z.array(trainingRunEventSchema),
});
export type TrainingRunDetail = z.infer<typeof trainingRunDetailSchema>;

export interface CreateTrainingRunInput {
  provider: 'openai' | 'together';
  baseModel: string;
  route?: string;
  organizationId?: string | null;
  /** Null: the next version by the seed's scheme (minor bump), chosen atomically in SQL. */
  modelVersion?: string | null;
  minQualityScore?: number;
  deployImmediately?: boolean;
  /** Percent of the route's traffic when deployed (default 10 with deployImmediately). */
  abTestTraffic?: number | null;
  hyperparameters?: Readonly<Record<string, number | string>>;
  triggeredBy?: string;
  /** A scheduled cycle's slot: a second create for the same slot returns the first run. */
  scheduleSlot?: string | null;
  /** Return the route's run in progress instead of starting another. */
  skipIfActive?: boolean;
  now?: Date;
}

/** Fields `advance` may set; `null` clears one. */
export interface TrainingRunFields {
  training_file_id?: string | null;
  validation_file_id?: string | null;
  provider_job_id?: string | null;
  provider_status?: string | null;
  fine_tuned_model?: string | null;
  stats?: Record<string, unknown>;
  error?: StoredRunError | null;
  last_error?: StoredRunError | null;
  next_poll_at?: string | null;
  poll_count?: number;
  attempts?: number;
  trained_tokens?: number | null;
  registry_id?: string | null;
}

export interface ListTrainingRunsFilter {
  /** One status, or `active` for runs still in progress. */
  status?: TrainingRunStatus | 'active';
  route?: string;
  organizationId?: string;
  limit?: number;
}

const createdSchema = z.object({ run: trainingRunSchema, created: z.boolean() });
const flagSchema = z.object({ renewed: z.boolean() }).or(z.object({ released: z.boolean() }));

/** Typed client of the training run functions in `…_training_runs.sql`. */
export class TrainingRunsStore {
  constructor(private readonly transport: StoreTransport) {}

  async create(input: CreateTrainingRunInput): Promise<{ run: TrainingRun; created: boolean }> {
    return createdSchema.parse(
      await this.call('create_training_run', {
        p_provider: input.provider,
        p_base_model: input.baseModel,
        p_route: input.route ?? 'outreach',
        p_organization_id: input.organizationId ?? null,
        p_model_version: input.modelVersion ?? null,
        p_min_quality_score: input.minQualityScore ?? 0.6,
        p_deploy_immediately: input.deployImmediately ?? false,
        p_ab_test_traffic: input.abTestTraffic ?? null,
        p_hyperparameters: input.hyperparameters ?? {},
        p_triggered_by: input.triggeredBy ?? 'api',
        p_schedule_slot: input.scheduleSlot ?? null,
        p_skip_if_active: input.skipIfActive ?? false,
        p_now: input.now ?? null,
      }),
    );
  }

  /** Leases the next runnable run (or that one run, with `id`); null when none is due. */
  async claim(
    worker: string,
    leaseMs: number,
    now: Date,
    id?: string,
  ): Promise<TrainingRun | null> {
    const row = await this.call('claim_training_run', {
      p_worker: worker,
      p_lease_seconds: leaseMs / 1000,
      p_id: id ?? null,
      p_now: now,
    });
    return row === null ? null : trainingRunSchema.parse(row);
  }

  async renewLease(id: string, worker: string, leaseMs: number, now: Date): Promise<boolean> {
    const result = flagSchema.parse(
      await this.call('renew_training_run_lease', {
        p_id: id,
        p_worker: worker,
        p_lease_seconds: leaseMs / 1000,
        p_now: now,
      }),
    );
    return 'renewed' in result ? result.renewed : false;
  }

  async release(id: string, worker: string): Promise<void> {
    await this.call('release_training_run', { p_id: id, p_worker: worker });
  }

  /** Clears every lease: only for a single-owner store (embedded PGlite) on start. */
  async releaseAllLocks(): Promise<number> {
    const result = z
      .object({ released: z.number() })
      .parse(await this.call('release_training_run_locks', {}));
    return result.released;
  }

  /**
   * Compare-and-set: moves the run from `expected` to `status` (or records fields when they are
   * equal) only while it is in `expected` and leased by `worker`; null when that no longer holds.
   */
  async advance(
    id: string,
    worker: string,
    expected: TrainingRunStatus,
    status: TrainingRunStatus,
    fields: TrainingRunFields,
    options: { release?: boolean; now: Date },
  ): Promise<TrainingRun | null> {
    const row = await this.call('advance_training_run', {
      p_id: id,
      p_worker: worker,
      p_expected_status: expected,
      p_status: status,
      p_fields: fields,
      p_release: options.release ?? false,
      p_now: options.now,
    });
    return row === null ? null : trainingRunSchema.parse(row);
  }

  /** Null when there is no such run; 409 when it already finished. */
  async cancel(
    id: string,
    options: {
      reason?: string | null;
      actor?: string | null;
      providerStatus?: string | null;
      now: Date;
    },
  ): Promise<TrainingRun | null> {
    const row = await this.call('cancel_training_run', {
      p_id: id,
      p_reason: options.reason ?? null,
      p_actor: options.actor ?? null,
      p_provider_status: options.providerStatus ?? null,
      p_now: options.now,
    });
    return row === null ? null : trainingRunSchema.parse(row);
  }

  /** By id, or by model version (the newest run of it); with its status events. */
  async get(ref: string): Promise<TrainingRunDetail | null> {
    const row = await this.call('get_training_run', { p_ref: ref });
    return row === null ? null : trainingRunDetailSchema.parse(row);
  }

  async list(filter: ListTrainingRunsFilter = {}): Promise<TrainingRun[]> {
    const rows = await this.call('list_training_runs', {
      p_status: filter.status ?? null,
      p_route: filter.route ?? null,
      p_organization_id: filter.organizationId ?? null,
      p_limit: filter.limit ?? 50,
    });
    return z.array(trainingRunSchema).parse(rows);
  }

  async countByStatus(): Promise<Partial<Record<TrainingRunStatus, number>>> {
    return z
      .record(z.string(), z.coerce.number())
      .parse(await this.call('count_training_runs', {})) as Partial<
      Record<TrainingRunStatus, number>
    >;
  }

  private async call(name: string, args: Record<string, unknown>): Promise<unknown> {
    try {
      return await this.transport.rpc(name, args);
    } catch (error) {
      throw trainingRunError(error);
    }
  }
}

/** The SQL raises meaningful SQLSTATEs; clients get 400, 409 for them. */
function trainingRunError(error: unknown): unknown {
  if (!(error instanceof StoreError)) {
    return error;
  }
  const message = error.message.replace(/^store call \S+ failed:\s*/, '');
  switch (error.sqlState) {
    case '22023':
      return new GatewayError('invalid_training_run', message);
    case '23505':
      return new GatewayError('training_run_conflict', message);
    case '55000':
      return new GatewayError('training_run_finished', message);
    default:
      return error;
  }
}
