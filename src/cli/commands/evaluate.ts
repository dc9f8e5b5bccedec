import { resolve } from 'node:path';
import type { GatewayConfig } from '../../config/index.ts';
import {
  createJsonFileLeaderboardSource,
  createStoreLeaderboardSource,
  type ExperimentEvaluation,
  evaluateSnapshot,
  formatDecisionTable,
  type LeaderboardSource,
  outcomeWindows,
} from '../../pipeline/rollout/index.ts';
import type { Store } from '../../store/index.ts';
import { LeaderboardStore } from '../../store/leaderboard-store.ts';
import { ModelRegistryStore } from '../../store/model-registry-store.ts';
import {
  type CliCommand,
  type CliContext,
  CliError,
  type ParsedArguments,
} from '../cli-command.ts';
import { type GatewayClient, gatewayClientFromEnv } from '../gateway-client.ts';
import { openConfiguredStore } from './migrate.ts';

/**
 * `rekindle evaluate [--route outreach] [--input FILE] [--now ISO] [--weekly-volume N] [--json]`:
 * each variant against the baseline → promote / keep_testing / rollback / invalid, with every number
 * behind it. Data: the experiment file with --input; else the running gateway's admin API when
 * REKINDLE_GATEWAY_URL is set; else the store, opened directly.
 */
export function createEvaluateCommand(dependencies: RolloutCommandDependencies = {}): CliCommand {
  return {
    name: 'evaluate',
    summary: 'Decide promote / keep testing / roll back for the variants of a route',
    usage: 'evaluate [--route outreach] [--input FILE] [--now ISO] [--weekly-volume N] [--json]',
    options: { ...rolloutCommandOptions, 'weekly-volume': { type: 'string' } },
    async run(context, args) {
      const weeklyVolume = positiveNumberFlag(args, 'weekly-volume');
      const evaluation = await withRolloutInput(context, args, dependencies, {
        async remote(client, input) {
          return client.request<ExperimentEvaluation>(
            'GET',
            `/admin/experiments/${encodeURIComponent(input.route)}`,
            {
              query: {
                now: input.nowFromFlag ? input.now.toISOString() : undefined,
                weekly_volume: weeklyVolume === undefined ? undefined : String(weeklyVolume),
              },
            },
          );
        },
        async local(source, input) {
          const snapshot = await source.load(input.route, input.now);
          return evaluateSnapshot(snapshot, input.config.rollout, {
            now: input.nowFromFlag ? input.now : undefined,
            clockNow: input.now,
            weeklyVolume,
          });
        },
      });
      return {
        json: evaluation as unknown as Record<string, unknown>,
        text: formatDecisionTable(evaluation),
      };
    },
  };
}

/** What `evaluate` and `leaderboard` need from the outside world; injectable for tests. */
export interface RolloutCommandDependencies {
  /** Replaces the store-backed source (used when neither --input nor REKINDLE_GATEWAY_URL is given). */
  readonly storeSource?: (context: CliContext) => LeaderboardSource | Promise<LeaderboardSource>;
  /** Opens the store for the store-backed source; default: from the config (migrated). */
  readonly openStore?: (context: CliContext, options: { autoMigrate: boolean }) => Promise<Store>;
  /** The admin API client; default: from REKINDLE_GATEWAY_URL and REKINDLE_ADMIN_TOKEN. */
  readonly gatewayClient?: (context: CliContext) => GatewayClient | null;
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
  /** --now, or the clock. */
  readonly now: Date;
  readonly nowFromFlag: boolean;
}

/**
 * Runs `local` on a leaderboard source (the --input file, or the store opened for the call and
 * closed after), or `remote` on the admin API when REKINDLE_GATEWAY_URL is set and --input is not.
 */
export async function withRolloutInput<T>(
  context: CliContext,
  args: ParsedArguments,
  dependencies: RolloutCommandDependencies,
  work: {
    remote(client: GatewayClient, input: RolloutCommandInput): Promise<T>;
    local(source: LeaderboardSource, input: RolloutCommandInput): Promise<T>;
  },
): Promise<T> {
  const config = context.config();
  const nowFlag = stringFlag(args, 'now');
  const input: RolloutCommandInput = {
    config,
    route: stringFlag(args, 'route') ?? config.default_route,
    now: nowFlag === undefined ? (dependencies.clock ?? (() => new Date()))() : parseNow(nowFlag),
    nowFromFlag: nowFlag !== undefined,
  };
  const file = stringFlag(args, 'input');
  if (file !== undefined) {
    const source = createJsonFileLeaderboardSource({
      path: resolve(dependencies.cwd ?? process.cwd(), file),
      windows: outcomeWindows(config.rollout),
    });
    return work.local(source, input);
  }
  const client = (dependencies.gatewayClient ?? ((cli) => gatewayClientFromEnv(cli.env)))(context);
  if (client) {
    return work.remote(client, input);
  }
  if (dependencies.storeSource) {
    return work.local(await dependencies.storeSource(context), input);
  }
  const store = await (dependencies.openStore ?? openConfiguredStore)(context, {
    autoMigrate: true,
  });
  try {
    const registry = new ModelRegistryStore(store.transport);
    const source = createStoreLeaderboardSource({
      cohorts: new LeaderboardStore(store.transport),
      listModels: (route) => registry.list(route),
      windows: outcomeWindows(config.rollout),
    });
    return await work.local(source, input);
  } finally {
    await store.close();
  }
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
