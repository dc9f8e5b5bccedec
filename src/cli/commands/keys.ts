import type { ApiKeyRecord } from '../../store/index.ts';
import { type CliCommand, CliError, type ParsedArguments } from '../cli-command.ts';
import { openConfiguredStore, type StoreCommandDependencies } from './migrate.ts';

/**
 * `rekindle keys create --org ORG [--rpm N] [--name NAME]`, `keys list [--org ORG] [--all]`,
 * `keys revoke ID|PREFIX`. The key is printed once and only its SHA-256 hash is stored; a running
 * gateway picks up changes at once (NOTIFY) or on its next refresh.
 */
export function createKeysCommands(dependencies: StoreCommandDependencies = {}): CliCommand[] {
  const open = dependencies.openStore ?? openConfiguredStore;
  const withStore = async <T>(
    context: Parameters<typeof open>[0],
    work: (store: Awaited<ReturnType<typeof open>>) => Promise<T>,
  ): Promise<T> => {
    const store = await open(context, { autoMigrate: true });
    try {
      return await work(store);
    } finally {
      await store.close();
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
      const rpmLimit =
        rpmText === undefined ? context.config().rate_limit.default_rpm : Number(rpmText);
      if (!Number.isInteger(rpmLimit) || rpmLimit <= 0) {
        throw new CliError('--rpm must be a positive whole number of requests per minute', 2);
      }
      const name = stringFlag(args, 'name') ?? null;
      const { key, record } = await withStore(context, (store) =>
        store.apiKeys.create({ organizationId, rpmLimit, name }),
      );
      return {
        json: {
          key,
          organization_id: record.organization_id,
          id: record.id,
          rpm_limit: record.rpm_limit,
          prefix: record.key_prefix,
          name: record.name,
          created_at: record.created_at,
        },
        text: [
          `Created API key ${record.key_prefix}… for organization ${record.organization_id} (${record.rpm_limit} requests/minute, id ${record.id}):`,
          '',
          `  ${key}`,
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
      const keys = await withStore(context, (store) =>
        store.apiKeys.list({
          ...(organizationId ? { organizationId } : {}),
          includeRevoked: args.values.all === true,
        }),
      );
      return {
        json: { keys: keys.map(publicKey) },
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
      const revoked = await withStore(context, (store) => store.apiKeys.revoke(reference));
      if (!revoked) {
        throw new CliError(`no API key with id or prefix ${reference}`);
      }
      return {
        json: { revoked: publicKey(revoked) },
        text: `Revoked API key ${revoked.key_prefix}… (${revoked.id}) of organization ${revoked.organization_id}.`,
      };
    },
  };

  return [create, list, revoke];
}

function stringFlag(args: ParsedArguments, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function publicKey(record: ApiKeyRecord) {
  return {
    id: record.id,
    organization_id: record.organization_id,
    name: record.name,
    prefix: record.key_prefix,
    rpm_limit: record.rpm_limit,
    created_at: record.created_at,
    revoked_at: record.revoked_at,
    last_used_at: record.last_used_at,
  };
}

function formatKeys(keys: readonly ApiKeyRecord[]): string {
  const rows = keys.map((key) => [
    key.key_prefix,
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
