import { sampleRatioMismatch } from '../statistics/index.ts';
import type { ArmAggregates } from './arm-aggregates.ts';

export interface SampleRatioReport {
  readonly checked: boolean;
  readonly not_checked_because: string | null;
  readonly chi_square: number | null;
  readonly degrees_of_freedom: number;
  readonly p_value: number | null;
  readonly threshold: number;
  /** False only when checked and p < threshold. */
  readonly ok: boolean;
  readonly arms: readonly {
    readonly model_version: string;
    readonly traffic_share: number;
    /** Requests assigned: messages sent plus failed requests. */
    readonly observed: number;
    readonly expected: number;
  }[];
}

/** GrowthBook needs 8 units per arm before it trusts the χ² approximation. */
const minimumExpectedPerArm = 8;

export function checkSampleRatio(
  arms: readonly ArmAggregates[],
  threshold: number,
): SampleRatioReport {
  const observed = arms.map((arm) => arm.messagesSent + arm.errors);
  const weights = arms.map((arm) => arm.trafficPercentage);
  const weightTotal = weights.reduce((sum, weight) => sum + weight, 0);
  const total = observed.reduce((sum, count) => sum + count, 0);
  const result =
    arms.length >= 2 && total > 0 && weightTotal > 0
      ? sampleRatioMismatch(observed, weights)
      : null;
  const rows = armRows(arms, result?.expected ?? []);
  const tooFew = rows.some((row) => row.traffic_share > 0 && row.expected < minimumExpectedPerArm);
  if (result === null || tooFew) {
    return uncheckedSampleRatio(
      arms,
      threshold,
      result === null
        ? 'fewer than two arms or no traffic'
        : `fewer than ${minimumExpectedPerArm} expected requests in an arm`,
      rows,
    );
  }
  return {
    checked: true,
    not_checked_because: null,
    chi_square: result.chiSquare,
    degrees_of_freedom: result.degreesOfFreedom,
    p_value: result.pValue,
    threshold,
    ok: result.pValue >= threshold,
    arms: rows,
  };
}

/** The report when the split is not tested (too little traffic, or no baseline to compare with). */
export function uncheckedSampleRatio(
  arms: readonly ArmAggregates[],
  threshold: number,
  because: string,
  rows: SampleRatioReport['arms'] = armRows(arms, []),
): SampleRatioReport {
  return {
    checked: false,
    not_checked_because: because,
    chi_square: null,
    degrees_of_freedom: Math.max(arms.length - 1, 0),
    p_value: null,
    threshold,
    ok: true,
    arms: rows,
  };
}

function armRows(
  arms: readonly ArmAggregates[],
  expected: readonly number[],
): SampleRatioReport['arms'] {
  const weightTotal = arms.reduce((sum, arm) => sum + arm.trafficPercentage, 0);
  return arms.map((arm, index) => ({
    model_version: arm.modelVersion,
    traffic_share: weightTotal > 0 ? arm.trafficPercentage / weightTotal : 0,
    observed: arm.messagesSent + arm.errors,
    expected: expected[index] ?? 0,
  }));
}
