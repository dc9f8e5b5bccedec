import { normalQuantile } from './normal-distribution.ts';
import { logGamma, regularizedBeta } from './special-functions.ts';

/** P(T ≤ t) for Student's t with ν degrees of freedom (ν may be fractional, as Welch's is). */
export function studentTCdf(t: number, degreesOfFreedom: number): number {
  if (!Number.isFinite(degreesOfFreedom)) {
    return Number.NaN;
  }
  const x = degreesOfFreedom / (degreesOfFreedom + t * t);
  const tail = 0.5 * regularizedBeta(x, degreesOfFreedom / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** P(T > t), accurate in the upper tail. */
export function studentTSurvival(t: number, degreesOfFreedom: number): number {
  return studentTCdf(-t, degreesOfFreedom);
}

/**
 * The t with P(T ≤ t) = p: Cornish–Fisher expansion (Abramowitz & Stegun 26.7.5; exact enough alone for ν ≥ 1000), then Newton steps on
 * the CDF, each kept inside a bracket that bisection tightens whenever Newton would leave it.
 */
export function studentTQuantile(p: number, degreesOfFreedom: number): number {
  if (Number.isNaN(p) || p <= 0 || p >= 1) {
    return p === 0 ? Number.NEGATIVE_INFINITY : p === 1 ? Number.POSITIVE_INFINITY : Number.NaN;
  }
  if (p < 0.5) {
    return -studentTQuantile(1 - p, degreesOfFreedom);
  }
  const nu = degreesOfFreedom;
  const z = normalQuantile(p);
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  let t = z + (g1 + (g2 + (g3 + g4 / nu) / nu) / nu) / nu;
  if (nu >= 1000) {
    // The expansion's next term is below 1e-13 here: no need to evaluate the CDF.
    return t;
  }
  // For p ≥ 1/2 the t quantile lies at or above the normal one.
  let low = z;
  let high = Number.POSITIVE_INFINITY;
  const logNormalizer = logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Math.log(nu * Math.PI);
  for (let iteration = 0; iteration < 100; iteration += 1) {
    const error = studentTCdf(t, nu) - p;
    if (error < 0) {
      low = t;
    } else {
      high = t;
    }
    const density = Math.exp(logNormalizer - ((nu + 1) / 2) * Math.log1p((t * t) / nu));
    let next = t - error / density;
    if (!(next > low && next < high)) {
      next = Number.isFinite(high) ? (low + high) / 2 : Math.max(2 * t, t + 1);
    }
    if (Math.abs(next - t) <= 1e-14 * Math.max(1, Math.abs(t))) {
      return next;
    }
    t = next;
  }
  return t;
}
