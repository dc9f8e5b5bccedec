import {
  normalCdf,
  oneSidedMixtureBoundary,
  oneSidedMixtureTime,
  relativeLiftStandardError,
} from '../statistics/index.ts';
import type { DecisionOptions } from './decision-options.ts';

/** A promotion criterion seen as a function of sample size: lift, threshold and SE × √N. */
export interface CriterionProjection {
  readonly lift: number;
  readonly threshold: number;
  /** Standard error of the lift at one unit (SE scales as 1/√N with the split fixed). */
  readonly unitStandardError: number;
}

/**
 * Chance that the anytime-valid lower bound clears the threshold at N units if the true lift is
 * `lift`: Φ((lift − threshold)·√N / SE₁ − b(N)). Normal approximation at a single look — looking
 * weekly before N can only add chances to stop earlier.
 */
export function criterionPower(
  criterion: CriterionProjection,
  units: number,
  alphaPromote: number,
  options: DecisionOptions,
): number {
  if (units <= 0) {
    return 0;
  }
  const boundary = oneSidedMixtureBoundary(
    oneSidedMixtureTime(units, options.plannedTotalMessages, alphaPromote),
    alphaPromote,
  );
  return normalCdf(
    ((criterion.lift - criterion.threshold) * Math.sqrt(units)) / criterion.unitStandardError -
      boundary,
  );
}

/** Smallest x in [low, high] with predicate(x) true, for a monotone predicate (bisection). */
export function smallestSatisfying(
  predicate: (x: number) => boolean,
  low: number,
  high: number,
  tolerance: number,
): number | null {
  if (predicate(low)) {
    return low;
  }
  if (!predicate(high)) {
    return null;
  }
  let below = low;
  let above = high;
  while (above - below > tolerance) {
    const middle = (below + above) / 2;
    if (predicate(middle)) {
      above = middle;
    } else {
      below = middle;
    }
  }
  return above;
}

export interface PromotionDesign {
  readonly baselineReplyRate: number;
  readonly variantReplyRate: number;
  readonly baselineCloseRate: number;
  readonly variantCloseRate: number;
  /** Variant's share of the route's traffic (0.1 = 10 %). */
  readonly variantShare: number;
  /** Baseline's share (default: the rest). */
  readonly baselineShare?: number;
  /** Route messages per week whose outcome windows close (steady state). */
  readonly weeklyVolume: number;
  readonly variantCount?: number;
}

export interface PromotionPlan {
  readonly target_power: number;
  readonly alpha_promote: number;
  readonly weekly_volume: number;
  /** Messages (baseline + variant, windows closed) where the joint power reaches the target. */
  readonly messages_needed: number;
  readonly variant_messages_needed: number;
  /** Whole weeks of matured outcomes at the weekly volume. */
  readonly weeks_of_outcomes: number;
  /** Plus the close window: calendar weeks from deployment when close rate decides. */
  readonly calendar_weeks_with_close_window: number;
  /** Joint power after `weeks_of_outcomes` whole weeks. */
  readonly power_at_weeks: number;
  readonly criteria: readonly {
    readonly metric: 'reply_rate' | 'close_rate';
    readonly lift: number;
    readonly threshold: number;
    readonly power_at_weeks: number;
  }[];
}

/**
 * Design-time plan: how many weeks of matured outcomes a variant with the given true rates needs
 * before `promote` is expected with the target power, under the engine's own rule.
 */
export function planPromotion(design: PromotionDesign, options: DecisionOptions): PromotionPlan {
  const alphaPromote = options.alpha / (design.variantCount ?? 1) / 2;
  const baselineShare = design.baselineShare ?? 1 - design.variantShare;
  const comparisonShare = baselineShare + design.variantShare;
  const baselineFraction = baselineShare / comparisonShare;
  const variantFraction = design.variantShare / comparisonShare;
  const criteria = (
    [
      ['reply_rate', design.baselineReplyRate, design.variantReplyRate, options.minReplyLift],
      ['close_rate', design.baselineCloseRate, design.variantCloseRate, options.minCloseLift],
    ] as const
  ).map(([metric, baselineRate, variantRate, threshold]) => ({
    metric,
    baselineRate,
    variantRate,
    lift: variantRate / baselineRate - 1,
    threshold,
    unitStandardError: relativeLiftStandardError(
      { mean: baselineRate, variance: baselineRate * (1 - baselineRate), count: baselineFraction },
      { mean: variantRate, variance: variantRate * (1 - variantRate), count: variantFraction },
    ),
  }));
  const jointPower = (units: number) =>
    criteria.reduce(
      (product, criterion) => product * criterionPower(criterion, units, alphaPromote, options),
      1,
    );
  const minimumData = (units: number) =>
    criteria.every(
      (criterion) =>
        units * Math.min(baselineFraction, variantFraction) >= options.minSamplesPerArm &&
        units * baselineFraction * criterion.baselineRate >= options.minEventsPerArm &&
        units * variantFraction * criterion.variantRate >= options.minEventsPerArm,
    );
  const needed =
    smallestSatisfying(
      (units) => minimumData(units) && jointPower(units) >= options.power,
      1,
      1e12,
      1,
    ) ?? Number.POSITIVE_INFINITY;
  const comparisonWeekly = design.weeklyVolume * comparisonShare;
  const weeks = Math.max(
    Math.ceil(needed / comparisonWeekly),
    Math.ceil(options.minRuntimeDays / 7),
  );
  const unitsAtWeeks = weeks * comparisonWeekly;
  return {
    target_power: options.power,
    alpha_promote: alphaPromote,
    weekly_volume: design.weeklyVolume,
    messages_needed: Math.ceil(needed),
    variant_messages_needed: Math.ceil(needed * variantFraction),
    weeks_of_outcomes: weeks,
    calendar_weeks_with_close_window: weeks + Math.ceil(options.windows.closeDays / 7),
    power_at_weeks: jointPower(unitsAtWeeks),
    criteria: criteria.map((criterion) => ({
      metric: criterion.metric,
      lift: criterion.lift,
      threshold: criterion.threshold,
      power_at_weeks: criterionPower(criterion, unitsAtWeeks, alphaPromote, options),
    })),
  };
}
