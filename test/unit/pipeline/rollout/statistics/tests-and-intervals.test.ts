import { describe, expect, it } from 'vitest';
import {
  benjaminiHochberg,
  holmBonferroni,
  momentsFromSums,
  newcombeInterval,
  proportionMoments,
  relativeLift,
  sampleRatioMismatch,
  sampleSizePerArm,
  twoProportionZTest,
  welchTTest,
  wilsonInterval,
} from '../../../../../src/pipeline/rollout/statistics/index.ts';
import { createRandomSource, sampleBinomial } from '../random-source.ts';

describe('sample size per arm', () => {
  // The table in the reference (flywheel-and-experiments.md §8.4): α = 0.05 two-sided, power 0.8.
  it.each([
    [0.01, 0.015, 7750],
    [0.02, 0.03, 3826],
    [0.05, 0.06, 8158],
    [0.05, 0.075, 1471],
    [0.05, 0.1, 435],
    [0.1, 0.12, 3841],
  ])('%d → %d needs %d per arm', (baseline, target, expected) => {
    expect(sampleSizePerArm(baseline, target)).toBe(expected);
  });

  it('grows with power and shrinks with α', () => {
    expect(sampleSizePerArm(0.05, 0.06, { power: 0.9 })).toBeGreaterThan(8158);
    expect(sampleSizePerArm(0.05, 0.06, { alpha: 0.1 })).toBeLessThan(8158);
    expect(sampleSizePerArm(0.05, 0.05)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('Wilson interval', () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Stat Med 17:857,
  // Table I, method 3 (score interval without continuity correction).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%d/%d → [%d, %d]', (x, n, lower, upper) => {
    const interval = wilsonInterval(x, n);
    expect(interval.lower).toBeCloseTo(lower, 4);
    expect(interval.upper).toBeCloseTo(upper, 4);
  });
});

describe('Newcombe interval for a difference', () => {
  // Newcombe (1998), "Interval estimation for the difference between independent proportions",
  // Stat Med 17:873, Table II, method 10 (hybrid score).
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
  ])('%d/%d − %d/%d → [%d, %d]', (x2, n2, x1, n1, lower, upper) => {
    const interval = newcombeInterval(x1, n1, x2, n2);
    expect(interval.lower).toBeCloseTo(lower, 4);
    expect(interval.upper).toBeCloseTo(upper, 4);
  });
});

describe('two-proportion z test (pooled)', () => {
  it('equals the square root of Pearson χ² without continuity correction', () => {
    // scipy.stats.chi2_contingency([[56, 14], [48, 32]], correction=False):
    // χ² = 7.023411371237456, p = 0.008045081368196585.
    const test = twoProportionZTest(48, 80, 56, 70);
    expect(test.z).toBeCloseTo(Math.sqrt(7.023411371237456), 12);
    expect(test.pValueTwoSided).toBeCloseTo(0.008045081368196585, 12);
    expect(test.pValueGreater).toBeCloseTo(0.008045081368196585 / 2, 12);
    // chi2_contingency([[1845, 13155], [1520, 8480]], correction=False): p = 4.648829156320697e-11.
    const large = twoProportionZTest(1845, 15000, 1520, 10000);
    expect(large.z).toBeCloseTo(6.581769180348193, 10);
    expect(large.pValueTwoSided / 4.648829156320697e-11).toBeCloseTo(1, 8);
  });

  it('is 0 (not NaN) when both arms have no events', () => {
    expect(twoProportionZTest(0, 100, 0, 100).z).toBe(0);
  });
});

describe('relative lift (delta method)', () => {
  it('matches the spread of simulated lifts (Monte Carlo, 20,000 draws)', () => {
    const random = createRandomSource(42);
    const draws: number[] = [];
    for (let i = 0; i < 20_000; i += 1) {
      const control = sampleBinomial(random, 9000, 0.123) / 9000;
      const treatment = sampleBinomial(random, 1000, 0.152) / 1000;
      draws.push(treatment / control - 1);
    }
    const mean = draws.reduce((sum, value) => sum + value, 0) / draws.length;
    const sd = Math.sqrt(draws.reduce((sum, value) => sum + (value - mean) ** 2, 0) / draws.length);
    const lift = relativeLift(proportionMoments(1107, 9000), proportionMoments(152, 1000));
    expect(lift.lift).toBeCloseTo(0.152 / 0.123 - 1, 12);
    expect(lift.standardError / sd).toBeGreaterThan(0.97);
    expect(lift.standardError / sd).toBeLessThan(1.03);
    expect(lift.interval.lower).toBeCloseTo(lift.lift - 1.959963984540054 * lift.standardError, 12);
  });

  it('is undefined against a zero baseline', () => {
    expect(relativeLift(proportionMoments(0, 100), proportionMoments(3, 100)).lift).toBeNaN();
  });
});

describe('Welch t test', () => {
  it('matches scipy.stats.ttest_ind_from_stats(equal_var=False)', () => {
    // ttest_ind_from_stats(12.5, 3.2, 40, 14.1, 5.9, 25, equal_var=False):
    // statistic = -1.2462026766865542, pvalue = 0.22147748765249212 (arm order: 2 minus 1).
    const first = { mean: 14.1, variance: 5.9 ** 2, count: 25 };
    const second = { mean: 12.5, variance: 3.2 ** 2, count: 40 };
    const test = welchTTest(first, second);
    expect(test.t).toBeCloseTo(-1.2462026766865542, 12);
    expect(test.pValueTwoSided).toBeCloseTo(0.22147748765249212, 10);
  });

  it('builds moments from sums and sums of squares', () => {
    const values = [0.004, 0.006, 0.005, 0.009];
    const sum = values.reduce((total, value) => total + value, 0);
    const squares = values.reduce((total, value) => total + value * value, 0);
    const moments = momentsFromSums(values.length, sum, squares);
    expect(moments.mean).toBeCloseTo(0.006, 15);
    // Sample variance by hand: deviations −2, 0, −1, 3 (×1e-3) → 14e-6 / 3.
    expect(moments.variance).toBeCloseTo(14e-6 / 3, 15);
  });
});

describe('sample-ratio mismatch', () => {
  it('computes χ² against the configured split', () => {
    // 9,000 / 1,000 expected; observed 8,880 / 1,120: χ² = 120²/9000 + 120²/1000 = 16.
    const result = sampleRatioMismatch([8880, 1120], [90, 10]);
    expect(result.chiSquare).toBeCloseTo(16, 10);
    expect(result.degreesOfFreedom).toBe(1);
    // scipy.stats.chi2.sf(16, 1) = 6.334248366623996e-05
    expect(result.pValue).toBeCloseTo(6.334248366623996e-5, 15);
    expect(sampleRatioMismatch([9010, 990], [0.9, 0.1]).pValue).toBeGreaterThan(0.001);
  });

  it('flags traffic on an arm with weight 0', () => {
    expect(sampleRatioMismatch([100, 5], [1, 0]).pValue).toBe(0);
  });
});

describe('multiple comparisons', () => {
  it('Holm–Bonferroni steps down and stops at the first failure', () => {
    // Worked example: p = 0.01, 0.04, 0.03, 0.005 with α = 0.05 → thresholds 0.0125, 0.0167, 0.025,
    // 0.05 in sorted order; 0.005 and 0.01 pass, 0.03 > 0.025 stops.
    const results = holmBonferroni([0.01, 0.04, 0.03, 0.005], 0.05);
    expect(results.map((result) => result.rejected)).toEqual([true, false, false, true]);
    expect(results[3]?.threshold).toBeCloseTo(0.0125, 12);
    expect(results[2]?.adjustedPValue).toBeCloseTo(0.06, 12);
  });

  it('Benjamini–Hochberg steps up', () => {
    // p = 0.01, 0.04, 0.03, 0.005 sorted: 0.005 ≤ 0.0125, 0.01 ≤ 0.025, 0.03 ≤ 0.0375, 0.04 ≤ 0.05.
    const results = benjaminiHochberg([0.01, 0.04, 0.03, 0.005], 0.05);
    expect(results.every((result) => result.rejected)).toBe(true);
    expect(benjaminiHochberg([0.02, 0.5], 0.05).map((result) => result.rejected)).toEqual([
      true,
      false,
    ]);
  });
});
