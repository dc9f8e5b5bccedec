import {
  buildLeaderboard,
  evaluateSnapshot,
  type LeaderboardSource,
  type RolloutSettings,
} from '../../pipeline/index.ts';
import type { ExperimentsAdmin } from './admin-client.ts';

/**
 * Leaderboards and decisions computed in this process from a source (the store, or an experiment
 * file given with --input). Precedence of the evaluation time: `now`, the data's as-of, the clock.
 */
export function experimentsOverSource(
  source: LeaderboardSource,
  rollout: RolloutSettings,
  clock: () => Date,
): ExperimentsAdmin {
  return {
    async leaderboard(route, { now }) {
      const clockNow = clock();
      const snapshot = await source.load(route, now ?? clockNow);
      return buildLeaderboard(snapshot.aggregates, now ?? snapshot.asOf ?? clockNow);
    },
    async evaluate(route, { now, weeklyVolume }) {
      const clockNow = clock();
      const snapshot = await source.load(route, now ?? clockNow);
      return evaluateSnapshot(snapshot, rollout, { now, clockNow, weeklyVolume });
    },
  };
}
