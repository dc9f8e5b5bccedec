/** Rollout decisions: statistics, the decision engine and the leaderboard (pure, no I/O but files). */
export * from './decision/index.ts';
export * from './leaderboard/index.ts';
export * as statistics from './statistics/index.ts';
