import type { GatewayConfig } from '../../config/index.ts';
import { exportOutcomesToFiles, TrainingOrchestrator } from '../../pipeline/index.ts';
import type { Store } from '../../store/index.ts';
import type { TrainingAdmin } from './admin-client.ts';

/**
 * The CLI as its own orchestrator: runs are stored and advanced in this process while it waits.
 * Another orchestrator over the same database (a gateway on PostgreSQL) may advance them too; the
 * leases keep the two from stepping on each other.
 */
export function storeTrainingAdmin(
  store: Store,
  config: () => GatewayConfig,
): TrainingAdmin & { stop(): Promise<void> } {
  const runs = store.trainingRuns;
  let built: TrainingOrchestrator | undefined;
  const orchestrator = () => {
    built ??= new TrainingOrchestrator({
      config: config(),
      runs,
      outcomes: store.outcomes,
      registry: store.registry,
      workerId: `cli:${process.pid}`,
    });
    return built;
  };
  // This process owns an embedded PGlite alone: a lease in it is left by a process that died
  // (a killed gateway or CLI), so it is cleared before this one drives a run.
  let released: Promise<unknown> | undefined;
  const releaseStaleLeases = () => {
    if (store.kind === 'pglite') {
      released ??= runs.releaseAllLocks();
    }
    return released;
  };
  return {
    exportToFile: (output, request, onProgress) =>
      exportOutcomesToFiles(
        store.outcomes,
        config().training,
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
    startRun: async (input) => (await orchestrator().runTrainingCycle(input)).run,
    getRun: (ref) => orchestrator().get(ref),
    listRuns: (filter) => orchestrator().list(filter),
    cancelRun: (ref, reason) =>
      orchestrator().cancel(ref, { actor: 'cli', reason: reason ?? null }),
    waitForRun: async (runId, options = {}) => {
      await releaseStaleLeases();
      return orchestrator().driveRun(runId, options);
    },
    stop: async () => {
      await built?.stop();
    },
  };
}
