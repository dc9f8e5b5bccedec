export {
  createRolloutExperiments,
  type RolloutExperiments,
} from './create-rollout-experiments.ts';
export {
  evaluateSnapshot,
  outcomeWindows,
  type RolloutSettings,
} from './evaluate-snapshot.ts';
export { ExperimentService } from './experiment-service.ts';
