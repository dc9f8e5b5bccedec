/**
 * The standard normal distribution to ~1e-15 absolute accuracy, with no dependencies. The CDF uses the
 * Taylor series of Φ around 0 for |x| ≤ 3 and the Laplace continued fraction for the Mills ratio
 * beyond, so tail probabilities keep their relative accuracy (Φ(−8) is not computed as 1 − Φ(8)).
 */

const inverseSqrtTwoPi = 0.3989422804014327;

export function normalDensity(x: number): number {
  return inverseSqrtTwoPi * Math.exp(-0.5 * x * x);
}

/** Φ(x) = P(Z ≤ x). */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) {
    return Number.NaN;
  }
  if (x > 3) {
    return 1 - upperTail(x);
  }
  if (x < -3) {
    return upperTail(-x);
  }
  return 0.5 + normalDensity(x) * taylorSum(x);
}

/** 1 − Φ(x), accurate in the upper tail. */
export function normalSurvival(x: number): number {
  return normalCdf(-x);
}

/** ln Φ(x), finite far into the lower tail where Φ(x) underflows. */
export function logNormalCdf(x: number): number {
  if (x > 0) {
    return Math.log1p(-normalSurvival(x));
  }
  if (x >= -3) {
    return Math.log(normalCdf(x));
  }
  // ln φ(−x) − ln(continued fraction denominator): no underflow for any finite x.
  return -0.5 * x * x + Math.log(inverseSqrtTwoPi) - Math.log(millsDenominator(-x));
}

/** Φ(x) = 1/2 + φ(x) · Σ x^(2n+1) / (1·3·5···(2n+1)); every term is positive for x > 0. */
function taylorSum(x: number): number {
  const square = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n += 1) {
    term *= square / (2 * n + 1);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) {
      break;
    }
  }
  return sum;
}

/** Q(x) = 1 − Φ(x) = φ(x) / (x + 1/(x + 2/(x + 3/(x + …)))) for x > 3. */
function upperTail(x: number): number {
  return normalDensity(x) / millsDenominator(x);
}

/** The continued fraction x + 1/(x + 2/(x + …)), by the modified Lentz method. */
function millsDenominator(x: number): number {
  const tiny = 1e-300;
  let value = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k += 1) {
    d = x + k * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + k / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    value *= delta;
    if (Math.abs(delta - 1) < 1e-16) {
      break;
    }
  }
  return value;
}

// Acklam's rational approximation (relative error 1.15e-9), then refined by Halley steps on the
// accurate CDF above, which brings it to full double precision.
const acklamA = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2,
  -3.066479806614716e1, 2.506628277459239,
] as const;
const acklamB = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1,
  -1.328068155288572e1,
] as const;
const acklamC = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734,
  4.374664141464968, 2.938163982698783,
] as const;
const acklamD = [
  7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416,
] as const;

/** Φ⁻¹(p): the x with Φ(x) = p. */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) {
    return Number.NaN;
  }
  if (p === 0) {
    return Number.NEGATIVE_INFINITY;
  }
  if (p === 1) {
    return Number.POSITIVE_INFINITY;
  }
  let x = acklamInitial(p);
  for (let step = 0; step < 3; step += 1) {
    // Work on the smaller tail so the residual keeps its relative precision.
    const error = p < 0.5 ? normalCdf(x) - p : 1 - p - normalSurvival(x);
    const ratio = error / normalDensity(x);
    x -= ratio / (1 + (x * ratio) / 2);
  }
  return x;
}

function acklamInitial(p: number): number {
  const [a0, a1, a2, a3, a4, a5] = acklamA;
  const [b0, b1, b2, b3, b4] = acklamB;
  const [c0, c1, c2, c3, c4, c5] = acklamC;
  const [d0, d1, d2, d3] = acklamD;
  const low = 0.02425;
  if (p < low || p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(p < low ? p : 1 - p));
    const value =
      (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
    return p < low ? value : -value;
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
    (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
  );
}

const criticalValues = new Map<number, number>();

/** z_{1−(1−confidence)/2}, cached: 1.959963984540054 for 95 %. */
export function twoSidedCriticalValue(confidence: number): number {
  let value = criticalValues.get(confidence);
  if (value === undefined) {
    value = normalQuantile(1 - (1 - confidence) / 2);
    criticalValues.set(confidence, value);
  }
  return value;
}
