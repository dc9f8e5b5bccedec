import { normalQuantile } from './normal-distribution.ts';

export interface SampleSizeOptions {
  /** Two-sided significance level (default 0.05). */
  readonly alpha?: number;
  /** 1 − β (default 0.8). */
  readonly power?: number;
}

/**
 * Units per arm for a two-sided two-proportion z test with equal arms (Fleiss; the reference table):
 * n = (z_{1−α/2} · sqrt(2 p̄ (1 − p̄)) + z_{1−β} · sqrt(p₁(1 − p₁) + p₂(1 − p₂)))² / (p₁ − p₂)²,
 * rounded up.
 */
export function sampleSizePerArm(
  baselineRate: number,
  targetRate: number,
  options: SampleSizeOptions = {},
): number {
  const alpha = options.alpha ?? 0.05;
  const power = options.power ?? 0.8;
  if (baselineRate === targetRate) {
    return Number.POSITIVE_INFINITY;
  }
  const zAlpha = normalQuantile(1 - alpha / 2);
  const zBeta = normalQuantile(power);
  const average = (baselineRate + targetRate) / 2;
  const numerator =
    zAlpha * Math.sqrt(2 * average * (1 - average)) +
    zBeta * Math.sqrt(baselineRate * (1 - baselineRate) + targetRate * (1 - targetRate));
  return Math.ceil((numerator * numerator) / (baselineRate - targetRate) ** 2);
}
