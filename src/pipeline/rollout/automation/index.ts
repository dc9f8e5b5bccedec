export { decisionDetails } from './decision-details.ts';
export { ExperimentGauges, gaugedMetrics } from './experiment-gauges.ts';
export {
  type ActionResult,
  type AutomationAction,
  type AutomationClaims,
  type AutomationRegistry,
  experimentRoutes,
  RolloutAutomation,
  type RolloutAutomationOptions,
  type RouteRound,
} from './rollout-automation.ts';
