import { chiSquareSurvival } from './chi-square-distribution.ts';

export interface SampleRatioMismatch {
  readonly chiSquare: number;
  readonly degreesOfFreedom: number;
  readonly pValue: number;
  readonly expected: readonly number[];
}

/**
 * Sample-ratio-mismatch test: χ² = Σ (observed_i − N·w_i)² / (N·w_i), df = arms − 1, against the
 * configured weights (normalized; they need not sum to 1). An arm with weight 0 that saw units makes
 * the statistic infinite (p = 0): traffic reached an arm that should receive none.
 */
export function sampleRatioMismatch(
  observed: readonly number[],
  weights: readonly number[],
): SampleRatioMismatch {
  if (observed.length !== weights.length || observed.length < 2) {
    throw new RangeError('sample-ratio mismatch needs one weight per arm and at least two arms');
  }
  const total = observed.reduce((sum, count) => sum + count, 0);
  const weightTotal = weights.reduce((sum, weight) => sum + weight, 0);
  const expected = weights.map((weight) => (total * weight) / weightTotal);
  let chiSquare = 0;
  observed.forEach((count, index) => {
    const expectation = expected[index] ?? 0;
    if (expectation > 0) {
      chiSquare += (count - expectation) ** 2 / expectation;
    } else if (count > 0) {
      chiSquare = Number.POSITIVE_INFINITY;
    }
  });
  const degreesOfFreedom = observed.length - 1;
  return {
    chiSquare,
    degreesOfFreedom,
    pValue: chiSquareSurvival(chiSquare, degreesOfFreedom),
    expected,
  };
}
