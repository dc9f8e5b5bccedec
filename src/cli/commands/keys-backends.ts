import { z } from 'zod';
import {
  type CreatedApiKeyJson,
  createdApiKeyJson,
  createdApiKeyJsonSchema,
  type PublicApiKey,
  publicApiKey,
  publicApiKeySchema,
} from '../../store/api-keys/api-key-json.ts';
import type { Store } from '../../store/index.ts';
import type { CliContext } from '../cli-command.ts';
import { type GatewayClient, GatewayClientError } from '../gateway-client.ts';
import { openConfiguredStore, type StoreCommandDependencies } from './migrate.ts';

/**
 * The two ways `rekindle keys …` reaches API keys: the store's SQL functions directly, or a running
 * gateway's admin API (`/admin/keys`). Both answer in the JSON shapes of api-key-json.ts, so the
 * command prints the same either way.
 */
export interface KeysBackend {
  /** `rpm` undefined: the default of whoever stores it (this CLI's config, or the gateway's). */
  create(input: {
    organizationId: string;
    rpm: number | undefined;
    name: string | null;
  }): Promise<CreatedApiKeyJson>;
  list(filter: {
    organizationId: string | undefined;
    includeRevoked: boolean;
  }): Promise<PublicApiKey[]>;
  /** By id or prefix; null when there is no such key. */
  revoke(reference: string): Promise<PublicApiKey | null>;
  close(): Promise<void>;
}

export function storeKeysBackend(
  context: CliContext,
  dependencies: StoreCommandDependencies,
): KeysBackend {
  let opened: Promise<Store> | undefined;
  const apiKeys = async () => {
    opened ??= (dependencies.openStore ?? openConfiguredStore)(context, { autoMigrate: true });
    return (await opened).apiKeys;
  };
  return {
    async create({ organizationId, rpm, name }) {
      const rpmLimit = rpm ?? context.config().rate_limit.default_rpm;
      return createdApiKeyJson(await (await apiKeys()).create({ organizationId, rpmLimit, name }));
    },
    async list({ organizationId, includeRevoked }) {
      const rows = await (await apiKeys()).list({
        ...(organizationId ? { organizationId } : {}),
        includeRevoked,
      });
      return rows.map(publicApiKey);
    },
    async revoke(reference) {
      const revoked = await (await apiKeys()).revoke(reference);
      return revoked ? publicApiKey(revoked) : null;
    },
    async close() {
      // A store that failed to open has nothing to close (its error is already on its way).
      const store = await opened?.catch(() => undefined);
      await store?.close();
    },
  };
}

export function gatewayKeysBackend(client: GatewayClient): KeysBackend {
  return {
    async create({ organizationId, rpm, name }) {
      const body = {
        organization_id: organizationId,
        ...(rpm === undefined ? {} : { rpm }),
        ...(name === null ? {} : { name }),
      };
      return createdApiKeyJsonSchema.parse(await client.request('POST', '/admin/keys', { body }));
    },
    async list({ organizationId, includeRevoked }) {
      const answer = await client.request('GET', '/admin/keys', {
        query: {
          organization_id: organizationId,
          include_revoked: includeRevoked ? 'true' : undefined,
        },
      });
      return z.object({ data: z.array(publicApiKeySchema) }).parse(answer).data;
    },
    async revoke(reference) {
      try {
        const answer = await client.request(
          'POST',
          `/admin/keys/${encodeURIComponent(reference)}/revoke`,
        );
        return publicApiKeySchema.parse(answer);
      } catch (error) {
        if (error instanceof GatewayClientError && error.code === 'api_key_not_found') {
          return null;
        }
        throw error;
      }
    },
    close: async () => {},
  };
}
