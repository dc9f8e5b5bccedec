import type { LeaderboardRow } from '../../pipeline/index.ts';

/** A numeric leaderboard metric (rows carry metrics by name), or null. */
export function metric(row: LeaderboardRow, name: string): number | null {
  const value = row[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** A metric's 95 % interval ([lower, upper]), or null. */
export function interval(row: LeaderboardRow, name: string): readonly [number, number] | null {
  const value = row[`${name}_ci95`];
  return Array.isArray(value) &&
    value.length === 2 &&
    typeof value[0] === 'number' &&
    typeof value[1] === 'number'
    ? [value[0], value[1]]
    : null;
}
