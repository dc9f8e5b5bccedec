export { cancelTrainingRun } from './cancel-training-run.ts';
export {
  type ExportOutcomesOptions,
  exportOutcomesToFiles,
  exportStatsHeader,
} from './export-outcomes.ts';
export { type PollBackoff, pollBackoff, pollDelayMs } from './poll-backoff.ts';
export { LeaseLostError, RunLease } from './run-lease.ts';
export { advanceClaimedRun, type RunWorkerOptions } from './run-worker.ts';
export { TrainingOrchestrator } from './training-orchestrator.ts';
export {
  type DriveRunOptions,
  isFinishedRun,
  type RunTrainingCycleInput,
  type TrainingOrchestratorOptions,
} from './training-orchestrator-options.ts';
export {
  isTransientFailure,
  storedRunError,
  TrainingRunNotFoundError,
} from './training-run-errors.ts';
export {
  scheduleFromConfig,
  scheduleSlot,
  startTrainingSchedule,
  type TrainingSchedule,
  type TrainingScheduleOptions,
} from './training-schedule.ts';
export {
  runFiles,
  type TrainingRegistry,
  type TrainingStepContext,
} from './training-step-context.ts';
