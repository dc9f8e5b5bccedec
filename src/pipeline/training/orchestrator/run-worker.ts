/**
 * What a worker does with a run it leased: steps it as far as it can go without waiting on the
 * vendor, under a lease renewed in the background, and decides what a failed step means — try
 * again later (transient vendor or store trouble), or fail the run with the error kept.
 */
import { rm } from 'node:fs/promises';
import type { TrainingRun, TrainingRunsStore } from '../../../store/index.ts';
import { InsufficientTrainingDataError } from '../export/index.ts';
import { pollDelayMs } from './poll-backoff.ts';
import { LeaseLostError, RunLease } from './run-lease.ts';
import { isTransientFailure, storedRunError } from './training-run-errors.ts';
import { runStep } from './training-run-steps.ts';
import { moveRun, runFiles, type TrainingStepContext } from './training-step-context.ts';

export interface RunWorkerOptions {
  runs: TrainingRunsStore;
  leaseMs: number;
  /** Transient failures of one step before the run fails. */
  maxAttempts: number;
  /** True once the orchestrator is stopping: no new step, no failure written. */
  stopping: () => boolean;
}

export async function advanceClaimedRun(
  context: TrainingStepContext,
  claimed: TrainingRun,
  options: RunWorkerOptions,
): Promise<void> {
  const lease = new RunLease({
    runs: options.runs,
    runId: claimed.id,
    worker: context.worker,
    leaseMs: options.leaseMs,
    now: context.now,
    logger: context.logger,
  });
  let current: TrainingRun | null = claimed;
  try {
    while (current && !options.stopping()) {
      const before: TrainingRun = current;
      const result = await runStep(context, before, lease).catch(async (error: unknown) => ({
        run: await failStep(context, before, error, options),
        again: false,
      }));
      current = result.run;
      if (!result.again) {
        break;
      }
    }
  } finally {
    lease.stop();
    await options.runs.release(claimed.id, context.worker).catch(() => {});
    if (current && (current.status === 'failed' || current.status === 'cancelled')) {
      await rm(runFiles(context.workDir, current.id).directory, { recursive: true, force: true });
    }
  }
}

/** A step threw: retry later when it may pass, otherwise fail the run with what went wrong. */
async function failStep(
  context: TrainingStepContext,
  run: TrainingRun,
  error: unknown,
  options: RunWorkerOptions,
): Promise<TrainingRun | null> {
  if (error instanceof LeaseLostError || options.stopping()) {
    return null;
  }
  const stored = storedRunError(error);
  context.logger.warn('training run step failed', {
    run: run.id,
    status: run.status,
    error: stored,
  });
  const latest = await options.runs.get(run.id);
  if (!latest || latest.status !== run.status || latest.locked_by !== context.worker) {
    return null;
  }
  if (latest.status === 'registered') {
    // The model is registered; only the deploy failed. It can be deployed by hand.
    return moveRun(context, latest, 'registered', { error: { ...stored, code: 'deploy_failed' } });
  }
  if (isTransientFailure(error) && latest.attempts + 1 < options.maxAttempts) {
    const delay = pollDelayMs(context.backoff, latest.attempts);
    return moveRun(context, latest, latest.status, {
      attempts: latest.attempts + 1,
      last_error: stored,
      next_poll_at: new Date(context.now().getTime() + delay).toISOString(),
    });
  }
  return moveRun(context, latest, 'failed', {
    error: stored,
    next_poll_at: null,
    ...(error instanceof InsufficientTrainingDataError
      ? { stats: error.stats as unknown as Record<string, unknown> }
      : {}),
  });
}
