import type { RegistryRow, TrainingRunsStore } from '../../../store/index.ts';
import type { TrainingRegistry } from './training-step-context.ts';

/**
 * The route's variants still under test that a scheduled training cycle deployed (their training
 * run has a schedule slot), other than `exceptRunId`'s own.
 */
export async function scheduledVariantsTesting(
  registry: Pick<TrainingRegistry, 'list'>,
  runs: Pick<TrainingRunsStore, 'get'>,
  route: string,
  exceptRunId: string | null,
): Promise<RegistryRow[]> {
  const testing = (await registry.list(route)).filter(
    (row) =>
      row.status === 'testing' &&
      row.training_run_id !== null &&
      row.training_run_id !== exceptRunId,
  );
  const scheduled: RegistryRow[] = [];
  for (const row of testing) {
    const run = row.training_run_id === null ? null : await runs.get(row.training_run_id);
    if (run?.schedule_slot) {
      scheduled.push(row);
    }
  }
  return scheduled;
}
