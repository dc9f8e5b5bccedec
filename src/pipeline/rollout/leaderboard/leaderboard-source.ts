import type { RouteAggregates } from '../decision/index.ts';

/** One route's counts as of a moment, ready for the leaderboard and the decision engine. */
export interface LeaderboardSnapshot {
  readonly aggregates: RouteAggregates;
  /** When the counts were taken, if the source knows; evaluation uses it as "now" unless told. */
  readonly asOf: Date | null;
  /** Stated route volume (messages per week) for time estimates. */
  readonly weeklyVolume: number | null;
  /** Planned route messages at decision time, if the experiment was planned with one. */
  readonly plannedTotalMessages: number | null;
}

/**
 * Where arm aggregates come from. The JSON-file source reads a snapshot; the store source (the
 * `model_leaderboard` view) implements the same interface. `now` decides which outcome windows
 * have closed.
 */
export interface LeaderboardSource {
  load(route: string, now: Date): Promise<LeaderboardSnapshot>;
}
