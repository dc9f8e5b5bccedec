/** Cumulative bucket counts by upper bound (`le`), as a Prometheus histogram exports them. */
export type CumulativeBuckets = ReadonlyMap<number, number>;

/**
 * The q-quantile of the observations between two readings of a histogram, as Prometheus's
 * histogram_quantile computes it: find the bucket holding rank q·n, interpolate linearly inside
 * it; a rank in the +Inf bucket answers the highest finite bound. Null without observations.
 */
export function histogramQuantile(
  quantile: number,
  now: CumulativeBuckets,
  before: CumulativeBuckets,
): number | null {
  const bounds = [...now.keys()].sort((left, right) => left - right);
  const counts = bounds.map((bound) => (now.get(bound) ?? 0) - (before.get(bound) ?? 0));
  const total = counts.at(-1) ?? 0;
  if (total <= 0) {
    return null;
  }
  const rank = quantile * total;
  let lower = 0;
  let countBelow = 0;
  for (const [index, bound] of bounds.entries()) {
    const count = counts[index] ?? 0;
    if (count >= rank) {
      if (!Number.isFinite(bound)) {
        return lower;
      }
      const inBucket = count - countBelow;
      return inBucket <= 0 ? bound : lower + ((bound - lower) * (rank - countBelow)) / inBucket;
    }
    lower = Number.isFinite(bound) ? bound : lower;
    countBelow = count;
  }
  return lower;
}
