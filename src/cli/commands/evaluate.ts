import { resolve } from 'node:path';
import {
  createJsonFileLeaderboardSource,
  type LeaderboardSource,
  outcomeWindows,
} from '../../pipeline/index.ts';
import {
  type AdminClientDependencies,
  type ExperimentsAdmin,
  experimentsOverSource,
  withAdminClient,
} from '../admin-client/index.ts';
import {
  type CliCommand,
  type CliContext,
  CliError,
  type ParsedArguments,
} from '../cli-command.ts';
import { formatDecisionTable } from '../format/index.ts';

/**
 * `rekindle evaluate [--route outreach] [--input FILE] [--now ISO] [--weekly-volume N] [--json]`:
 * each variant against the baseline → promote / keep_testing / rollback / invalid, with every number
 * behind it. Data: the experiment file with --input; else the admin client's (a running gateway's
 * admin API, or the store opened directly).
 */
export function createEvaluateCommand(dependencies: RolloutCommandDependencies = {}): CliCommand {
  return {
    name: 'evaluate',
    summary: 'Decide promote / keep testing / roll back for the variants of a route',
    usage: 'evaluate [--route outreach] [--input FILE] [--now ISO] [--weekly-volume N] [--json]',
    options: { ...rolloutCommandOptions, 'weekly-volume': { type: 'string' } },
    async run(context, args) {
      const weeklyVolume = positiveNumberFlag(args, 'weekly-volume');
      const evaluation = await withExperiments(context, args, dependencies, (experiments, input) =>
        experiments.evaluate(input.route, { now: input.now, weeklyVolume }),
      );
      return {
        json: evaluation as unknown as Record<string, unknown>,
        text: formatDecisionTable(evaluation),
      };
    },
  };
}

/** What `evaluate` and `leaderboard` need from the outside world; injectable for tests. */
export interface RolloutCommandDependencies extends AdminClientDependencies {
  /** The experiments' data instead of the gateway's or the store's (without --input). */
  readonly storeSource?: (context: CliContext) => LeaderboardSource | Promise<LeaderboardSource>;
  /** Directory --input is resolved against (default: the process's working directory). */
  readonly cwd?: string;
}

export const rolloutCommandOptions = {
  route: { type: 'string' },
  input: { type: 'string' },
  now: { type: 'string' },
} as const;

export interface RolloutCommandInput {
  readonly route: string;
  /** --now; undefined: the data's own as-of time, else the clock. */
  readonly now: Date | undefined;
}

/**
 * Runs `work` on the experiments of the --input file (computed here), else on those of the admin
 * client (a running gateway's, or the store's).
 */
export async function withExperiments<T>(
  context: CliContext,
  args: ParsedArguments,
  dependencies: RolloutCommandDependencies,
  work: (experiments: ExperimentsAdmin, input: RolloutCommandInput) => Promise<T>,
): Promise<T> {
  const config = context.config();
  const nowFlag = stringFlag(args, 'now');
  const input: RolloutCommandInput = {
    route: stringFlag(args, 'route') ?? config.default_route,
    now: nowFlag === undefined ? undefined : parseNow(nowFlag),
  };
  const overSource = (source: LeaderboardSource) =>
    experimentsOverSource(source, config.rollout, dependencies.clock ?? (() => new Date()));
  const file = stringFlag(args, 'input');
  if (file !== undefined) {
    const source = createJsonFileLeaderboardSource({
      path: resolve(dependencies.cwd ?? process.cwd(), file),
      windows: outcomeWindows(config.rollout),
    });
    return work(overSource(source), input);
  }
  if (dependencies.storeSource) {
    return work(overSource(await dependencies.storeSource(context)), input);
  }
  return withAdminClient(context, dependencies, (client) => work(client.experiments, input));
}

function stringFlag(args: ParsedArguments, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

function positiveNumberFlag(args: ParsedArguments, name: string): number | undefined {
  const text = stringFlag(args, name);
  if (text === undefined) {
    return undefined;
  }
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new CliError(`--${name} must be a positive number, got "${text}"`, 2);
  }
  return value;
}

function parseNow(text: string): Date {
  const value = Date.parse(text);
  if (Number.isNaN(value)) {
    throw new CliError(`--now must be an ISO 8601 date-time, got "${text}"`, 2);
  }
  return new Date(value);
}

export const evaluateCommand = createEvaluateCommand();
