import { describe, expect, it } from 'vitest';
import {
  chiSquareCdf,
  chiSquareSurvival,
  logGamma,
  logNormalCdf,
  normalCdf,
  normalQuantile,
  normalSurvival,
  regularizedBeta,
  regularizedGammaUpper,
  studentTCdf,
  studentTQuantile,
} from '../../../../../src/pipeline/rollout/statistics/index.ts';

// Reference values: scipy 1.17 (scipy.stats.norm/chi2/t, scipy.special), printed with repr() —
// an independent implementation (Cephes / Boost) of the same functions.
describe('normal distribution', () => {
  it.each([
    [-10, 7.61985302416047e-24],
    [-8, 6.22096057427174e-16],
    [-5, 2.866515718791933e-7],
    [-3, 0.0013498980316300933],
    [-1.96, 0.024997895148220435],
    [-1, 0.15865525393145707],
    [0, 0.5],
    [0.5, 0.6914624612740131],
    [1.96, 0.9750021048517795],
    [3, 0.9986501019683699],
    [3.5, 0.9997673709209645],
  ])('Φ(%d) matches scipy to 1e-12 relative', (x, expected) => {
    expect(Math.abs(normalCdf(x) - expected) / expected).toBeLessThan(1e-12);
  });

  it('keeps relative accuracy in the far tails and in ln Φ', () => {
    // scipy.stats.norm.logcdf(-38) = -726.5572160188201, norm.logcdf(8) = -6.220960574271742e-16.
    expect(logNormalCdf(-38)).toBeCloseTo(-726.5572160188201, 9);
    expect(Math.abs(logNormalCdf(8) + 6.220960574271742e-16) / 6.22e-16).toBeLessThan(1e-9);
    expect(normalSurvival(8)).toBeCloseTo(6.22096057427174e-16, 25);
  });

  it('agrees with Simpson integration of the density (a second, independent method)', () => {
    const density = (t: number) => Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
    for (const x of [0.3, 1.1, 2.4]) {
      const steps = 2000;
      const h = x / steps;
      let sum = density(0) + density(x);
      for (let i = 1; i < steps; i += 1) {
        sum += (i % 2 === 1 ? 4 : 2) * density(i * h);
      }
      expect(normalCdf(x)).toBeCloseTo(0.5 + (sum * h) / 3, 12);
    }
  });

  it.each([
    [1e-300, -37.0470962993612],
    [1e-10, -6.361340902404056],
    [0.001, -3.090232306167813],
    [0.025, -1.9599639845400545],
    [0.2, -0.8416212335729142],
    [0.5, 0],
    [0.8, 0.8416212335729143],
    [0.975, 1.959963984540054],
    [0.999, 3.090232306167813],
  ])('Φ⁻¹(%d) matches scipy to 1e-9', (p, expected) => {
    expect(Math.abs(normalQuantile(p) - expected)).toBeLessThan(1e-9);
  });

  it('round-trips Φ(Φ⁻¹(p)) = p', () => {
    for (let p = 0.0005; p < 1; p += 0.0137) {
      expect(Math.abs(normalCdf(normalQuantile(p)) - p)).toBeLessThan(1e-14);
    }
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(1.5)).toBeNaN();
  });
});

describe('chi-square distribution', () => {
  it.each([
    // Textbook critical values: χ²(1) 3.841459 and 10.827566, χ²(2) 5.991465 at 0.05 / 0.001.
    [3.841458820694124, 1, 0.05],
    [5.991464547107979, 2, 0.05],
    [10.827566170662733, 1, 0.001],
    // scipy.stats.chi2.sf
    [0.5, 3, 0.9188914116546758],
    [25, 10, 0.005345505487134069],
    [100, 50, 3.454931382984871e-5],
    [200, 3, 4.218541107192018e-43],
  ])('P(χ²(%d, df %d) > x) = %d', (x, df, expected) => {
    expect(Math.abs(chiSquareSurvival(x, df) - expected) / expected).toBeLessThan(1e-10);
    expect(chiSquareCdf(x, df) + chiSquareSurvival(x, df)).toBeCloseTo(1, 14);
  });

  it('matches closed forms: df 2 is exponential, df 1 is a squared normal', () => {
    for (const x of [0.01, 0.7, 4, 13.5, 40]) {
      expect(chiSquareSurvival(x, 2)).toBeCloseTo(Math.exp(-x / 2), 14);
      const normalTwoSided = 2 * normalSurvival(Math.sqrt(x));
      expect(Math.abs(chiSquareSurvival(x, 1) - normalTwoSided) / normalTwoSided).toBeLessThan(
        1e-10,
      );
    }
  });
});

describe('special functions and Student t', () => {
  it('matches scipy.special', () => {
    expect(logGamma(0.5)).toBeCloseTo(0.5723649429247, 12); // ln √π
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12); // ln 9!
    expect(logGamma(100.5)).toBeCloseTo(361.43554046777757, 9);
    expect(regularizedBeta(0.4, 2.5, 3.5)).toBeCloseTo(0.4869041915261176, 13);
    expect(regularizedBeta(0.2, 0.5, 0.5)).toBeCloseTo(0.2951672353008665, 13);
    expect(regularizedBeta(0.6, 10, 20)).toBeCloseTo(0.9984777778269129, 13);
    expect(regularizedGammaUpper(3.5, 2)).toBeCloseTo(0.779777408475716, 13);
    expect(regularizedGammaUpper(0.5, 0.1)).toBeCloseTo(0.6547208460185768, 13);
  });

  it.each([
    [2, 5, 0.9490302605850708],
    [1.5, 12.3, 0.9205805766172446],
    [-2.2, 3, 0.05758597598823534],
    [10, 2, 0.9950737714883372],
    [0.3, 100, 0.6176000598498482],
  ])('t CDF(%d, df %d) matches scipy.stats.t.cdf', (t, df, expected) => {
    expect(studentTCdf(t, df)).toBeCloseTo(expected, 12);
  });

  it('inverts the t CDF (published critical values)', () => {
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228138851986274, 10);
    expect(studentTQuantile(0.995, 1)).toBeCloseTo(63.656741162871526, 8);
    expect(studentTQuantile(0.9, 30)).toBeCloseTo(1.3104150253913955, 10);
    expect(studentTQuantile(0.025, 2.5)).toBeCloseTo(-3.5746548420036817, 9);
  });
});
