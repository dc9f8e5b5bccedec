import type { ArmAggregates, RouteAggregates } from './arm-aggregates.ts';
import type { DecisionOptions } from './decision-options.ts';
import {
  checkReason,
  describeMethod,
  formatP,
  noHarmReason,
  remainingReason,
  srmReason,
} from './decision-reasons.ts';
import { estimateRemaining, type RemainingEstimate } from './estimate-remaining.ts';
import { type HarmTest, runHarmTests } from './harm-tests.ts';
import { compareMetrics, type MetricComparison } from './metric-comparisons.ts';
import { checkPromotion, type PromotionCheck } from './promotion-checks.ts';
import { unjudgeableBecause } from './route-without-baseline.ts';
import {
  checkSampleRatio,
  type SampleRatioReport,
  uncheckedSampleRatio,
} from './sample-ratio-check.ts';

export type Decision = 'promote' | 'keep_testing' | 'rollback' | 'invalid';

export interface VariantEvaluation {
  readonly model_version: string;
  readonly traffic_percentage: number;
  readonly deployed_at: string | null;
  readonly runtime_days: number | null;
  readonly decision: Decision;
  readonly reasons: readonly string[];
  /** A guardrail (not just a goal metric) is significantly worse: eligible for auto-rollback. */
  readonly guardrail_failed: boolean;
  readonly alpha: { readonly variant: number; readonly promote: number; readonly harm: number };
  readonly promotion_checks: readonly PromotionCheck[];
  readonly harm_tests: readonly HarmTest[];
  readonly comparisons: readonly MetricComparison[];
  /** Messages and weeks still needed (keep_testing, or invalid for lack of data). */
  readonly estimate: RemainingEstimate | null;
}

export interface ExperimentEvaluation {
  readonly route: string;
  readonly evaluated_at: string;
  /** Null when the route has no single baseline (nothing deployed yet): the decision is invalid. */
  readonly baseline: string | null;
  /**
   * One variant: its decision. Several: invalid on SRM, else promote if any variant is promoted
   * (`promoted_variant` names the one with the highest reply-lift lower bound), else rollback if
   * any is rolled back, else keep_testing if any is still running, else invalid.
   */
  readonly decision: Decision;
  readonly promoted_variant: string | null;
  readonly reasons: readonly string[];
  readonly method: Record<string, unknown>;
  readonly sample_ratio_mismatch: SampleRatioReport;
  readonly arms: readonly {
    readonly model_version: string;
    readonly is_baseline: boolean;
    readonly traffic_percentage: number;
    readonly deployed_at: string | null;
    readonly messages_sent: number;
    readonly errors: number;
    /**
     * Requests assigned to the arm that its own model failed, over all its assigned requests
     * (intention to treat); null before any request.
     */
    readonly error_rate: number | null;
    /** Who served the arm's requests: its own model, or a fallback (store source only). */
    readonly served_by?: { readonly own_model: number; readonly fallback: number };
  }[];
  readonly variants: readonly VariantEvaluation[];
}

const dayMs = 86_400_000;

/**
 * The rollout decision for one route: every variant against the baseline. Pure: the same
 * aggregates, options and `now` always give the same answer. A route that cannot be judged (no
 * baseline — a fresh install —, several, or no traffic split) answers `invalid` with the reason and
 * no variants, never an error: "nothing to decide yet" is a decision the caller can show.
 */
export function evaluateExperiment(
  aggregates: RouteAggregates,
  options: DecisionOptions,
  now: Date,
): ExperimentEvaluation {
  const unjudgeable = unjudgeableBecause(aggregates);
  const baselines = aggregates.arms.filter((arm) => arm.isBaseline);
  const [baseline] = baselines;
  const variants = aggregates.arms.filter((arm) => !arm.isBaseline);
  if (unjudgeable !== null || !baseline) {
    return {
      route: aggregates.route,
      evaluated_at: now.toISOString(),
      baseline: baselines.length === 1 && baseline ? baseline.modelVersion : null,
      decision: 'invalid',
      promoted_variant: null,
      reasons: [unjudgeable ?? 'no baseline'],
      method: describeMethod(options, options.alpha / Math.max(variants.length, 1)),
      sample_ratio_mismatch: uncheckedSampleRatio(
        aggregates.arms,
        options.srmThreshold,
        'no single baseline and traffic split to compare with',
      ),
      arms: armSummaries(aggregates.arms),
      variants: [],
    };
  }
  const weightTotal = aggregates.arms.reduce((sum, arm) => sum + arm.trafficPercentage, 0);
  const srm = checkSampleRatio(aggregates.arms, options.srmThreshold);
  const routeRuntime = runtimeDays(latestDeployment(aggregates.arms), now);
  const routeMessagesSent = aggregates.arms.reduce((sum, arm) => sum + arm.messagesSent, 0);
  const alphaVariant = options.alpha / Math.max(variants.length, 1);
  const evaluations = variants.map((variant) =>
    evaluateVariant({
      baseline,
      variant,
      options,
      now,
      srm,
      alphaVariant,
      baselineShare: baseline.trafficPercentage / weightTotal,
      variantShare: variant.trafficPercentage / weightTotal,
      routeRuntime,
      routeMessagesSent,
    }),
  );
  const { decision, promoted, reasons } = overallDecision(evaluations, srm);
  return {
    route: aggregates.route,
    evaluated_at: now.toISOString(),
    baseline: baseline.modelVersion,
    decision,
    promoted_variant: promoted,
    reasons,
    method: describeMethod(options, alphaVariant),
    sample_ratio_mismatch: srm,
    arms: armSummaries(aggregates.arms),
    variants: evaluations,
  };
}

function armSummaries(arms: readonly ArmAggregates[]): ExperimentEvaluation['arms'] {
  return arms.map((arm) => ({
    model_version: arm.modelVersion,
    is_baseline: arm.isBaseline,
    traffic_percentage: arm.trafficPercentage,
    deployed_at: arm.deployedAt?.toISOString() ?? null,
    messages_sent: arm.messagesSent,
    errors: arm.errors,
    error_rate: errorRate(arm),
    ...(arm.fallbackMessages === undefined
      ? {}
      : { served_by: { own_model: arm.messagesSent, fallback: arm.fallbackMessages } }),
  }));
}

function errorRate(arm: ArmAggregates): number | null {
  const assigned = arm.messagesSent + arm.errors;
  return assigned > 0 ? arm.errors / assigned : null;
}

interface VariantContext {
  readonly baseline: ArmAggregates;
  readonly variant: ArmAggregates;
  readonly options: DecisionOptions;
  readonly now: Date;
  readonly srm: SampleRatioReport;
  readonly alphaVariant: number;
  readonly baselineShare: number;
  readonly variantShare: number;
  readonly routeRuntime: number | null;
  readonly routeMessagesSent: number;
}

function evaluateVariant(context: VariantContext): VariantEvaluation {
  const { baseline, variant, options } = context;
  const alphaPromote = context.alphaVariant / 2;
  const alphaHarm = context.alphaVariant / 2;
  const harmTests = runHarmTests(baseline, variant, alphaHarm, options);
  const checks = (['reply_rate', 'close_rate'] as const).map((metric) =>
    checkPromotion(metric, baseline, variant, alphaPromote, options),
  );
  const runtime = runtimeDays(variant.deployedAt, context.now);
  const estimate = () =>
    estimateRemaining({
      baseline,
      variant,
      checks,
      alphaPromote,
      options,
      baselineShare: context.baselineShare,
      variantShare: context.variantShare,
      runtimeDays: context.routeRuntime,
      routeMessagesSent: context.routeMessagesSent,
    });
  const worse = harmTests.filter((test) => test.significantly_worse);
  const notReady = checks.flatMap((check) => check.not_ready_because);
  if (runtime !== null && runtime < options.minRuntimeDays) {
    notReady.unshift(`running ${runtime.toFixed(1)} days (< ${options.minRuntimeDays})`);
  }
  let decision: Decision;
  let reasons: string[];
  let remaining: RemainingEstimate | null = null;
  if (!context.srm.ok) {
    decision = 'invalid';
    reasons = [srmReason(context.srm)];
  } else if (worse.length > 0) {
    decision = 'rollback';
    reasons = worse.map(
      (test) =>
        `${test.metric.replaceAll('_', ' ')} significantly ${test.worse_when} than the baseline (anytime-valid p = ${formatP(test.anytime_p_value)} ≤ Holm threshold ${formatP(test.holm_threshold)})`,
    );
  } else if (notReady.length > 0) {
    decision = 'invalid';
    reasons = notReady.map((reason) => `too little data: ${reason}`);
    remaining = estimate();
  } else if (checks.every((check) => check.met)) {
    decision = 'promote';
    reasons = [...checks.map(checkReason), noHarmReason(harmTests)];
  } else {
    decision = 'keep_testing';
    reasons = checks.filter((check) => !check.met).map(checkReason);
    remaining = estimate();
    reasons.push(remainingReason(remaining));
  }
  if (decision === 'invalid' && remaining !== null) {
    reasons.push(remainingReason(remaining));
  }
  return {
    model_version: variant.modelVersion,
    traffic_percentage: variant.trafficPercentage,
    deployed_at: variant.deployedAt?.toISOString() ?? null,
    runtime_days: runtime === null ? null : Math.round(runtime * 10) / 10,
    decision,
    reasons,
    guardrail_failed: decision === 'rollback' && worse.some((test) => test.kind === 'guardrail'),
    alpha: { variant: context.alphaVariant, promote: alphaPromote, harm: alphaHarm },
    promotion_checks: checks,
    harm_tests: harmTests,
    comparisons: compareMetrics(baseline, variant, alphaPromote, options),
    estimate: remaining,
  };
}

function overallDecision(
  evaluations: readonly VariantEvaluation[],
  srm: SampleRatioReport,
): { decision: Decision; promoted: string | null; reasons: string[] } {
  if (evaluations.length === 0) {
    return {
      decision: 'invalid',
      promoted: null,
      reasons: ['no variant runs beside the baseline'],
    };
  }
  if (!srm.ok) {
    return { decision: 'invalid', promoted: null, reasons: [srmReason(srm)] };
  }
  const promoted = evaluations
    .filter((evaluation) => evaluation.decision === 'promote')
    .sort((left, right) => replyLowerBound(right) - replyLowerBound(left));
  const winner = promoted[0];
  if (winner) {
    return { decision: 'promote', promoted: winner.model_version, reasons: [...winner.reasons] };
  }
  for (const decision of ['rollback', 'keep_testing', 'invalid'] as const) {
    const found = evaluations.find((evaluation) => evaluation.decision === decision);
    if (found) {
      return { decision, promoted: null, reasons: [...found.reasons] };
    }
  }
  return { decision: 'invalid', promoted: null, reasons: [] };
}

function replyLowerBound(evaluation: VariantEvaluation): number {
  const check = evaluation.promotion_checks.find((item) => item.metric === 'reply_rate');
  return check?.anytime_interval?.lower ?? Number.NEGATIVE_INFINITY;
}

function latestDeployment(arms: readonly ArmAggregates[]): Date | null {
  const times = arms.flatMap((arm) => (arm.deployedAt ? [arm.deployedAt.getTime()] : []));
  return times.length === 0 ? null : new Date(Math.max(...times));
}

function runtimeDays(deployedAt: Date | null, now: Date): number | null {
  return deployedAt === null ? null : (now.getTime() - deployedAt.getTime()) / dayMs;
}
