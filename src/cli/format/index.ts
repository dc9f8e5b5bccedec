/**
 * Every text rendering of a result the CLI prints (without --json), and the gateway's
 * `?format=table` answers (handed to it by the composition root): one table renderer underneath.
 */
export { formatApiKeys } from './format-api-keys.ts';
export { formatDecisionTable } from './format-decision-table.ts';
export { formatExportStats } from './format-export-stats.ts';
export { formatLeaderboardTable } from './format-leaderboard-table.ts';
export { describeRegistryRow, formatRegistryRows, formatRouterReport } from './format-registry.ts';
export {
  describeRunStatus,
  formatTrainingRun,
  formatTrainingRunList,
} from './format-training-run.ts';
export { numericColumns, type TableData, textTable } from './text-table.ts';
