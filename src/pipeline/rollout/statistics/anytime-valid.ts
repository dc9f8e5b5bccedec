import { logNormalCdf } from './normal-distribution.ts';

/**
 * Anytime-valid (always-valid) inference by normal mixtures, in the asymptotic form of
 * Waudby-Smith et al., "Time-uniform central limit theory and asymptotic confidence sequences"
 * (2021/2024) — the form GrowthBook implements. Everything is expressed through the usual
 * z statistic `z = (estimate − null value) / standardError` and the dimensionless mixture
 * "intrinsic time" `v = N ρ²` (N units seen, ρ the mixing scale). Because of Ville's inequality the
 * error guarantees hold at every look simultaneously: a team may look every week, or every hour,
 * and stop the first time a boundary is crossed.
 *
 * Two mixtures:
 * - two-sided (Robbins' normal mixture, GrowthBook's confidence sequence):
 *   M(z, v) = (1 + v)^(−1/2) · exp(z² v / (2(1 + v))); reject when M ≥ 1/α, i.e.
 *   |z| ≥ sqrt(2(1 + v)/v · ln(sqrt(1 + v)/α)).
 * - one-sided (half-normal mixture over positive effects only, Howard et al. 2021, Prop. 6):
 *   M⁺(z, v) = 2 (1 + v)^(−1/2) · exp(x²/2) · Φ(x) with x = z · sqrt(v/(1 + v)). It spends all of α on
 *   one side, so a one-sided question ("is the lift above +10 %?", "is the bounce rate higher?")
 *   gets a tighter boundary than half of a two-sided sequence would give.
 */

/** z boundary of the two-sided normal mixture: |z| ≥ this rejects at level α. */
export function twoSidedMixtureBoundary(mixtureTime: number, alpha: number): number {
  const v = mixtureTime;
  return Math.sqrt(((2 * (1 + v)) / v) * Math.log(Math.sqrt(1 + v) / alpha));
}

/** ln M⁺(z, v) of the one-sided half-normal mixture. */
export function oneSidedMixtureLogStatistic(z: number, mixtureTime: number): number {
  const v = mixtureTime;
  const x = z * Math.sqrt(v / (1 + v));
  return Math.LN2 - 0.5 * Math.log1p(v) + 0.5 * x * x + logNormalCdf(x);
}

/**
 * z boundary of the one-sided mixture: z ≥ this rejects at level α. Solves g(x) = x²/2 + ln Φ(x) −
 * target = 0 by Newton's method: g is increasing and convex, and g(x₀) ≥ 0 at
 * x₀ = sqrt(2(target + ln 2)), so the iterates fall monotonically onto the root.
 */
export function oneSidedMixtureBoundary(mixtureTime: number, alpha: number): number {
  const v = mixtureTime;
  const target = Math.log(1 / alpha) - Math.LN2 + 0.5 * Math.log1p(v);
  let x = Math.sqrt(2 * (target + Math.LN2));
  for (let iteration = 0; iteration < 100; iteration += 1) {
    const value = 0.5 * x * x + logNormalCdf(x) - target;
    const slope = x + Math.exp(logNormalDensity(x) - logNormalCdf(x));
    const step = value / slope;
    x -= step;
    if (Math.abs(step) < 1e-13 * Math.max(1, x)) {
      break;
    }
  }
  return x * Math.sqrt((1 + v) / v);
}

function logNormalDensity(x: number): number {
  return -0.5 * x * x - 0.9189385332046728;
}

/**
 * Anytime-valid one-sided p-value: min(1, 1/M⁺). Small when z is large and positive. Valid at every
 * look: P(this ever drops to ≤ α under the null) ≤ α.
 */
export function oneSidedAnytimePValue(z: number, mixtureTime: number): number {
  if (!Number.isFinite(z)) {
    return Number.isNaN(z) ? 1 : z > 0 ? 0 : 1;
  }
  return Math.min(1, Math.exp(-oneSidedMixtureLogStatistic(z, mixtureTime)));
}

/** Anytime-valid two-sided p-value: min(1, 1/M). */
export function twoSidedAnytimePValue(z: number, mixtureTime: number): number {
  const v = mixtureTime;
  const logStatistic = -0.5 * Math.log1p(v) + (z * z * v) / (2 * (1 + v));
  return Math.min(1, Math.exp(-logStatistic));
}

/**
 * GrowthBook's choice of ρ for the two-sided sequence: ρ² = (−2 ln α + ln(−2 ln α + 1)) / N*, which
 * makes the sequence (nearly) tightest when N reaches N*, the planned total sample.
 */
export function growthBookMixtureTime(units: number, plannedUnits: number, alpha: number): number {
  const a = -2 * Math.log(alpha);
  return (units * (a + Math.log(a + 1))) / plannedUnits;
}

/**
 * The same idea for the one-sided mixture: the v at which its boundary is smallest, found by
 * golden-section search on ln v (the boundary is unimodal in v). Scale it by N / N* to get the
 * mixture time at N units when the sequence is tuned for N* units.
 */
export function optimalOneSidedMixtureTime(alpha: number): number {
  const cached = optimalTimes.get(alpha);
  if (cached !== undefined) {
    return cached;
  }
  const ratio = (Math.sqrt(5) - 1) / 2;
  let low = Math.log(1e-3);
  let high = Math.log(1e4);
  let left = high - ratio * (high - low);
  let right = low + ratio * (high - low);
  const boundaryAt = (logTime: number) => oneSidedMixtureBoundary(Math.exp(logTime), alpha);
  let leftValue = boundaryAt(left);
  let rightValue = boundaryAt(right);
  while (high - low > 1e-7) {
    if (leftValue < rightValue) {
      high = right;
      right = left;
      rightValue = leftValue;
      left = high - ratio * (high - low);
      leftValue = boundaryAt(left);
    } else {
      low = left;
      left = right;
      leftValue = rightValue;
      right = low + ratio * (high - low);
      rightValue = boundaryAt(right);
    }
  }
  const best = Math.exp((low + high) / 2);
  optimalTimes.set(alpha, best);
  return best;
}

const optimalTimes = new Map<number, number>();

/** Mixture time of the one-sided sequence at `units`, tuned to be tightest at `plannedUnits`. */
export function oneSidedMixtureTime(units: number, plannedUnits: number, alpha: number): number {
  return (optimalOneSidedMixtureTime(alpha) * units) / plannedUnits;
}
