/**
 * One step of a training run per status. Each step is repeatable from what the run stores: a
 * crash between a vendor call and the write that records its result repeats the step, and the
 * step is written so that repeating it is harmless — a re-uploaded file is only a spare file, a
 * job is never created twice for one training file (`findJobForTrainingFile` first), registering
 * the same version and model again returns the existing row, a deploy already in place is kept.
 */

import { mkdir } from 'node:fs/promises';
import type { TrainingRun, TrainingRunFields } from '../../../store/index.ts';
import { fineTuningProviderEntry } from '../fine-tuners/index.ts';
import { pollDelayMs } from './poll-backoff.ts';
import type { RunLease } from './run-lease.ts';
import { scheduledVariantsTesting } from './scheduled-variants.ts';
import {
  exportFor,
  later,
  moveRun,
  runFiles,
  type StepResult,
  type TrainingStepContext,
} from './training-step-context.ts';
import { uploadStep } from './upload-step.ts';

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
    await retireScheduledVariants(context, run);
    await context.registry.deploy(run.route, run.model_version, traffic, null, {
      actor: 'training',
      automatic: true,
    });
  }
  const next = await moveRun(context, run, 'deployed', {});
  return { run: next, again: false };
}

/**
 * One scheduled variant per route (training.schedule_variant_policy `replace`): the one still
 * under test is rolled back, with the reason, before the next scheduled model takes its place.
 */
async function retireScheduledVariants(
  context: TrainingStepContext,
  run: TrainingRun,
): Promise<void> {
  if (run.schedule_slot === null || context.config.training.schedule_variant_policy !== 'replace') {
    return;
  }
  const previous = await scheduledVariantsTesting(
    context.registry,
    context.runs,
    run.route,
    run.id,
  );
  for (const row of previous) {
    await context.registry.rollback(run.route, row.model_version, {
      actor: 'training',
      automatic: true,
      reason: `replaced by scheduled training run ${run.id} (${run.model_version}) before it was decided`,
    });
  }
}
