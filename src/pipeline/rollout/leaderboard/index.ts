export {
  type ArmDescription,
  aggregateDailyCohorts,
  type DailyCohort,
} from './aggregate-daily-cohorts.ts';
export { buildLeaderboard, type Leaderboard, type LeaderboardRow } from './build-leaderboard.ts';
export {
  type ExperimentFile,
  experimentFileSchema,
  parseExperimentFile,
} from './experiment-file.ts';
export {
  createJsonFileLeaderboardSource,
  type JsonFileLeaderboardSourceOptions,
} from './json-file-leaderboard-source.ts';
export type { LeaderboardSnapshot, LeaderboardSource } from './leaderboard-source.ts';
export {
  createStoreLeaderboardSource,
  type StoreLeaderboardSourceOptions,
} from './store-leaderboard-source.ts';
