/** What every step of a training run works with, and the helpers they share. */
import { join } from 'node:path';
import type { GatewayConfig } from '../../../config/index.ts';
import type { Logger } from '../../../metrics/index.ts';
import type {
  ChangeOptions,
  OutcomesStore,
  RegisterModelInput,
  RegistryRow,
  TrainingRun,
  TrainingRunFields,
  TrainingRunStatus,
  TrainingRunsStore,
} from '../../../store/index.ts';
import type { ExportFilePaths } from '../export/index.ts';
import type { FineTuner, FineTuningProvider } from '../fine-tuners/index.ts';
import { exportOutcomesToFiles } from './export-outcomes.ts';
import type { PollBackoff } from './poll-backoff.ts';

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
  rollback(route: string, ref: string | null, options?: ChangeOptions): Promise<RegistryRow>;
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

export const later = (context: TrainingStepContext, milliseconds: number) =>
  new Date(context.now().getTime() + milliseconds).toISOString();

export function exportFor(context: TrainingStepContext, run: TrainingRun) {
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
