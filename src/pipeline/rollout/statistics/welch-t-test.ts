import type { Interval } from './proportion-tests.ts';
import type { SampleMoments } from './relative-lift.ts';
import { studentTQuantile, studentTSurvival } from './student-t-distribution.ts';

export interface WelchTTest {
  /** μ₂ − μ₁. */
  readonly difference: number;
  readonly standardError: number;
  readonly t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  readonly degreesOfFreedom: number;
  readonly pValueTwoSided: number;
  readonly interval: Interval;
}

/** Welch's unequal-variance t test of μ₂ − μ₁ (continuous metrics: revenue, cost per message). */
export function welchTTest(
  first: SampleMoments,
  second: SampleMoments,
  confidence = 0.95,
): WelchTTest {
  const share1 = first.count > 0 ? first.variance / first.count : Number.NaN;
  const share2 = second.count > 0 ? second.variance / second.count : Number.NaN;
  const standardError = Math.sqrt(share1 + share2);
  const difference = second.mean - first.mean;
  const degreesOfFreedom =
    (share1 + share2) ** 2 /
    ((share1 * share1) / Math.max(first.count - 1, 1) +
      (share2 * share2) / Math.max(second.count - 1, 1));
  if (!(standardError > 0) || !Number.isFinite(degreesOfFreedom)) {
    return {
      difference,
      standardError: Number.isFinite(standardError) ? standardError : Number.NaN,
      t: Number.NaN,
      degreesOfFreedom: Number.NaN,
      pValueTwoSided: Number.NaN,
      interval: { lower: Number.NaN, upper: Number.NaN },
    };
  }
  const t = difference / standardError;
  const critical = studentTQuantile(1 - (1 - confidence) / 2, degreesOfFreedom);
  return {
    difference,
    standardError,
    t,
    degreesOfFreedom,
    pValueTwoSided: Math.min(1, 2 * studentTSurvival(Math.abs(t), degreesOfFreedom)),
    interval: {
      lower: difference - critical * standardError,
      upper: difference + critical * standardError,
    },
  };
}
