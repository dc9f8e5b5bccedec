import type { CliCommand } from '../cli-command.ts';
import { formatLeaderboardTable } from '../format/index.ts';
import {
  type RolloutCommandDependencies,
  rolloutCommandOptions,
  withExperiments,
} from './evaluate.ts';

/**
 * `rekindle leaderboard [--route outreach] [--input FILE] [--now ISO] [--json]`: rates per model
 * version with 95 % intervals and lifts against the baseline, from the experiment file, the running
 * gateway (REKINDLE_GATEWAY_URL) or the store.
 */
function createLeaderboardCommand(dependencies: RolloutCommandDependencies = {}): CliCommand {
  return {
    name: 'leaderboard',
    summary: 'Rates per model version with 95 % intervals and lifts against the baseline',
    usage: 'leaderboard [--route outreach] [--input FILE] [--now ISO] [--json]',
    options: rolloutCommandOptions,
    async run(context, args) {
      const leaderboard = await withExperiments(context, args, dependencies, (experiments, input) =>
        experiments.leaderboard(input.route, { now: input.now }),
      );
      return {
        json: leaderboard as unknown as Record<string, unknown>,
        text: formatLeaderboardTable(leaderboard),
      };
    },
  };
}

export const leaderboardCommand = createLeaderboardCommand();
