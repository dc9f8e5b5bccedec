import { normalSurvival, twoSidedCriticalValue } from './normal-distribution.ts';
import type { Interval } from './proportion-tests.ts';

/** A sample mean with its per-unit variance: a rate (variance p(1 − p)) or a continuous metric. */
export interface SampleMoments {
  readonly mean: number;
  /** Per-unit variance s². */
  readonly variance: number;
  readonly count: number;
}

export function proportionMoments(successes: number, trials: number): SampleMoments {
  const mean = trials > 0 ? successes / trials : 0;
  return { mean, variance: mean * (1 - mean), count: trials };
}

/** Moments from a sum and a sum of squares (sample variance with n − 1). */
export function momentsFromSums(count: number, sum: number, sumOfSquares: number): SampleMoments {
  if (count <= 0) {
    return { mean: 0, variance: 0, count: 0 };
  }
  const mean = sum / count;
  const variance = count > 1 ? Math.max(0, (sumOfSquares - count * mean * mean) / (count - 1)) : 0;
  return { mean, variance, count };
}

export interface RelativeLift {
  /** (μ_T − μ_C) / μ_C; NaN when the control mean is 0. */
  readonly lift: number;
  /** Delta-method standard error of the lift. */
  readonly standardError: number;
  /** Fixed-horizon two-sided interval at the requested confidence. */
  readonly interval: Interval;
  /** Fixed-horizon two-sided p-value of lift = 0. */
  readonly pValueTwoSided: number;
}

/**
 * Relative lift of treatment over control with the delta-method variance
 * s_C² μ_T² / (μ_C⁴ n_C) + s_T² / (μ_C² n_T) (as in GrowthBook's frequentist engine).
 */
export function relativeLift(
  control: SampleMoments,
  treatment: SampleMoments,
  confidence = 0.95,
): RelativeLift {
  const standardError = relativeLiftStandardError(control, treatment);
  if (control.mean === 0 || control.count === 0 || treatment.count === 0) {
    return {
      lift: Number.NaN,
      standardError: Number.NaN,
      interval: { lower: Number.NaN, upper: Number.NaN },
      pValueTwoSided: 1,
    };
  }
  const lift = (treatment.mean - control.mean) / control.mean;
  const z = twoSidedCriticalValue(confidence);
  const statistic = standardError > 0 ? lift / standardError : 0;
  return {
    lift,
    standardError,
    interval: { lower: lift - z * standardError, upper: lift + z * standardError },
    pValueTwoSided: Math.min(1, 2 * normalSurvival(Math.abs(statistic))),
  };
}

export function relativeLiftStandardError(
  control: SampleMoments,
  treatment: SampleMoments,
): number {
  if (control.mean === 0 || control.count === 0 || treatment.count === 0) {
    return Number.NaN;
  }
  const controlSquared = control.mean * control.mean;
  const variance =
    (control.variance * treatment.mean * treatment.mean) /
      (controlSquared * controlSquared * control.count) +
    treatment.variance / (controlSquared * treatment.count);
  return Math.sqrt(variance);
}
