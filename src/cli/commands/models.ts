import type { RegistryRow } from '../../store/model-registry-store.ts';
import {
  type CliCommand,
  type CliContext,
  CliError,
  type CliOptions,
  type ParsedArguments,
} from '../cli-command.ts';
import { type GatewayClient, gatewayClientFromEnv } from '../gateway-client.ts';
import type { StoreCommandDependencies } from './migrate.ts';
import {
  type Change,
  gatewayBackend,
  type RegistryBackend,
  storeBackend,
} from './registry-backends.ts';

/**
 * `rekindle models list|register|deploy|promote|deprecate|rollback|set-baseline|report`: the seed's
 * registry operations. They open the store (PGlite, DATABASE_URL, Supabase) unless
 * REKINDLE_GATEWAY_URL is set; then they go through that gateway's admin API, which is the way to
 * change an embedded PGlite a gateway is running on. Either way running gateways apply the change
 * at once (NOTIFY) or on their next reload.
 */
export interface ModelsCommandDependencies extends StoreCommandDependencies {
  /** The admin API client, or null to use the store; default: from REKINDLE_GATEWAY_URL. */
  gatewayClient?: (context: CliContext) => GatewayClient | null;
}

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

export function createModelsCommands(dependencies: ModelsCommandDependencies = {}): CliCommand[] {
  const open = async (context: CliContext): Promise<RegistryBackend> => {
    const client = (dependencies.gatewayClient ?? ((c) => gatewayClientFromEnv(c.env)))(context);
    return client ? gatewayBackend(client) : storeBackend(context, dependencies);
  };
  const command = (
    name: string,
    summary: string,
    usage: string,
    run: (backend: RegistryBackend, args: ParsedArguments, context: CliContext) => Promise<Output>,
  ): CliCommand => ({
    name: `models ${name}`,
    summary,
    usage: `models ${name} ${usage} [--json]`,
    options,
    async run(context, args) {
      const backend = await open(context);
      try {
        return await run(backend, args, context);
      } finally {
        await backend.close();
      }
    },
  });

  return [
    command('list', 'List registered models', '[--route R]', async (backend, args) => {
      const rows = await backend.list(flag(args, 'route'));
      return { json: { models: rows }, text: formatRows(rows) };
    }),
    command(
      'register',
      'Register a model version on a route',
      '--model-id ID --model-version V [--provider P] [--route R] [--base-model B]',
      async (backend, args) => {
        const provider = flag(args, 'provider');
        const route = flag(args, 'route');
        const row = await backend.register({
          model_id: required(args, 'model-id'),
          model_version: required(args, 'model-version'),
          base_model: flag(args, 'base-model') ?? null,
          ...(provider ? { provider } : {}),
          ...(route ? { route } : {}),
        });
        return changed(row, `Registered ${describe(row)}.`);
      },
    ),
    command(
      'deploy',
      'Give a model a share of its route (the baseline takes the rest)',
      '[VERSION|ID] --traffic-percentage N [--ab-test-group G] [--route R]',
      async (backend, args) => {
        const percentage = Number(required(args, 'traffic-percentage'));
        if (!Number.isFinite(percentage) || percentage <= 0 || percentage > 100) {
          throw new CliError('--traffic-percentage must be a number in (0, 100]', 2);
        }
        const row = await backend.deploy(
          change(args),
          percentage,
          flag(args, 'ab-test-group') ?? null,
        );
        return changed(row, `Deployed ${describe(row)} at ${row.traffic_percentage} %.`);
      },
    ),
    ...(['promote', 'deprecate'] as const).map((action) =>
      command(
        action,
        action === 'promote'
          ? 'Make a model the baseline of its route'
          : 'Take a model out of rotation',
        '[VERSION|ID] [--route R] [--reason TEXT]',
        async (backend, args) => {
          const row = await backend.change(action, change(args));
          return changed(
            row,
            `${action === 'promote' ? 'Promoted' : 'Deprecated'} ${describe(row)}.`,
          );
        },
      ),
    ),
    command(
      'rollback',
      'Stop a variant, or (no model given) restore the previous baseline of --route',
      '[VERSION|ID] [--route R] [--reason TEXT]',
      async (backend, args, context) => {
        const reason = flag(args, 'reason') ?? null;
        const ref = reference(args);
        const row = ref
          ? await backend.change('rollback', { route: flag(args, 'route'), ref, reason })
          : await backend.rollbackRoute(
              flag(args, 'route') ?? context.config().default_route,
              reason,
            );
        return changed(row, `Rolled back: ${describe(row)}.`);
      },
    ),
    command(
      'set-baseline',
      'Make a model the baseline of a route',
      '--route R (--model-version V | --model-id ID) [--reason TEXT]',
      async (backend, args) => {
        const { ref, reason } = change(args);
        const row = await backend.setBaseline(required(args, 'route'), ref, reason);
        return changed(row, `Baseline of route ${row.route} is now ${describe(row)}.`);
      },
    ),
    command(
      'report',
      "A running gateway's per-model requests, success rate, latency, cost and tokens",
      '',
      async (backend) => {
        const report = await backend.report();
        return { json: report, text: formatReport(report) };
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

function change(args: ParsedArguments): Change {
  const ref = reference(args);
  if (!ref) {
    throw new CliError('name the model: VERSION or ID, --model-version V or --model-id ID', 2);
  }
  return { route: flag(args, 'route'), ref, reason: flag(args, 'reason') ?? null };
}

function describe(row: RegistryRow): string {
  const group = row.ab_test_group ? `, group ${row.ab_test_group}` : '';
  return `${row.model_version} (${row.provider}/${row.model_id}) on route ${row.route}: ${row.status}${row.is_baseline ? ', baseline' : ''}${group}`;
}

function formatRows(rows: readonly RegistryRow[]): string {
  if (rows.length === 0) {
    return 'No registered models.';
  }
  return table(
    ['ROUTE', 'VERSION', 'MODEL', 'PROVIDER', 'STATUS', 'TRAFFIC', 'GROUP'],
    rows.map((row) => [
      row.route,
      row.model_version,
      row.model_id,
      row.provider,
      row.is_baseline ? `${row.status} (baseline)` : row.status,
      row.is_baseline ? 'rest' : `${row.traffic_percentage} %`,
      row.ab_test_group ?? '',
    ]),
  );
}

function formatReport(report: Record<string, unknown>): string {
  const models = (Array.isArray(report.models) ? report.models : []) as Array<
    Record<string, number | string | null>
  >;
  if (models.length === 0) {
    return 'No requests routed yet.';
  }
  const number = (value: unknown, digits: number) =>
    typeof value === 'number' ? value.toFixed(digits) : '-';
  return table(
    ['MODEL', 'PROVIDER', 'REQUESTS', 'SUCCESS', 'AVG MS', 'P95 MS', 'AVG USD', 'TOKENS IN/OUT'],
    models.map((m) => [
      String(m.model),
      String(m.provider),
      String(m.requests),
      typeof m.success_rate === 'number' ? `${(m.success_rate * 100).toFixed(1)} %` : '-',
      number(m.avg_latency_ms, 0),
      number(m.p95_latency_ms, 0),
      number(m.avg_cost_usd, 6),
      `${m.prompt_tokens}/${m.completion_tokens}`,
    ]),
  );
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export const modelsCommands = createModelsCommands();
