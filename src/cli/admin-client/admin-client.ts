/**
 * Everything the `rekindle` commands ask of the gateway's data, two ways: in this process over the
 * store (PGlite, DATABASE_URL or Supabase; this process drives training runs while it waits), or
 * over a running gateway's admin API (`/admin/...`; its orchestrator drives runs, this side
 * watches). Both answer in the same shapes, so a command prints the same either way. Which one a
 * command gets is decided in one place: withAdminClient.
 */
import type {
  ExperimentEvaluation,
  Leaderboard,
  RunTrainingCycleInput,
  TrainingExportStats,
  TrainingFormat,
} from '../../pipeline/index.ts';
import type {
  CreatedApiKeyJson,
  ListTrainingRunsFilter,
  PublicApiKey,
  RegisterModelInput,
  RegistryRow,
  RolloutEvent,
  SqlResult,
  TrainingRun,
  TrainingRunDetail,
} from '../../store/index.ts';

export interface AdminClient {
  /** `store`: this process opened the store; `gateway`: a running gateway's admin API. */
  readonly mode: 'store' | 'gateway';
  /** The gateway's URL in `gateway` mode, else null. */
  readonly gatewayUrl: string | null;
  readonly keys: KeysAdmin;
  readonly models: ModelsAdmin;
  readonly training: TrainingAdmin;
  readonly experiments: ExperimentsAdmin;
  readonly sql: SqlAdmin;
  close(): Promise<void>;
}

/** `rekindle sql`: one statement against the store, read-only unless `write`. */
interface SqlAdmin {
  query(query: string, options: { write: boolean }): Promise<SqlResult>;
}

export interface KeysAdmin {
  /** `rpm` undefined: the default of whoever stores it (this CLI's config, or the gateway's). */
  create(input: {
    organizationId: string;
    rpm: number | undefined;
    name: string | null;
  }): Promise<CreatedApiKeyJson>;
  list(filter: {
    organizationId: string | undefined;
    includeRevoked: boolean;
  }): Promise<PublicApiKey[]>;
  /** By id or prefix; null when there is no such key. */
  revoke(reference: string): Promise<PublicApiKey | null>;
}

/** A model to register; without a route or provider they are inferred like the admin API does. */
type RegisterRequest = Pick<RegisterModelInput, 'model_id' | 'model_version' | 'base_model'> & {
  readonly route?: string;
  readonly provider?: string;
};

/** A change to one model: by id, version or model id; without a route, found among all routes. */
export interface ModelChange {
  readonly route: string | undefined;
  readonly ref: string;
  readonly reason: string | null;
}

export interface ModelsAdmin {
  list(route: string | undefined): Promise<RegistryRow[]>;
  register(input: RegisterRequest): Promise<RegistryRow>;
  deploy(
    change: ModelChange,
    trafficPercentage: number,
    group: string | null,
  ): Promise<RegistryRow>;
  change(action: 'promote' | 'deprecate' | 'rollback', change: ModelChange): Promise<RegistryRow>;
  /** Restores the route's previous baseline. */
  rollbackRoute(route: string, reason: string | null): Promise<RegistryRow>;
  setBaseline(route: string, ref: string, reason: string | null): Promise<RegistryRow>;
  /** The audit trail of registry changes, newest first. */
  events(route: string | undefined, limit: number): Promise<RolloutEvent[]>;
  /** The router's per-model statistics: they live in a running gateway's memory. */
  report(): Promise<Record<string, unknown>>;
}

export interface ExportRequest {
  format: TrainingFormat;
  organizationId?: string | null;
  minQualityScore?: number;
  limit?: number | null;
  keepPii?: boolean;
  minExamples?: number;
}

interface WaitOptions {
  /** Stop once this holds (default: the run finished). */
  until?: (run: TrainingRun) => boolean;
  onProgress?: (run: TrainingRunDetail) => void;
  signal?: AbortSignal;
}

export interface TrainingAdmin {
  /** Writes the JSONL to `output` (via `<output>.partial`, renamed when complete). */
  exportToFile(
    output: string,
    request: ExportRequest,
    onProgress?: (fetched: number) => void,
  ): Promise<TrainingExportStats>;
  startRun(input: RunTrainingCycleInput): Promise<TrainingRun>;
  getRun(ref: string): Promise<TrainingRunDetail>;
  listRuns(filter?: ListTrainingRunsFilter): Promise<TrainingRun[]>;
  cancelRun(ref: string, reason?: string | null): Promise<TrainingRun>;
  /** Until `until` holds or the run finished: drives it (store) or watches it (gateway). */
  waitForRun(runId: string, options?: WaitOptions): Promise<TrainingRunDetail>;
}

export interface ExperimentsAdmin {
  /** `now` undefined: the data's own as-of time, else the clock. */
  leaderboard(route: string, options: { now: Date | undefined }): Promise<Leaderboard>;
  evaluate(
    route: string,
    options: { now: Date | undefined; weeklyVolume: number | undefined },
  ): Promise<ExperimentEvaluation>;
}
