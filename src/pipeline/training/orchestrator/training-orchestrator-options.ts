/** How a TrainingOrchestrator is built and what its public methods take. */
import type { GatewayConfig } from '../../../config/index.ts';
import type { GatewayMetrics, Logger } from '../../../metrics/index.ts';
import {
  finishedTrainingRunStatuses,
  type OutcomesStore,
  type TrainingRun,
  type TrainingRunDetail,
  type TrainingRunsStore,
} from '../../../store/index.ts';
import type { FineTuner, FineTuningProvider } from '../fine-tuners/index.ts';
import type { TrainingScheduleOptions } from './training-schedule.ts';
import type { TrainingRegistry } from './training-step-context.ts';

export interface TrainingOrchestratorOptions {
  config: GatewayConfig;
  runs: TrainingRunsStore;
  outcomes: Pick<OutcomesStore, 'exportTrainingReady' | 'countTrainingReady'>;
  registry: TrainingRegistry;
  /** Default: `createFineTuner(provider, config)`, one per provider. */
  fineTuner?: (provider: FineTuningProvider) => FineTuner;
  metrics?: Pick<GatewayMetrics, 'trainingRuns'>;
  logger?: Logger;
  /** Milliseconds since the epoch; drives polling, leases and backoff (default Date.now). */
  clock?: () => number;
  workerId?: string;
  /** How long a lease lasts without renewal (default 30 s): a crashed worker's run waits this long. */
  leaseMs?: number;
  /** How often the loop looks for due runs (default: the poll interval, at most 5 s). */
  tickMs?: number;
  /** Ceiling of the poll backoff (default 8 × `training.poll_interval_ms`, 1 s – 10 min). */
  maxPollIntervalMs?: number;
  /** Transient failures of one step before the run fails (default 8). */
  maxAttempts?: number;
  /** Runs advanced at once by this process (default 2). */
  concurrency?: number;
  /** Where exports wait for upload (default `<tmpdir>/rekindle-training`). */
  workDir?: string;
  /** How long stop() waits for steps in flight (default 5 s). */
  stopTimeoutMs?: number;
  /** Clear every lease on start: only for a store this process owns alone (embedded PGlite). */
  releaseStaleLocksOnStart?: boolean;
  /** The weekly cycle; off when absent. */
  schedule?: TrainingScheduleOptions | null;
}

export interface RunTrainingCycleInput {
  provider: FineTuningProvider;
  /** Default: the next version by the seed's scheme (v1.0.0, then a minor bump per batch). */
  modelVersion?: string | null;
  minQualityScore?: number;
  deployImmediately?: boolean;
  /** Percent of the route's traffic for the new model (default 10 when deploying). */
  abTestTraffic?: number | null;
  organizationId?: string | null;
  route?: string;
  hyperparameters?: Readonly<Record<string, number | string>>;
  triggeredBy?: string;
  scheduleSlot?: string | null;
  skipIfActive?: boolean;
}

export interface DriveRunOptions {
  /** Stop once this holds (default: the run finished). */
  until?: (run: TrainingRun) => boolean;
  onProgress?: (run: TrainingRunDetail) => void;
  signal?: AbortSignal;
}

/** Nothing more will happen to the run (a registered run with a deploy pending is not finished). */
export const isFinishedRun = (run: TrainingRun): boolean =>
  finishedTrainingRunStatuses.has(run.status) &&
  !(run.status === 'registered' && run.deploy_immediately && run.error === null);
