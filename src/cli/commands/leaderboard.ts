import {
  buildLeaderboard,
  formatLeaderboardTable,
  type Leaderboard,
} from '../../pipeline/rollout/index.ts';
import type { CliCommand } from '../cli-command.ts';
import {
  type RolloutCommandDependencies,
  rolloutCommandOptions,
  withRolloutInput,
} from './evaluate.ts';

/**
 * `rekindle leaderboard [--route outreach] [--input FILE] [--now ISO] [--json]`: rates per model
 * version with 95 % intervals and lifts against the baseline, from the experiment file, the running
 * gateway (REKINDLE_GATEWAY_URL) or the store.
 */
export function createLeaderboardCommand(
  dependencies: RolloutCommandDependencies = {},
): CliCommand {
  return {
    name: 'leaderboard',
    summary: 'Rates per model version with 95 % intervals and lifts against the baseline',
    usage: 'leaderboard [--route outreach] [--input FILE] [--now ISO] [--json]',
    options: rolloutCommandOptions,
    async run(context, args) {
      const leaderboard = await withRolloutInput<Leaderboard>(context, args, dependencies, {
        remote(client, input) {
          return client.request<Leaderboard>('GET', '/admin/leaderboard', {
            query: {
              route: input.route,
              now: input.nowFromFlag ? input.now.toISOString() : undefined,
            },
          });
        },
        async local(source, input) {
          const snapshot = await source.load(input.route, input.now);
          const asOf = input.nowFromFlag ? input.now : (snapshot.asOf ?? input.now);
          return buildLeaderboard(snapshot.aggregates, asOf);
        },
      });
      return {
        json: leaderboard as unknown as Record<string, unknown>,
        text: formatLeaderboardTable(leaderboard),
      };
    },
  };
}

export const leaderboardCommand = createLeaderboardCommand();
