/**
 * The `uploading` step: the export's files to the vendor, then the job. A crash between an upload
 * and the write of its file id repeats the upload (a spare file at the vendor, harmless); a crash
 * between creating the job and storing its id is healed by `findJobForTrainingFile`, so a job is
 * never bought twice for one training file.
 */
import { access, mkdir, rm } from 'node:fs/promises';
import type { TrainingRun } from '../../../store/index.ts';
import { type FineTuner, type FineTuningJobState, terminalStatuses } from '../fine-tuners/index.ts';
import type { RunLease } from './run-lease.ts';
import {
  exportFor,
  later,
  moveRun,
  runFiles,
  type StepResult,
  type TrainingStepContext,
} from './training-step-context.ts';

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

export async function uploadStep(
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
