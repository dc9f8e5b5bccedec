import { normalSurvival, twoSidedCriticalValue } from './normal-distribution.ts';

export interface Interval {
  readonly lower: number;
  readonly upper: number;
}

/** Wilson score interval for x successes in n trials (Wilson 1927; Newcombe 1998, method 3). */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): Interval {
  if (trials <= 0) {
    return { lower: 0, upper: 1 };
  }
  const z = twoSidedCriticalValue(confidence);
  const proportion = successes / trials;
  const zSquared = z * z;
  const denominator = 1 + zSquared / trials;
  const centre = proportion + zSquared / (2 * trials);
  const spread =
    z * Math.sqrt((proportion * (1 - proportion)) / trials + zSquared / (4 * trials * trials));
  return {
    lower: Math.max(0, (centre - spread) / denominator),
    upper: Math.min(1, (centre + spread) / denominator),
  };
}

/**
 * Newcombe's hybrid score interval for p₂ − p₁ (Newcombe 1998, "Interval estimation for the difference
 * between independent proportions", method 10): combines the two Wilson intervals, so it behaves
 * at 0 and 1 events where the Wald interval collapses.
 */
export function newcombeInterval(
  successes1: number,
  trials1: number,
  successes2: number,
  trials2: number,
  confidence = 0.95,
): Interval {
  const p1 = trials1 > 0 ? successes1 / trials1 : 0;
  const p2 = trials2 > 0 ? successes2 / trials2 : 0;
  const first = wilsonInterval(successes1, trials1, confidence);
  const second = wilsonInterval(successes2, trials2, confidence);
  const difference = p2 - p1;
  const below = Math.sqrt((p2 - second.lower) ** 2 + (first.upper - p1) ** 2);
  const above = Math.sqrt((second.upper - p2) ** 2 + (p1 - first.lower) ** 2);
  return { lower: difference - below, upper: difference + above };
}

export interface TwoProportionTest {
  readonly proportion1: number;
  readonly proportion2: number;
  /** p₂ − p₁. */
  readonly difference: number;
  readonly pooledProportion: number;
  readonly standardError: number;
  /** (p₂ − p₁) / sqrt(p̄(1 − p̄)(1/n₁ + 1/n₂)); 0 when both arms are all-0 or all-1. */
  readonly z: number;
  readonly pValueTwoSided: number;
  /** P(Z ≥ z): small when arm 2 is higher. */
  readonly pValueGreater: number;
  /** P(Z ≤ z): small when arm 2 is lower. */
  readonly pValueLess: number;
}

/** Pooled two-proportion z test (equivalent to Pearson's χ² without continuity correction). */
export function twoProportionZTest(
  successes1: number,
  trials1: number,
  successes2: number,
  trials2: number,
): TwoProportionTest {
  const proportion1 = trials1 > 0 ? successes1 / trials1 : 0;
  const proportion2 = trials2 > 0 ? successes2 / trials2 : 0;
  const pooledProportion =
    trials1 + trials2 > 0 ? (successes1 + successes2) / (trials1 + trials2) : 0;
  const standardError =
    trials1 > 0 && trials2 > 0
      ? Math.sqrt(pooledProportion * (1 - pooledProportion) * (1 / trials1 + 1 / trials2))
      : 0;
  const difference = proportion2 - proportion1;
  const z = standardError > 0 ? difference / standardError : 0;
  return {
    proportion1,
    proportion2,
    difference,
    pooledProportion,
    standardError,
    z,
    pValueTwoSided: Math.min(1, 2 * normalSurvival(Math.abs(z))),
    pValueGreater: normalSurvival(z),
    pValueLess: normalSurvival(-z),
  };
}
