import { normalQuantile } from './normal-distribution.ts';
import { regularizedBeta } from './special-functions.ts';

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

/** The t with P(T ≤ t) = p, by bracketing and bisection on the CDF (monotone, so robust). */
export function studentTQuantile(p: number, degreesOfFreedom: number): number {
  if (Number.isNaN(p) || p <= 0 || p >= 1) {
    return p === 0 ? Number.NEGATIVE_INFINITY : p === 1 ? Number.POSITIVE_INFINITY : Number.NaN;
  }
  if (p < 0.5) {
    return -studentTQuantile(1 - p, degreesOfFreedom);
  }
  // Start from the normal quantile (a lower bound for p > 1/2) and widen until the CDF passes p.
  let low = normalQuantile(p);
  let high = Math.max(low * 2, 1);
  while (studentTCdf(high, degreesOfFreedom) < p) {
    low = high;
    high *= 2;
  }
  for (
    let iteration = 0;
    iteration < 200 && high - low > 1e-13 * Math.max(1, high);
    iteration += 1
  ) {
    const middle = (low + high) / 2;
    if (studentTCdf(middle, degreesOfFreedom) < p) {
      low = middle;
    } else {
      high = middle;
    }
  }
  return (low + high) / 2;
}
