import { buildLeaderboard, formatLeaderboardTable } from '../../pipeline/rollout/index.ts';
import type { CliCommand } from '../cli-command.ts';
import {
  type RolloutCommandDependencies,
  resolveRolloutInput,
  rolloutCommandOptions,
} from './evaluate.ts';

/** `rekindle leaderboard [--route outreach] [--input FILE] [--now ISO] [--json]`. */
export function createLeaderboardCommand(
  dependencies: RolloutCommandDependencies = {},
): CliCommand {
  return {
    name: 'leaderboard',
    summary: 'Rates per model version with 95 % intervals and lifts against the baseline',
    usage: 'leaderboard [--route outreach] [--input FILE] [--now ISO] [--json]',
    options: rolloutCommandOptions,
    async run(context, args) {
      const input = await resolveRolloutInput(context, args, dependencies);
      const snapshot = await input.source.load(input.route, input.now);
      const asOf = input.nowFromFlag ? input.now : (snapshot.asOf ?? input.now);
      const leaderboard = buildLeaderboard(snapshot.aggregates, asOf);
      return {
        json: leaderboard as unknown as Record<string, unknown>,
        text: formatLeaderboardTable(leaderboard),
      };
    },
  };
}

export const leaderboardCommand = createLeaderboardCommand();
