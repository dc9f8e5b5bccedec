import { describe, expect, it } from 'vitest';
import {
  growthBookMixtureTime,
  normalDensity,
  oneSidedAnytimePValue,
  oneSidedMixtureBoundary,
  oneSidedMixtureLogStatistic,
  oneSidedMixtureTime,
  optimalOneSidedMixtureTime,
  twoSidedAnytimePValue,
  twoSidedMixtureBoundary,
} from '../../../../../src/pipeline/rollout/statistics/index.ts';
import { createRandomSource, sampleNormal } from '../random-source.ts';

describe('two-sided normal mixture (GrowthBook confidence sequence)', () => {
  it('reproduces the reference formula at N = N*', () => {
    // Reference §8.5: half-width = σ̂·sqrt(N)·sqrt(2(Nρ²+1)/(N²ρ²)·ln(sqrt(Nρ²+1)/α)),
    // ρ = sqrt((−2 ln α + ln(−2 ln α + 1))/N*). Evaluated here term by term with N = N* = 5,000.
    const alpha = 0.05;
    const units = 5000;
    const rhoSquared = (-2 * Math.log(alpha) + Math.log(-2 * Math.log(alpha) + 1)) / units;
    const perUnitSd = 1;
    const standardError = perUnitSd / Math.sqrt(units);
    const halfWidth =
      perUnitSd *
      Math.sqrt(units) *
      Math.sqrt(
        ((2 * (units * rhoSquared + 1)) / (units * units * rhoSquared)) *
          Math.log(Math.sqrt(units * rhoSquared + 1) / alpha),
      );
    const v = growthBookMixtureTime(units, units, alpha);
    expect(twoSidedMixtureBoundary(v, alpha) * standardError).toBeCloseTo(
      halfWidth * standardError,
      12,
    );
    // ≈ 3.035 standard errors instead of 1.96: the price of looking at any time.
    expect(twoSidedMixtureBoundary(v, alpha)).toBeCloseTo(3.0352, 4);
    expect(twoSidedAnytimePValue(twoSidedMixtureBoundary(v, alpha), v)).toBeCloseTo(alpha, 10);
  });
});

describe('one-sided half-normal mixture', () => {
  it('equals the mixture integral computed by quadrature', () => {
    // M⁺ = ∫₀^∞ exp(λz − λ²/2) · 2φ(λ/ρ)/ρ dλ for one standardized observation (t = 1, v = ρ²).
    for (const [z, v] of [
      [1.5, 0.5],
      [3, 8],
      [-1, 2],
    ] as const) {
      const rho = Math.sqrt(v);
      const upper = 40 * rho + Math.abs(z) + 40;
      const steps = 200_000;
      const h = upper / steps;
      const integrand = (lambda: number) =>
        Math.exp(lambda * z - (lambda * lambda) / 2) * ((2 * normalDensity(lambda / rho)) / rho);
      let sum = integrand(0) + integrand(upper);
      for (let i = 1; i < steps; i += 1) {
        sum += (i % 2 === 1 ? 4 : 2) * integrand(i * h);
      }
      expect(oneSidedMixtureLogStatistic(z, v)).toBeCloseTo(Math.log((sum * h) / 3), 8);
    }
  });

  it('has p-value α exactly on its boundary, and is tighter than the two-sided one', () => {
    for (const alpha of [0.05, 0.025, 0.003125]) {
      const v = optimalOneSidedMixtureTime(alpha);
      const boundary = oneSidedMixtureBoundary(v, alpha);
      expect(oneSidedAnytimePValue(boundary, v)).toBeCloseTo(alpha, 10);
      expect(boundary).toBeLessThan(twoSidedMixtureBoundary(v, alpha));
      // Optimal: nudging v either way widens the boundary.
      expect(oneSidedMixtureBoundary(v * 1.2, alpha)).toBeGreaterThan(boundary);
      expect(oneSidedMixtureBoundary(v / 1.2, alpha)).toBeGreaterThan(boundary);
    }
    expect(oneSidedAnytimePValue(-2, 5)).toBe(1);
  });

  it('never crosses with probability above α over 1,000 looks (Gaussian random walks)', () => {
    // Exact setting of the mixture martingale: S_t a sum of t standard normals, z_t = S_t/√t.
    // Ville's inequality promises P(ever cross) ≤ α; a fixed 1.645 boundary would cross far more.
    const random = createRandomSource(7);
    const alpha = 0.05;
    const paths = 2000;
    const looks = 1000;
    let crossedMixture = 0;
    let crossedFixed = 0;
    for (let path = 0; path < paths; path += 1) {
      let sum = 0;
      let mixture = false;
      let fixed = false;
      for (let t = 1; t <= looks; t += 1) {
        sum += sampleNormal(random);
        const z = sum / Math.sqrt(t);
        mixture ||= oneSidedAnytimePValue(z, oneSidedMixtureTime(t, 200, alpha)) <= alpha;
        fixed ||= z >= 1.6448536269514722;
      }
      crossedMixture += mixture ? 1 : 0;
      crossedFixed += fixed ? 1 : 0;
    }
    expect(crossedMixture / paths).toBeLessThanOrEqual(alpha);
    expect(crossedFixed / paths).toBeGreaterThan(0.2);
  });
});
