import { resolve } from 'node:path';
import type { GatewayConfig } from '../../config/index.ts';
import {
  createJsonFileLeaderboardSource,
  decisionOptionsFromConfig,
  evaluateExperiment,
  formatDecisionTable,
  type LeaderboardSource,
} from '../../pipeline/rollout/index.ts';
import {
  type CliCommand,
  type CliContext,
  CliError,
  type ParsedArguments,
} from '../cli-command.ts';

/**
 * `rekindle evaluate [--route outreach] [--input FILE] [--now ISO] [--weekly-volume N] [--json]`:
 * each variant against the baseline → promote / keep_testing / rollback / invalid, with every number
 * behind it.
 */
export function createEvaluateCommand(dependencies: RolloutCommandDependencies = {}): CliCommand {
  return {
    name: 'evaluate',
    summary: 'Decide promote / keep testing / roll back for the variants of a route',
    usage: 'evaluate [--route outreach] [--input FILE] [--now ISO] [--weekly-volume N] [--json]',
    options: { ...rolloutCommandOptions, 'weekly-volume': { type: 'string' } },
    async run(context, args) {
      const input = await resolveRolloutInput(context, args, dependencies);
      const snapshot = await input.source.load(input.route, input.now);
      const now = input.nowFromFlag ? input.now : (snapshot.asOf ?? input.now);
      const weeklyVolume = positiveNumberFlag(args, 'weekly-volume') ?? snapshot.weeklyVolume;
      const options = decisionOptionsFromConfig(input.config.rollout, {
        weeklyVolume: weeklyVolume ?? undefined,
        ...(snapshot.plannedTotalMessages === null
          ? {}
          : { plannedTotalMessages: snapshot.plannedTotalMessages }),
      });
      const evaluation = evaluateExperiment(snapshot.aggregates, options, now);
      return {
        json: evaluation as unknown as Record<string, unknown>,
        text: formatDecisionTable(evaluation),
      };
    },
  };
}

/** What `evaluate` and `leaderboard` need from the outside world; injectable for tests. */
export interface RolloutCommandDependencies {
  /**
   * The store-backed source (the `model_leaderboard` view), used when --input is absent. Until it
   * is wired in, those commands ask for --input.
   */
  readonly storeSource?: (context: CliContext) => LeaderboardSource | Promise<LeaderboardSource>;
  readonly clock?: () => Date;
  /** Directory --input is resolved against (default: the process's working directory). */
  readonly cwd?: string;
}

export const rolloutCommandOptions = {
  route: { type: 'string' },
  input: { type: 'string' },
  now: { type: 'string' },
} as const;

export interface RolloutCommandInput {
  readonly config: GatewayConfig;
  readonly route: string;
  readonly source: LeaderboardSource;
  /** --now, or the clock. */
  readonly now: Date;
  readonly nowFromFlag: boolean;
}

export async function resolveRolloutInput(
  context: CliContext,
  args: ParsedArguments,
  dependencies: RolloutCommandDependencies,
): Promise<RolloutCommandInput> {
  const config = context.config();
  const route = stringFlag(args, 'route') ?? config.default_route;
  const input = stringFlag(args, 'input');
  const nowFlag = stringFlag(args, 'now');
  const now =
    nowFlag === undefined ? (dependencies.clock ?? (() => new Date()))() : parseNow(nowFlag);
  const windows = {
    replyDays: config.rollout.reply_window_days,
    meetingDays: config.rollout.meeting_window_days,
    closeDays: config.rollout.close_window_days,
  };
  let source: LeaderboardSource;
  if (input !== undefined) {
    source = createJsonFileLeaderboardSource({
      path: resolve(dependencies.cwd ?? process.cwd(), input),
      windows,
    });
  } else if (dependencies.storeSource) {
    source = await dependencies.storeSource(context);
  } else {
    throw new CliError(
      'no store-backed leaderboard source is available in this build; pass --input FILE (format: docs/experiments.md)',
      2,
    );
  }
  return { config, route, source, now, nowFromFlag: nowFlag !== undefined };
}

export function stringFlag(args: ParsedArguments, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function positiveNumberFlag(args: ParsedArguments, name: string): number | undefined {
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
