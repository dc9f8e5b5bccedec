import type { ExperimentEvaluation, VariantEvaluation } from '../decision/index.ts';

/**
 * The numbers behind an automatic change, stored in `rollout_events.details`: enough to see why
 * without re-running the evaluation (every rate with its interval, each promotion check, each
 * failed harm test, the split check and the method in force).
 */
export function decisionDetails(
  evaluation: ExperimentEvaluation,
  variant: VariantEvaluation,
  decisionKey: string,
): Record<string, unknown> {
  return {
    decision_key: decisionKey,
    decision: variant.decision,
    evaluated_at: evaluation.evaluated_at,
    baseline: evaluation.baseline,
    variant: variant.model_version,
    traffic_percentage: variant.traffic_percentage,
    deployed_at: variant.deployed_at,
    runtime_days: variant.runtime_days,
    reasons: variant.reasons,
    guardrail_failed: variant.guardrail_failed,
    alpha: variant.alpha,
    arms: evaluation.arms,
    sample_ratio_mismatch: {
      p_value: evaluation.sample_ratio_mismatch.p_value,
      threshold: evaluation.sample_ratio_mismatch.threshold,
      ok: evaluation.sample_ratio_mismatch.ok,
    },
    promotion_checks: variant.promotion_checks.map((check) => ({
      metric: check.metric,
      baseline_rate: check.baseline_rate,
      variant_rate: check.variant_rate,
      lift: check.lift,
      anytime_interval: check.anytime_interval,
      anytime_p_value: check.anytime_p_value,
      threshold: check.threshold,
      met: check.met,
    })),
    significantly_worse: variant.harm_tests
      .filter((test) => test.significantly_worse)
      .map((test) => ({
        metric: test.metric,
        kind: test.kind,
        z: test.z,
        units: test.units,
        anytime_p_value: test.anytime_p_value,
        holm_threshold: test.holm_threshold,
      })),
    rates: variant.comparisons.map((comparison) => ({
      metric: comparison.metric,
      baseline: comparison.baseline.value,
      baseline_ci95: comparison.baseline.interval,
      variant: comparison.variant.value,
      variant_ci95: comparison.variant.interval,
      lift: comparison.lift,
    })),
    method: evaluation.method,
  };
}
