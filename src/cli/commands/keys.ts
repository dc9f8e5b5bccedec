import type { PublicApiKey } from '../../store/api-keys/api-key-json.ts';
import {
  type CliCommand,
  type CliContext,
  CliError,
  type ParsedArguments,
} from '../cli-command.ts';
import {
  type GatewayClient,
  gatewayClientFromEnv,
  isConnectionRefused,
} from '../gateway-client.ts';
import { gatewayKeysBackend, type KeysBackend, storeKeysBackend } from './keys-backends.ts';
import type { StoreCommandDependencies } from './migrate.ts';

/**
 * `rekindle keys create --org ORG [--rpm N] [--name NAME]`, `keys list [--org ORG] [--all]`,
 * `keys revoke ID|PREFIX`. The key is printed once and only its SHA-256 hash is stored. They open
 * the store unless REKINDLE_GATEWAY_URL is set (or the embedded store turns out to be held by a
 * gateway on this machine, see run-cli.ts); then they go through its admin API (`/admin/keys`) and
 * print the same — or, when nothing listens there and the store is a shared database (DATABASE_URL,
 * Supabase), open that instead. Running gateways apply a change at once (NOTIFY, or the reload).
 */
export interface KeysCommandDependencies extends StoreCommandDependencies {
  /** The admin API client, or null to use the store; default: from REKINDLE_GATEWAY_URL. */
  gatewayClient?: (context: CliContext) => GatewayClient | null;
}

export function createKeysCommands(dependencies: KeysCommandDependencies = {}): CliCommand[] {
  const withBackend = async <T>(
    context: CliContext,
    work: (backend: KeysBackend) => Promise<T>,
  ): Promise<T> => {
    const client = (dependencies.gatewayClient ?? ((c) => gatewayClientFromEnv(c.env)))(context);
    if (client) {
      try {
        return await work(gatewayKeysBackend(client));
      } catch (error) {
        // The first key of a fleet is made before any replica can start (a non-loopback bind
        // refuses to without one): with nothing listening yet, a shared database is the same store.
        if (!isConnectionRefused(error) || !sharedDatabase(context)) {
          throw error;
        }
        context.progress(`nothing listens at ${client.url}: using the database directly`);
      }
    }
    const backend = storeKeysBackend(context, dependencies);
    try {
      return await work(backend);
    } finally {
      await backend.close();
    }
  };

  const create: CliCommand = {
    name: 'keys create',
    summary: 'Create an API key for an organization (printed once, stored as a hash)',
    usage: 'keys create --org ORG [--rpm N] [--name NAME] [--json]',
    options: {
      org: { type: 'string' },
      rpm: { type: 'string' },
      name: { type: 'string' },
    },
    async run(context, args) {
      const organizationId = stringFlag(args, 'org');
      if (!organizationId) {
        throw new CliError('--org ORG is required', 2);
      }
      const rpmText = stringFlag(args, 'rpm');
      const rpm = rpmText === undefined ? undefined : Number(rpmText);
      if (rpm !== undefined && (!Number.isInteger(rpm) || rpm <= 0)) {
        throw new CliError('--rpm must be a positive whole number of requests per minute', 2);
      }
      const name = stringFlag(args, 'name') ?? null;
      const created = await withBackend(context, (backend) =>
        backend.create({ organizationId, rpm, name }),
      );
      return {
        json: created,
        text: [
          `Created API key ${created.prefix}… for organization ${created.organization_id} (${created.rpm_limit} requests/minute, id ${created.id}):`,
          '',
          `  ${created.key}`,
          '',
          'Store it now: it is shown only once.',
        ].join('\n'),
      };
    },
  };

  const list: CliCommand = {
    name: 'keys list',
    summary: 'List API keys (never the keys themselves)',
    usage: 'keys list [--org ORG] [--all] [--json]',
    options: {
      org: { type: 'string' },
      all: { type: 'boolean', default: false },
    },
    async run(context, args) {
      const organizationId = stringFlag(args, 'org');
      const keys = await withBackend(context, (backend) =>
        backend.list({ organizationId, includeRevoked: args.values.all === true }),
      );
      return {
        json: { keys },
        text: keys.length === 0 ? 'No API keys.' : formatKeys(keys),
      };
    },
  };

  const revoke: CliCommand = {
    name: 'keys revoke',
    summary: 'Revoke an API key by id or prefix',
    usage: 'keys revoke ID|PREFIX [--json]',
    options: {},
    async run(context, args) {
      const reference = args.positionals[0];
      if (!reference) {
        throw new CliError(
          'give the key id or its prefix (rk_…), as shown by `rekindle keys list`',
          2,
        );
      }
      const revoked = await withBackend(context, (backend) => backend.revoke(reference));
      if (!revoked) {
        throw new CliError(`no API key with id or prefix ${reference}`);
      }
      return {
        json: { revoked },
        text: `Revoked API key ${revoked.prefix}… (${revoked.id}) of organization ${revoked.organization_id}.`,
      };
    },
  };

  return [create, list, revoke];
}

/** DATABASE_URL or Supabase: a store every replica shares, which this process may open too. */
function sharedDatabase(context: CliContext): boolean {
  const { store } = context.config();
  return Boolean(store.database_url || (store.supabase_url && store.supabase_service_role_key));
}

function stringFlag(args: ParsedArguments, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function formatKeys(keys: readonly PublicApiKey[]): string {
  const rows = keys.map((key) => [
    key.prefix,
    key.organization_id,
    String(key.rpm_limit ?? 'default'),
    key.revoked_at ? 'revoked' : 'active',
    key.name ?? '',
    key.id,
  ]);
  const header = ['PREFIX', 'ORGANIZATION', 'RPM', 'STATUS', 'NAME', 'ID'];
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

export const keysCommands = createKeysCommands();
