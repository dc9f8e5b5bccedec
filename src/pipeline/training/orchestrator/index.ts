export {
  exportOutcomesToFiles,
  exportStatsHeader,
} from './export-outcomes.ts';
export { pollBackoff, pollDelayMs } from './poll-backoff.ts';

export { TrainingOrchestrator } from './training-orchestrator.ts';
export {
  isFinishedRun,
  type RunTrainingCycleInput,
  type TrainingOrchestratorOptions,
} from './training-orchestrator-options.ts';

export {
  scheduleFromConfig,
  scheduleSlot,
  startTrainingSchedule,
} from './training-schedule.ts';
