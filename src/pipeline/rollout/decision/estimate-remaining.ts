import type { ArmAggregates } from './arm-aggregates.ts';
import { cohortMessages, rateMetric } from './arm-metrics.ts';
import type { DecisionOptions } from './decision-options.ts';
import { type CriterionProjection, criterionPower, smallestSatisfying } from './experiment-plan.ts';
import type { PromotionCheck } from './promotion-checks.ts';

export interface RemainingEstimate {
  /** True when a time could be projected; false when not expected at the current rates, or too early. */
  readonly reachable: boolean;
  /** Too few events to project anything yet (the rates themselves are still noise). */
  readonly too_early: boolean;
  readonly explanation: string;
  readonly target_power: number;
  readonly weekly_volume: number | null;
  readonly weekly_volume_source: 'stated' | 'observed' | 'unknown';
  readonly days_needed: number | null;
  readonly weeks_needed: number | null;
  /** Further route messages to send (all arms) whose windows must close before the decision. */
  readonly additional_messages_to_send: number | null;
  readonly additional_variant_messages: number | null;
  readonly limiting_metric: string | null;
  readonly criteria: readonly {
    readonly metric: string;
    readonly window_days: number;
    readonly matured_units_now: number;
    /** Matured messages (both arms) in this cohort when the decision is expected. */
    readonly units_at_decision: number | null;
  }[];
}

export interface EstimateContext {
  readonly baseline: ArmAggregates;
  readonly variant: ArmAggregates;
  readonly checks: readonly PromotionCheck[];
  readonly alphaPromote: number;
  readonly options: DecisionOptions;
  /** Share of route traffic going to the baseline and to this variant (normalized weights). */
  readonly baselineShare: number;
  readonly variantShare: number;
  /** Days since the split took effect, when known. */
  readonly runtimeDays: number | null;
  /** Route messages (all arms) sent in the experiment period. */
  readonly routeMessagesSent: number;
}

const horizonDays = 3650;

/**
 * Messages and weeks still needed, at the current rates, before `promote` is expected with the
 * target power. Outcomes mature: a metric with window w counts a message w days after it is sent,
 * so messages already sent keep maturing for w days and new ones count w days after sending.
 */
export function estimateRemaining(context: EstimateContext): RemainingEstimate {
  const { options, baseline, variant } = context;
  const comparisonShare = context.baselineShare + context.variantShare;
  const variantFraction = context.variantShare / comparisonShare;
  const baselineFraction = 1 - variantFraction;
  const { weeklyVolume, source } = weeklyVolumeOf(context);
  const comparisonPerDay = weeklyVolume === null ? 0 : (weeklyVolume * comparisonShare) / 7;
  const sent = baseline.messagesSent + variant.messagesSent;
  const criteria = context.checks.map((check) => {
    const spec = rateMetric(check.metric);
    const windowDays =
      check.metric === 'reply_rate' ? options.windows.replyDays : options.windows.closeDays;
    const current = cohortMessages(baseline, spec.cohort) + cohortMessages(variant, spec.cohort);
    const pending = Math.max(0, sent - current);
    const unitsAt = (days: number) =>
      current +
      (pending * Math.min(days, windowDays)) / windowDays +
      comparisonPerDay * Math.max(0, days - windowDays);
    const projection: CriterionProjection | null =
      check.lift !== null && check.standard_error !== null && check.standard_error > 0
        ? {
            lift: check.lift,
            threshold: check.threshold,
            unitStandardError: check.standard_error * Math.sqrt(current),
          }
        : null;
    const minimumUnits = Math.max(
      options.minSamplesPerArm / Math.min(baselineFraction, variantFraction),
      minimumForEvents(check.baseline_rate, baselineFraction, options.minEventsPerArm),
      minimumForEvents(check.variant_rate, variantFraction, options.minEventsPerArm),
    );
    return { check, windowDays, current, unitsAt, projection, minimumUnits };
  });
  const blocked = criteria.find(
    (criterion) =>
      criterion.projection === null ||
      criterion.projection.lift <= criterion.projection.threshold ||
      !Number.isFinite(criterion.minimumUnits),
  );
  const base = {
    target_power: options.power,
    weekly_volume: weeklyVolume,
    weekly_volume_source: source,
  };
  if (blocked) {
    const lift = blocked.check.lift;
    const tooEarly = lift === null || !blocked.check.ready;
    const events = blocked.check.metric === 'reply_rate' ? 'replies' : 'deals';
    return {
      ...base,
      reachable: false,
      too_early: tooEarly,
      explanation: tooEarly
        ? `too early to project: fewer than ${options.minEventsPerArm} ${events} or ${options.minSamplesPerArm} messages with a closed window in an arm`
        : `at the current rates the ${label(blocked.check.metric)} lift (${signedPercent(lift)}) is not above the ${signedPercent(blocked.check.threshold)} threshold: more data is not expected to lead to promotion`,
      days_needed: null,
      weeks_needed: null,
      additional_messages_to_send: null,
      additional_variant_messages: null,
      limiting_metric: blocked.check.metric,
      criteria: criteria.map((criterion) => ({
        metric: criterion.check.metric,
        window_days: criterion.windowDays,
        matured_units_now: criterion.current,
        units_at_decision: null,
      })),
    };
  }
  const remainingRuntime = Math.max(0, options.minRuntimeDays - (context.runtimeDays ?? 0));
  const satisfied = (days: number) =>
    days >= remainingRuntime &&
    criteria.every((criterion) => criterion.unitsAt(days) >= criterion.minimumUnits) &&
    criteria.reduce(
      (product, criterion) =>
        product *
        criterionPower(
          criterion.projection as CriterionProjection,
          criterion.unitsAt(days),
          context.alphaPromote,
          options,
        ),
      1,
    ) >= options.power;
  const days = smallestSatisfying(satisfied, 0, horizonDays, 0.01);
  const unitsNeeded = criteria.map((criterion) =>
    days === null ? null : Math.ceil(criterion.unitsAt(days)),
  );
  // The criterion that alone would take longest to reach the target power gates the decision; the
  // messages it needs beyond those already sent are the ones still to send.
  const limitingIndex = slowestCriterion(criteria, context.alphaPromote, options);
  const limiting = criteria[limitingIndex] ?? criteria[0];
  const limitingUnits = unitsNeeded[limitingIndex] ?? null;
  const additional =
    days === null || limitingUnits === null
      ? null
      : Math.ceil(Math.max(0, limitingUnits - sent) / comparisonShare);
  return {
    ...base,
    reachable: days !== null,
    too_early: false,
    explanation:
      days === null
        ? weeklyVolume === null
          ? 'the weekly volume is unknown (no deployment time and none stated), so only messages already sent can mature'
          : `not within ${horizonDays / 365} years at ${Math.round(weeklyVolume)} messages a week`
        : `expected to reach ${Math.round(options.power * 100)} % power for promotion at the current rates`,
    days_needed: days === null ? null : round(days, 1),
    weeks_needed: days === null ? null : round(days / 7, 1),
    additional_messages_to_send: additional,
    additional_variant_messages:
      additional === null ? null : Math.ceil(additional * context.variantShare),
    limiting_metric: days === null ? null : (limiting?.check.metric ?? null),
    criteria: criteria.map((criterion, index) => ({
      metric: criterion.check.metric,
      window_days: criterion.windowDays,
      matured_units_now: criterion.current,
      units_at_decision: unitsNeeded[index] ?? null,
    })),
  };
}

interface ProjectedCriterion {
  readonly projection: CriterionProjection | null;
  readonly unitsAt: (days: number) => number;
}

function slowestCriterion(
  criteria: readonly ProjectedCriterion[],
  alphaPromote: number,
  options: DecisionOptions,
): number {
  let slowest = 0;
  let slowestDays = -1;
  criteria.forEach((criterion, index) => {
    const projection = criterion.projection;
    if (projection === null) {
      return;
    }
    const days =
      smallestSatisfying(
        (day) =>
          criterionPower(projection, criterion.unitsAt(day), alphaPromote, options) >=
          options.power,
        0,
        horizonDays,
        0.01,
      ) ?? Number.POSITIVE_INFINITY;
    if (days > slowestDays) {
      slowest = index;
      slowestDays = days;
    }
  });
  return slowest;
}

function weeklyVolumeOf(context: EstimateContext): {
  weeklyVolume: number | null;
  source: 'stated' | 'observed' | 'unknown';
} {
  if (context.options.weeklyVolume !== undefined) {
    return { weeklyVolume: context.options.weeklyVolume, source: 'stated' };
  }
  if (context.runtimeDays !== null && context.runtimeDays > 0 && context.routeMessagesSent > 0) {
    return {
      weeklyVolume: (context.routeMessagesSent / context.runtimeDays) * 7,
      source: 'observed',
    };
  }
  return { weeklyVolume: null, source: 'unknown' };
}

function minimumForEvents(rate: number | null, fraction: number, minimumEvents: number): number {
  return rate !== null && rate > 0 ? minimumEvents / (rate * fraction) : Number.POSITIVE_INFINITY;
}

function label(metric: string): string {
  return metric.replace('_', ' ');
}

export function signedPercent(value: number, digits = 1): string {
  const percent = (value * 100).toFixed(digits);
  // Rounds to zero: no sign (avoids "-0.0%").
  if (Number(percent) === 0) {
    return `${(0).toFixed(digits)}%`;
  }
  return `${value > 0 ? '+' : ''}${percent}%`;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
