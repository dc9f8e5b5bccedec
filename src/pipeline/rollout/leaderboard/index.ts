export { aggregateDailyCohorts } from './aggregate-daily-cohorts.ts';
export { buildLeaderboard, type Leaderboard, type LeaderboardRow } from './build-leaderboard.ts';
export { parseExperimentFile } from './experiment-file.ts';
export { createJsonFileLeaderboardSource } from './json-file-leaderboard-source.ts';
export type { LeaderboardSnapshot, LeaderboardSource } from './leaderboard-source.ts';
export { createStoreLeaderboardSource } from './store-leaderboard-source.ts';
