import type { RegistryRow } from '../../store/index.ts';
import {
  type AdminClientDependencies,
  type ModelChange,
  type ModelsAdmin,
  routerReportNeedsGateway,
  withAdminClient,
} from '../admin-client/index.ts';
import {
  type CliCommand,
  type CliContext,
  CliError,
  type CliOptions,
  type ParsedArguments,
} from '../cli-command.ts';
import { describeRegistryRow, formatRegistryRows, formatRouterReport } from '../format/index.ts';

/**
 * `rekindle models list|register|deploy|promote|deprecate|rollback|set-baseline|report`: the seed's
 * registry operations, through the admin client (withAdminClient): the store (PGlite,
 * DATABASE_URL, Supabase), or a running gateway's admin API — the way to change an embedded PGlite
 * a gateway is running on. Either way running gateways apply the change at once (NOTIFY) or on
 * their next reload.
 */
const options = {
  route: { type: 'string' },
  'model-id': { type: 'string' },
  provider: { type: 'string' },
  'model-version': { type: 'string' },
  'base-model': { type: 'string' },
  'traffic-percentage': { type: 'string' },
  'ab-test-group': { type: 'string' },
  reason: { type: 'string' },
} as const satisfies CliOptions;

type Subcommand = (
  name: string,
  summary: string,
  usage: string,
  run: (models: ModelsAdmin, args: ParsedArguments, context: CliContext) => Promise<Output>,
) => CliCommand;

export function createModelsCommands(dependencies: AdminClientDependencies = {}): CliCommand[] {
  const command: Subcommand = (name, summary, usage, run) => ({
    name: `models ${name}`,
    summary,
    usage: `models ${name} ${usage} [--json]`,
    options,
    run: (context, args) =>
      withAdminClient(
        context,
        dependencies,
        (client) => run(client.models, args, context),
        // The router's statistics live in a running gateway's memory: no store to open for them.
        name === 'report' ? { gatewayOnly: routerReportNeedsGateway } : {},
      ),
  });

  return [
    command('list', 'List registered models', '[--route R]', async (models, args) => {
      const rows = await models.list(flag(args, 'route'));
      return { json: { models: rows }, text: formatRegistryRows(rows) };
    }),
    ...changeCommands(command),
    command(
      'report',
      "A running gateway's per-model requests, success rate, latency, cost and tokens",
      '',
      async (models) => {
        const report = await models.report();
        return { json: report, text: formatRouterReport(report) };
      },
    ),
  ];
}

/** register, deploy, promote, deprecate, rollback, set-baseline. */
function changeCommands(command: Subcommand): CliCommand[] {
  return [
    command(
      'register',
      'Register a model version on a route',
      '--model-id ID --model-version V [--provider P] [--route R] [--base-model B]',
      async (models, args) => {
        const provider = flag(args, 'provider');
        const route = flag(args, 'route');
        const row = await models.register({
          model_id: required(args, 'model-id'),
          model_version: required(args, 'model-version'),
          base_model: flag(args, 'base-model') ?? null,
          ...(provider ? { provider } : {}),
          ...(route ? { route } : {}),
        });
        return changed(row, `Registered ${describeRegistryRow(row)}.`);
      },
    ),
    command(
      'deploy',
      'Give a model a share of its route (the baseline takes the rest)',
      '[VERSION|ID] --traffic-percentage N [--ab-test-group G] [--route R]',
      async (models, args) => {
        const percentage = Number(required(args, 'traffic-percentage'));
        if (!Number.isFinite(percentage) || percentage <= 0 || percentage > 100) {
          throw new CliError('--traffic-percentage must be a number in (0, 100]', 2);
        }
        const row = await models.deploy(
          change(args),
          percentage,
          flag(args, 'ab-test-group') ?? null,
        );
        return changed(row, `Deployed ${describeRegistryRow(row)} at ${row.traffic_percentage} %.`);
      },
    ),
    ...(['promote', 'deprecate'] as const).map((action) =>
      command(
        action,
        action === 'promote'
          ? 'Make a model the baseline of its route'
          : 'Take a model out of rotation',
        '[VERSION|ID] [--route R] [--reason TEXT]',
        async (models, args) => {
          const row = await models.change(action, change(args));
          return changed(
            row,
            `${action === 'promote' ? 'Promoted' : 'Deprecated'} ${describeRegistryRow(row)}.`,
          );
        },
      ),
    ),
    command(
      'rollback',
      'Stop a variant, or (no model given) restore the previous baseline of --route',
      '[VERSION|ID] [--route R] [--reason TEXT]',
      async (models, args, context) => {
        const reason = flag(args, 'reason') ?? null;
        const ref = reference(args);
        const row = ref
          ? await models.change('rollback', { route: flag(args, 'route'), ref, reason })
          : await models.rollbackRoute(
              flag(args, 'route') ?? context.config().default_route,
              reason,
            );
        return changed(row, `Rolled back: ${describeRegistryRow(row)}.`);
      },
    ),
    command(
      'set-baseline',
      'Make a model the baseline of a route',
      '--route R (--model-version V | --model-id ID) [--reason TEXT]',
      async (models, args) => {
        const { ref, reason } = change(args);
        const row = await models.setBaseline(required(args, 'route'), ref, reason);
        return changed(row, `Baseline of route ${row.route} is now ${describeRegistryRow(row)}.`);
      },
    ),
  ];
}

type Output = { json: Record<string, unknown>; text: string };

function changed(row: RegistryRow, text: string): Output {
  return { json: row as unknown as Record<string, unknown>, text };
}

function flag(args: ParsedArguments, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function required(args: ParsedArguments, name: string): string {
  const value = flag(args, name);
  if (value === undefined) {
    throw new CliError(`--${name} is required`, 2);
  }
  return value;
}

/** The model a change is about: a positional, else --model-version, else --model-id. */
function reference(args: ParsedArguments): string | undefined {
  return args.positionals[0] ?? flag(args, 'model-version') ?? flag(args, 'model-id');
}

function change(args: ParsedArguments): ModelChange {
  const ref = reference(args);
  if (!ref) {
    throw new CliError('name the model: VERSION or ID, --model-version V or --model-id ID', 2);
  }
  return { route: flag(args, 'route'), ref, reason: flag(args, 'reason') ?? null };
}

export const modelsCommands = createModelsCommands();
