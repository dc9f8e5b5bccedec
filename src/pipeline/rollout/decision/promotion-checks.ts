import {
  oneSidedAnytimePValue,
  oneSidedMixtureBoundary,
  oneSidedMixtureTime,
  proportionMoments,
  relativeLift,
} from '../statistics/index.ts';
import type { ArmAggregates } from './arm-aggregates.ts';
import { cohortMessages, rateMetric } from './arm-metrics.ts';
import type { DecisionOptions } from './decision-options.ts';

export type PromotionMetric = 'reply_rate' | 'close_rate';

/**
 * "Lift ≥ threshold with statistical confidence" means: the one-sided anytime-valid lower bound of
 * the relative lift (delta method, half-normal mixture at α_promote) is at or above the threshold.
 * Equivalently the anytime-valid p-value of H₀: lift ≤ threshold is ≤ α_promote.
 */
export interface PromotionCheck {
  readonly metric: PromotionMetric;
  readonly threshold: number;
  readonly baseline_rate: number | null;
  readonly variant_rate: number | null;
  readonly lift: number | null;
  readonly standard_error: number | null;
  /** Messages in the cohort (both arms). */
  readonly units: number;
  readonly boundary_z: number;
  /** Anytime-valid interval: each end is a one-sided bound at α_promote. */
  readonly anytime_interval: { readonly lower: number; readonly upper: number } | null;
  readonly anytime_p_value: number;
  /** Enough messages and events in both arms to judge. */
  readonly ready: boolean;
  readonly not_ready_because: readonly string[];
  readonly met: boolean;
}

export function checkPromotion(
  metric: PromotionMetric,
  baseline: ArmAggregates,
  variant: ArmAggregates,
  alphaPromote: number,
  options: DecisionOptions,
): PromotionCheck {
  const spec = rateMetric(metric);
  const threshold = metric === 'reply_rate' ? options.minReplyLift : options.minCloseLift;
  const units = cohortMessages(baseline, spec.cohort) + cohortMessages(variant, spec.cohort);
  const notReady: string[] = [];
  for (const arm of [baseline, variant]) {
    if (spec.trials(arm) < options.minSamplesPerArm) {
      notReady.push(
        `${arm.modelVersion}: ${spec.trials(arm)} messages with a closed ${spec.cohort} window (< ${options.minSamplesPerArm})`,
      );
    }
    if (spec.successes(arm) < options.minEventsPerArm) {
      notReady.push(
        `${arm.modelVersion}: ${spec.successes(arm)} ${metric === 'reply_rate' ? 'replies' : 'deals'} (< ${options.minEventsPerArm})`,
      );
    }
  }
  const control = proportionMoments(spec.successes(baseline), spec.trials(baseline));
  const treatment = proportionMoments(spec.successes(variant), spec.trials(variant));
  const lift = relativeLift(control, treatment);
  const v = oneSidedMixtureTime(Math.max(units, 1), options.plannedTotalMessages, alphaPromote);
  const boundary = oneSidedMixtureBoundary(v, alphaPromote);
  const usable = Number.isFinite(lift.lift) && Number.isFinite(lift.standardError);
  const pValue = !usable
    ? 1
    : lift.standardError > 0
      ? oneSidedAnytimePValue((lift.lift - threshold) / lift.standardError, v)
      : lift.lift >= threshold
        ? 0
        : 1;
  const interval = usable
    ? {
        lower: lift.lift - boundary * lift.standardError,
        upper: lift.lift + boundary * lift.standardError,
      }
    : null;
  const ready = notReady.length === 0 && usable;
  if (!usable && notReady.length === 0) {
    notReady.push(`the baseline has no ${metric === 'reply_rate' ? 'replies' : 'deals'} yet`);
  }
  return {
    metric,
    threshold,
    baseline_rate: control.count > 0 ? control.mean : null,
    variant_rate: treatment.count > 0 ? treatment.mean : null,
    lift: usable ? lift.lift : null,
    standard_error: usable ? lift.standardError : null,
    units,
    boundary_z: boundary,
    anytime_interval: interval,
    anytime_p_value: pValue,
    ready,
    not_ready_because: notReady,
    met: ready && interval !== null && interval.lower >= threshold,
  };
}
