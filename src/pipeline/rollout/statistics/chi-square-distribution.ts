import { regularizedGammaLower, regularizedGammaUpper } from './special-functions.ts';

/** P(X ≤ x) for X ~ χ²(degreesOfFreedom). */
export function chiSquareCdf(x: number, degreesOfFreedom: number): number {
  return regularizedGammaLower(degreesOfFreedom / 2, x / 2);
}

/** P(X > x) for X ~ χ²(degreesOfFreedom): the p-value of a chi-square statistic. */
export function chiSquareSurvival(x: number, degreesOfFreedom: number): number {
  return regularizedGammaUpper(degreesOfFreedom / 2, x / 2);
}
