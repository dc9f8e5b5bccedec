export interface AdjustedTest {
  readonly pValue: number;
  /** The Holm (or BH) threshold this p-value was compared with. */
  readonly threshold: number;
  /** Holm- (or BH-) adjusted p-value, comparable to α directly. */
  readonly adjustedPValue: number;
  readonly rejected: boolean;
}

/**
 * Holm–Bonferroni step-down (controls the family-wise error rate under any dependence): sort p
 * ascending, reject p₍ᵢ₎ while p₍ᵢ₎ ≤ α/(m − i + 1), stop at the first failure. Results come back in
 * the input order.
 */
export function holmBonferroni(pValues: readonly number[], alpha: number): AdjustedTest[] {
  const m = pValues.length;
  const order = pValues.map((pValue, index) => ({ pValue, index })).sort(byPValue);
  const results: AdjustedTest[] = new Array(m);
  let stillRejecting = true;
  let runningMaximum = 0;
  order.forEach(({ pValue, index }, rank) => {
    const threshold = alpha / (m - rank);
    runningMaximum = Math.max(runningMaximum, Math.min(1, (m - rank) * pValue));
    stillRejecting = stillRejecting && pValue <= threshold;
    results[index] = {
      pValue,
      threshold,
      adjustedPValue: runningMaximum,
      rejected: stillRejecting,
    };
  });
  return results;
}

/**
 * Benjamini–Hochberg step-up (false discovery rate): reject the k smallest p-values for the largest k
 * with p₍ₖ₎ ≤ (k/m)·α.
 */
export function benjaminiHochberg(pValues: readonly number[], alpha: number): AdjustedTest[] {
  const m = pValues.length;
  const order = pValues.map((pValue, index) => ({ pValue, index })).sort(byPValue);
  let largest = -1;
  order.forEach(({ pValue }, rank) => {
    if (pValue <= ((rank + 1) / m) * alpha) {
      largest = rank;
    }
  });
  const results: AdjustedTest[] = new Array(m);
  let runningMinimum = 1;
  for (let rank = m - 1; rank >= 0; rank -= 1) {
    const entry = order[rank];
    if (!entry) {
      continue;
    }
    runningMinimum = Math.min(runningMinimum, (m / (rank + 1)) * entry.pValue);
    results[entry.index] = {
      pValue: entry.pValue,
      threshold: ((rank + 1) / m) * alpha,
      adjustedPValue: Math.min(1, runningMinimum),
      rejected: rank <= largest,
    };
  }
  return results;
}

function byPValue(left: { pValue: number }, right: { pValue: number }): number {
  return left.pValue - right.pValue;
}
