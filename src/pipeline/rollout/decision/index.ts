export type {
  ArmAggregates,
  CloseCohort,
  MeetingCohort,
  ReplyCohort,
  RouteAggregates,
  SumAndSquares,
} from './arm-aggregates.ts';
export {
  type Cohort,
  costMoments,
  estimateCostPerMeeting,
  estimateMean,
  estimateRate,
  type RateEstimate,
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
export { type RemainingEstimate, signedPercent } from './estimate-remaining.ts';
export {
  type Decision,
  type ExperimentEvaluation,
  evaluateExperiment,
  type VariantEvaluation,
} from './evaluate-experiment.ts';
export {
  criterionPower,
  type PromotionDesign,
  type PromotionPlan,
  planPromotion,
} from './experiment-plan.ts';
export { type HarmKind, type HarmMetric, type HarmTest, harmFamily } from './harm-tests.ts';
export type { ArmValue, ComparedMetric, MetricComparison } from './metric-comparisons.ts';
export type { PromotionCheck, PromotionMetric } from './promotion-checks.ts';
export { RolloutInputError } from './rollout-input-error.ts';
export type { SampleRatioReport } from './sample-ratio-check.ts';
