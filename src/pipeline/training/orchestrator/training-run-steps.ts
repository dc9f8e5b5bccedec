/**
 * One step of a training run per status. Each step is repeatable from what the run stores: a
 * crash between a vendor call and the write that records its result repeats the step, and the
 * step is written so that repeating it is harmless — a re-uploaded file is only a spare file, a
 * job is never created twice for one training file (`findJobForTrainingFile` first), registering
 * the same version and model again returns the existing row, a deploy already in place is kept.
 */
import { access, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { GatewayConfig } from '../../../config/index.ts';
import type { Logger } from '../../../metrics/index.ts';
import type {
  ChangeOptions,
  RegisterModelInput,
  RegistryRow,
} from '../../../store/model-registry-store.ts';
import type { OutcomesStore } from '../../../store/outcomes/outcomes-store.ts';
import type {
  TrainingRun,
  TrainingRunFields,
  TrainingRunStatus,
  TrainingRunsStore,
} from '../../../store/training-runs-store.ts';
import type { ExportFilePaths } from '../export/index.ts';
import {
  type FineTuner,
  type FineTuningJobState,
  type FineTuningProvider,
  fineTuningProviderEntry,
  terminalStatuses,
} from '../fine-tuners/index.ts';
import { exportOutcomesToFiles } from './export-outcomes.ts';
import { type PollBackoff, pollDelayMs } from './poll-backoff.ts';
import type { RunLease } from './run-lease.ts';

/** The registry operations a run needs (RegistryService in the gateway, the store in the CLI). */
export interface TrainingRegistry {
  register(input: RegisterModelInput): Promise<RegistryRow>;
  deploy(
    route: string,
    ref: string,
    trafficPercentage: number,
    abTestGroup: string | null,
    options?: ChangeOptions,
  ): Promise<RegistryRow>;
  list(route?: string): Promise<RegistryRow[]>;
}

export interface TrainingStepContext {
  runs: TrainingRunsStore;
  outcomes: Pick<OutcomesStore, 'exportTrainingReady'>;
  registry: TrainingRegistry;
  config: GatewayConfig;
  fineTuner(provider: FineTuningProvider): FineTuner;
  workDir: string;
  worker: string;
  now(): Date;
  backoff: PollBackoff;
  logger: Logger;
}

export interface StepResult {
  /** The run after the step; null when the compare-and-set lost (someone else changed it). */
  run: TrainingRun | null;
  /** Go on with the next step under the same lease (no vendor wait in between). */
  again: boolean;
}

export function runFiles(
  workDir: string,
  runId: string,
): Required<ExportFilePaths> & { directory: string } {
  const directory = join(workDir, runId);
  return {
    directory,
    trainPath: join(directory, 'train.jsonl'),
    validationPath: join(directory, 'validation.jsonl'),
  };
}

/** The step for the run's status; throws what went wrong (the orchestrator decides retry/fail). */
export function runStep(
  context: TrainingStepContext,
  run: TrainingRun,
  lease: RunLease,
): Promise<StepResult> {
  switch (run.status) {
    case 'exporting':
      return exportStep(context, run);
    case 'uploading':
      return uploadStep(context, run, lease);
    case 'queued':
    case 'running':
      return pollStep(context, run);
    case 'succeeded':
      return registerStep(context, run);
    case 'registered':
      return deployStep(context, run);
    default:
      return Promise.resolve({ run, again: false });
  }
}

/** Compare-and-set from the run's current status, under this worker's lease. */
export function moveRun(
  context: TrainingStepContext,
  run: TrainingRun,
  status: TrainingRunStatus,
  fields: TrainingRunFields,
): Promise<TrainingRun | null> {
  return context.runs.advance(run.id, context.worker, run.status, status, fields, {
    now: context.now(),
  });
}

const later = (context: TrainingStepContext, milliseconds: number) =>
  new Date(context.now().getTime() + milliseconds).toISOString();

function exportFor(context: TrainingStepContext, run: TrainingRun) {
  return exportOutcomesToFiles(
    context.outcomes,
    context.config.training,
    runFiles(context.workDir, run.id),
    {
      format: run.provider,
      organizationId: run.organization_id,
      minQualityScore: run.min_quality_score,
    },
  );
}

async function exportStep(context: TrainingStepContext, run: TrainingRun): Promise<StepResult> {
  await mkdir(runFiles(context.workDir, run.id).directory, { recursive: true });
  const stats = await exportFor(context, run);
  const next = await moveRun(context, run, 'uploading', {
    stats: stats as unknown as Record<string, unknown>,
    attempts: 0,
    last_error: null,
  });
  return { run: next, again: true };
}

const validationExamples = (run: TrainingRun): number => {
  const written = run.stats.written as { validation?: unknown } | undefined;
  return typeof written?.validation === 'number' ? written.validation : 0;
};

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function uploadStep(
  context: TrainingStepContext,
  run: TrainingRun,
  lease: RunLease,
): Promise<StepResult> {
  const fineTuner = context.fineTuner(run.provider);
  const files = runFiles(context.workDir, run.id);
  let current: TrainingRun | null = run;
  const needsValidation = (candidate: TrainingRun) =>
    validationExamples(candidate) > 0 && !candidate.validation_file_id;
  if (!current.training_file_id || needsValidation(current)) {
    const present =
      (await exists(files.trainPath)) &&
      (validationExamples(current) === 0 || (await exists(files.validationPath)));
    if (!present) {
      // Exported by another instance, or the temp dir was cleaned: export again.
      await mkdir(files.directory, { recursive: true });
      const stats = await exportFor(context, current);
      current = await moveRun(context, current, 'uploading', {
        stats: stats as unknown as Record<string, unknown>,
      });
    }
  }
  const name = `rekindle-${run.model_version}`;
  if (current && !current.training_file_id) {
    await lease.assertHeld();
    const fileId = await fineTuner.uploadTrainingFile({
      path: files.trainPath,
      filename: `${name}-train.jsonl`,
      kind: 'train',
    });
    current = await moveRun(context, current, 'uploading', { training_file_id: fileId });
  }
  if (current && needsValidation(current)) {
    await lease.assertHeld();
    const fileId = await fineTuner.uploadTrainingFile({
      path: files.validationPath,
      filename: `${name}-validation.jsonl`,
      kind: 'validation',
    });
    current = await moveRun(context, current, 'uploading', { validation_file_id: fileId });
  }
  if (!current?.training_file_id) {
    return { run: current, again: false };
  }
  // A job created just before a crash (its id never stored) is found here, not bought twice.
  await lease.assertHeld();
  const job =
    (await fineTuner.findJobForTrainingFile(current.training_file_id)) ??
    (await fineTuner.createJob({
      trainingFileId: current.training_file_id,
      validationFileId: current.validation_file_id,
      baseModel: current.base_model,
      hyperparameters: current.hyperparameters,
      metadata: { rekindle_training_run_id: run.id, rekindle_model_version: run.model_version },
    }));
  const settled = terminalStatuses.has(job.status);
  const next = await moveRun(context, current, job.status === 'queued' ? 'queued' : 'running', {
    provider_job_id: job.jobId,
    provider_status: job.vendorStatus,
    poll_count: 0,
    attempts: 0,
    last_error: null,
    next_poll_at: later(context, settled ? 0 : context.backoff.baseMs),
  });
  if (!next) {
    await cancelOrphanedJob(context, fineTuner, run.id, job);
    return { run: null, again: false };
  }
  await rm(files.directory, { recursive: true, force: true });
  return { run: next, again: settled };
}

/** The run was cancelled while this worker created its job: cancel that job at the vendor too. */
async function cancelOrphanedJob(
  context: TrainingStepContext,
  fineTuner: FineTuner,
  runId: string,
  job: FineTuningJobState,
): Promise<void> {
  const latest = await context.runs.get(runId);
  if (latest?.status === 'cancelled' && !terminalStatuses.has(job.status)) {
    await fineTuner.cancelJob(job.jobId).catch((error: unknown) => {
      context.logger.warn('cancelling the job of a cancelled training run failed', {
        run: runId,
        job: job.jobId,
        error,
      });
    });
  }
}

async function pollStep(context: TrainingStepContext, run: TrainingRun): Promise<StepResult> {
  if (!run.provider_job_id) {
    throw new Error(`training run ${run.id} is ${run.status} without a provider job id`);
  }
  const job = await context.fineTuner(run.provider).getJob(run.provider_job_id);
  const base = {
    provider_status: job.vendorStatus,
    attempts: 0,
    last_error: null,
  } satisfies TrainingRunFields;
  if (job.status === 'succeeded' && job.fineTunedModel) {
    const next = await moveRun(context, run, 'succeeded', {
      ...base,
      fine_tuned_model: job.fineTunedModel,
      trained_tokens: job.trainedTokens,
      next_poll_at: null,
    });
    return { run: next, again: true };
  }
  if (job.status === 'failed' || job.status === 'cancelled') {
    const error = job.error
      ? { ...job.error }
      : {
          code: job.vendorStatus,
          message: `the ${run.provider} fine-tuning job ended in status ${job.vendorStatus}`,
          param: null,
        };
    const next = await moveRun(context, run, job.status, { ...base, error, next_poll_at: null });
    return { run: next, again: false };
  }
  const status = job.status === 'queued' ? 'queued' : 'running';
  // A status change means the job is moving: poll at the base interval again.
  const pollCount = job.vendorStatus === run.provider_status ? run.poll_count + 1 : 0;
  const next = await moveRun(context, run, status, {
    ...base,
    poll_count: pollCount,
    next_poll_at: later(context, pollDelayMs(context.backoff, pollCount)),
  });
  return { run: next, again: false };
}

/** What the registry keeps about how the model was made. */
function trainingStats(run: TrainingRun): Record<string, unknown> {
  const stats = run.stats as Record<string, unknown> & {
    estimated_cost_usd?: Record<string, unknown> | null;
  };
  return {
    training_run_id: run.id,
    provider: run.provider,
    provider_job_id: run.provider_job_id,
    base_model: run.base_model,
    trained_tokens: run.trained_tokens,
    min_quality_score: run.min_quality_score,
    hyperparameters: run.hyperparameters,
    examples: stats.written ?? null,
    fetched: stats.fetched ?? null,
    filtered: stats.filtered ?? null,
    average_quality_score: stats.average_quality_score ?? null,
    estimated_tokens: stats.estimated_tokens ?? null,
    estimated_cost_usd: stats.estimated_cost_usd?.[run.provider] ?? null,
  };
}

async function registerStep(context: TrainingStepContext, run: TrainingRun): Promise<StepResult> {
  if (!run.fine_tuned_model) {
    throw new Error(`training run ${run.id} succeeded without a fine-tuned model id`);
  }
  const row = await context.registry.register({
    route: run.route,
    model_id: run.fine_tuned_model,
    provider: fineTuningProviderEntry(run.provider, context.config)?.id ?? run.provider,
    model_version: run.model_version,
    base_model: run.base_model,
    training_run_id: run.id,
    training_stats: trainingStats(run),
    actor: 'training',
  });
  const next = await moveRun(context, run, 'registered', { registry_id: row.id });
  return { run: next, again: run.deploy_immediately };
}

async function deployStep(context: TrainingStepContext, run: TrainingRun): Promise<StepResult> {
  if (!run.deploy_immediately) {
    return { run, again: false };
  }
  const traffic = run.ab_test_traffic ?? 10;
  const rows = await context.registry.list(run.route);
  const row = rows.find((candidate) => candidate.model_version === run.model_version);
  // Repeated after a crash: a deploy already in place is not done (or audited) twice.
  if (!(row?.status === 'testing' && row.traffic_percentage === traffic)) {
    await context.registry.deploy(run.route, run.model_version, traffic, null, {
      actor: 'training',
      automatic: true,
    });
  }
  const next = await moveRun(context, run, 'deployed', {});
  return { run: next, again: false };
}
