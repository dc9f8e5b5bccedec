export {
  type ExportOutcomesOptions,
  exportOutcomesToFiles,
  exportStatsHeader,
} from './export-outcomes.ts';
export {
  describeRunStatus,
  formatExportStats,
  formatTrainingRun,
  formatTrainingRunList,
} from './format-training-run.ts';
export { type PollBackoff, pollBackoff, pollDelayMs } from './poll-backoff.ts';
export { LeaseLostError, RunLease } from './run-lease.ts';
export {
  type DriveRunOptions,
  isFinishedRun,
  type RunTrainingCycleInput,
  TrainingOrchestrator,
  type TrainingOrchestratorOptions,
} from './training-orchestrator.ts';
export {
  isTransientFailure,
  storedRunError,
  TrainingRunNotFoundError,
} from './training-run-errors.ts';
export { runFiles, type TrainingRegistry } from './training-run-steps.ts';
export {
  scheduleFromConfig,
  scheduleSlot,
  startTrainingSchedule,
  type TrainingSchedule,
  type TrainingScheduleOptions,
} from './training-schedule.ts';
