/**
 * Rollout decisions: statistics, the decision engine, the leaderboard and its sources (experiment
 * file, store), the experiment service behind the admin API, and the guarded automation loop. The
 * registry operations live in ./registry (imported from there).
 */
export * from './automation/index.ts';
export * from './decision/index.ts';
export * from './experiments/index.ts';
export * from './leaderboard/index.ts';
export * as statistics from './statistics/index.ts';
