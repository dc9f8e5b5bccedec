export { ExperimentGauges } from './experiment-gauges.ts';
export {
  experimentRoutes,
  RolloutAutomation,
} from './rollout-automation.ts';
