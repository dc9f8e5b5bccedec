import type { GatewayConfig } from '../../../config/index.ts';
import type { Store } from '../../../store/create-store.ts';
import { ModelRegistryStore } from '../../../store/model-registry-store.ts';
import { TrainingRunsStore } from '../../../store/training-runs-store.ts';
import type { FineTuner, FineTuningProvider } from '../fine-tuners/index.ts';
import { exportOutcomesToFiles, TrainingOrchestrator } from '../orchestrator/index.ts';
import type { TrainingControl } from './training-control.ts';

export interface LocalTrainingControlOptions {
  store: Store;
  config: GatewayConfig;
  /** Close the store with the control (default true). */
  ownsStore?: boolean;
  fineTuner?: (provider: FineTuningProvider) => FineTuner;
  workDir?: string;
}

/**
 * The CLI as its own orchestrator: runs are stored and advanced in this process while it waits.
 * Another orchestrator over the same database (a gateway on PostgreSQL) may advance them too; the
 * leases keep the two from stepping on each other.
 */
export function createLocalTrainingControl(options: LocalTrainingControlOptions): TrainingControl {
  const { store, config } = options;
  const runs = new TrainingRunsStore(store.transport);
  // This process owns an embedded PGlite alone: a lease in it is left by a process that died
  // (a killed gateway or CLI), so it is cleared before this one drives a run.
  let released: Promise<unknown> | undefined;
  const releaseStaleLeases = () => {
    if (store.transport.kind === 'pglite') {
      released ??= runs.releaseAllLocks();
    }
    return released;
  };
  const orchestrator = new TrainingOrchestrator({
    config,
    runs,
    outcomes: store.outcomes,
    registry: new ModelRegistryStore(store.transport),
    workerId: `cli:${process.pid}`,
    ...(options.fineTuner ? { fineTuner: options.fineTuner } : {}),
    ...(options.workDir ? { workDir: options.workDir } : {}),
  });
  return {
    mode: 'store',
    exportToFile: (output, request, onProgress) =>
      exportOutcomesToFiles(
        store.outcomes,
        config.training,
        { trainPath: output },
        {
          format: request.format,
          organizationId: request.organizationId ?? null,
          ...(request.minQualityScore === undefined
            ? {}
            : { minQualityScore: request.minQualityScore }),
          limit: request.limit ?? null,
          keepPii: request.keepPii ?? false,
          ...(request.minExamples === undefined ? {} : { minExamples: request.minExamples }),
          validationFraction: 0,
          ...(onProgress ? { onProgress, progressEvery: 5_000 } : {}),
        },
      ),
    startRun: async (input) => (await orchestrator.runTrainingCycle(input)).run,
    getRun: (ref) => orchestrator.get(ref),
    listRuns: (filter) => orchestrator.list(filter),
    cancelRun: (ref, reason) => orchestrator.cancel(ref, { actor: 'cli', reason: reason ?? null }),
    waitForRun: async (runId, waitOptions = {}) => {
      await releaseStaleLeases();
      return orchestrator.driveRun(runId, waitOptions);
    },
    close: async () => {
      await orchestrator.stop();
      if (options.ownsStore ?? true) {
        await store.close();
      }
    },
  };
}
