import {
  type AdminClientDependencies,
  type KeysAdmin,
  withAdminClient,
} from '../admin-client/index.ts';
import {
  type CliCommand,
  type CliContext,
  CliError,
  type ParsedArguments,
} from '../cli-command.ts';
import { formatApiKeys } from '../format/index.ts';

/**
 * `rekindle keys create --org ORG [--rpm N] [--name NAME]`, `keys list [--org ORG] [--all]`,
 * `keys revoke ID|PREFIX`. The key is printed once and only its SHA-256 hash is stored. Through
 * the admin client (withAdminClient): the store, or a running gateway's `/admin/keys` — and, when
 * nothing listens at REKINDLE_GATEWAY_URL and the store is a shared database (DATABASE_URL,
 * Supabase), that database. Running gateways apply a change at once (NOTIFY, or the reload).
 */
export function createKeysCommands(dependencies: AdminClientDependencies = {}): CliCommand[] {
  // The first key of a fleet is made before any replica listens: then the shared database it is.
  const withKeys: WithKeys = (context, work) =>
    withAdminClient(context, dependencies, (client) => work(client.keys), {
      sharedDatabaseWhenGatewayDown: true,
    });
  return [createCommand(withKeys), listCommand(withKeys), revokeCommand(withKeys)];
}

type WithKeys = <T>(context: CliContext, work: (keys: KeysAdmin) => Promise<T>) => Promise<T>;

function createCommand(withKeys: WithKeys): CliCommand {
  return {
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
      const created = await withKeys(context, (keys) => keys.create({ organizationId, rpm, name }));
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
}

function listCommand(withKeys: WithKeys): CliCommand {
  return {
    name: 'keys list',
    summary: 'List API keys (never the keys themselves)',
    usage: 'keys list [--org ORG] [--all] [--json]',
    options: {
      org: { type: 'string' },
      all: { type: 'boolean', default: false },
    },
    async run(context, args) {
      const organizationId = stringFlag(args, 'org');
      const keys = await withKeys(context, (admin) =>
        admin.list({ organizationId, includeRevoked: args.values.all === true }),
      );
      return { json: { keys }, text: formatApiKeys(keys) };
    },
  };
}

function revokeCommand(withKeys: WithKeys): CliCommand {
  return {
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
      const revoked = await withKeys(context, (keys) => keys.revoke(reference));
      if (!revoked) {
        throw new CliError(`no API key with id or prefix ${reference}`);
      }
      return {
        json: { revoked },
        text: `Revoked API key ${revoked.prefix}… (${revoked.id}) of organization ${revoked.organization_id}.`,
      };
    },
  };
}

function stringFlag(args: ParsedArguments, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export const keysCommands = createKeysCommands();
