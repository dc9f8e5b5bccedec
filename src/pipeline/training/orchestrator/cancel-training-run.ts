import { rm } from 'node:fs/promises';
import { GatewayError } from '../../../errors/index.ts';
import type { TrainingRun, TrainingRunsStore } from '../../../store/index.ts';
import type { FineTuner, FineTuningProvider } from '../fine-tuners/index.ts';
import { TrainingRunNotFoundError } from './training-run-errors.ts';
import { runFiles } from './training-step-context.ts';

/**
 * Cancels a run: first its vendor job when one is still going (so nothing keeps training and
 * billing), then the run itself, whoever holds its lease — that worker's next compare-and-set
 * fails and it stops. The vendor's answer (`cancelled`, Together's `cancel_requested`) is kept.
 */
export async function cancelTrainingRun(
  parts: {
    runs: TrainingRunsStore;
    fineTuner: (provider: FineTuningProvider) => FineTuner;
    now: () => Date;
    workDir: string;
  },
  ref: string,
  options: { actor?: string | null; reason?: string | null },
): Promise<TrainingRun> {
  const run = await parts.runs.get(ref);
  if (!run) {
    throw new TrainingRunNotFoundError(ref);
  }
  let providerStatus: string | null = null;
  if (run.provider_job_id && (run.status === 'queued' || run.status === 'running')) {
    const fineTuner = parts.fineTuner(run.provider);
    try {
      providerStatus = (await fineTuner.cancelJob(run.provider_job_id)).vendorStatus;
    } catch (error) {
      const state = await fineTuner.getJob(run.provider_job_id).catch(() => null);
      if (state?.status === 'succeeded' || state?.status === 'failed') {
        throw new GatewayError(
          'training_run_finished',
          `The ${run.provider} job of training run ${run.id} already ${state.status}; it can no longer be cancelled.`,
          { cause: error },
        );
      }
      throw error;
    }
  }
  const cancelled = await parts.runs.cancel(run.id, {
    actor: options.actor ?? null,
    reason: options.reason ?? null,
    providerStatus,
    now: parts.now(),
  });
  if (!cancelled) {
    throw new TrainingRunNotFoundError(ref);
  }
  await rm(runFiles(parts.workDir, run.id).directory, { recursive: true, force: true });
  return cancelled;
}
