export {
  createRolloutExperiments,
  type RolloutExperiments,
} from './create-rollout-experiments.ts';
export {
  type EvaluateSnapshotOptions,
  evaluateSnapshot,
  outcomeWindows,
  type RolloutSettings,
} from './evaluate-snapshot.ts';
export {
  type EvaluateRouteOptions,
  ExperimentService,
  type ExperimentServiceOptions,
  RouteNotFoundError,
} from './experiment-service.ts';
