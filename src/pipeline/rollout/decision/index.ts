export type {
  ArmAggregates,
  RouteAggregates,
  SumAndSquares,
} from './arm-aggregates.ts';
export {
  costMoments,
  estimateCostPerMeeting,
  estimateMean,
  estimateRate,
  type RateMetricName,
  rateMetrics,
  revenueMoments,
  type ValueEstimate,
} from './arm-metrics.ts';
export {
  type DecisionOptions,
  decisionOptionsFromConfig,
  defaultDecisionOptions,
  type OutcomeWindows,
} from './decision-options.ts';
export { formatP } from './decision-reasons.ts';
export { signedPercent } from './estimate-remaining.ts';
export {
  type Decision,
  type ExperimentEvaluation,
  evaluateExperiment,
  type VariantEvaluation,
} from './evaluate-experiment.ts';
export { planPromotion } from './experiment-plan.ts';

export type { ArmValue, ComparedMetric, MetricComparison } from './metric-comparisons.ts';
export type { PromotionCheck } from './promotion-checks.ts';
export { RolloutInputError } from './rollout-input-error.ts';
