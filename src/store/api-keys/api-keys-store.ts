import { z } from 'zod';
import { StoreError, StoreInputError } from '../store-errors.ts';
import type { StoreTransport } from '../store-transport.ts';
import { generateApiKey } from './api-key-material.ts';

const apiKeyRecordSchema = z
  .object({
    id: z.string(),
    organization_id: z.string(),
    name: z.string().nullable(),
    key_prefix: z.string(),
    rpm_limit: z.number().int().nullable(),
    created_at: z.string(),
    revoked_at: z.string().nullable(),
    last_used_at: z.string().nullable(),
  })
  .loose();

export type ApiKeyRecord = z.infer<typeof apiKeyRecordSchema>;

const activeApiKeySchema = z.object({
  id: z.string(),
  organization_id: z.string(),
  key_hash: z.string(),
  rpm_limit: z.number().int().nullable(),
});

export type ActiveApiKey = z.infer<typeof activeApiKeySchema>;

const activeKeysSchema = z.object({
  keys: z.array(activeApiKeySchema),
  revoked_count: z.number().int(),
});

export interface CreateApiKeyInput {
  organizationId: string;
  /** Requests per minute for this key; null = the organization default from the config. */
  rpmLimit?: number | null;
  name?: string | null;
}

export interface CreatedApiKey {
  /** The key itself: shown once, never stored. */
  readonly key: string;
  readonly record: ApiKeyRecord;
}

/** api_keys: create (the key is generated here, only its hash is sent), list, revoke. */
export class ApiKeysStore {
  readonly #transport: StoreTransport;

  constructor(transport: StoreTransport) {
    this.#transport = transport;
  }

  async create(input: CreateApiKeyInput): Promise<CreatedApiKey> {
    const organizationId = input.organizationId.trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/.test(organizationId)) {
      throw new StoreInputError(
        'organization id must be 1-128 characters: letters, digits, _ . : -',
        'organization_id',
      );
    }
    const rpmLimit = input.rpmLimit ?? null;
    if (rpmLimit !== null && (!Number.isInteger(rpmLimit) || rpmLimit <= 0)) {
      throw new StoreInputError('rpm limit must be a positive integer', 'rpm_limit');
    }
    const material = generateApiKey();
    const row = await this.#transport.rpc('create_api_key', {
      p_organization_id: organizationId,
      p_key_hash: material.hash,
      p_key_prefix: material.prefix,
      p_name: input.name ?? null,
      p_rpm_limit: rpmLimit,
    });
    return { key: material.key, record: apiKeyRecordSchema.parse(row) };
  }

  async list(options: { organizationId?: string; includeRevoked?: boolean } = {}) {
    const rows = await this.#transport.rpc('list_api_keys', {
      p_organization_id: options.organizationId ?? null,
      p_include_revoked: options.includeRevoked ?? false,
    });
    return z.array(apiKeyRecordSchema).parse(rows);
  }

  /**
   * By id or printed prefix; null when no such key. Revoking twice keeps the first time. A prefix
   * shared by several keys is refused (StoreInputError): revoke by id.
   */
  async revoke(idOrPrefix: string, options: { organizationId?: string } = {}) {
    let row: unknown;
    try {
      row = await this.#transport.rpc('revoke_api_key', {
        p_key: idOrPrefix.trim(),
        p_organization_id: options.organizationId ?? null,
      });
    } catch (error) {
      if (error instanceof StoreError && error.sqlState === '21000') {
        throw new StoreInputError(
          `key prefix ${idOrPrefix.trim()} matches several keys; revoke by id`,
          'id',
        );
      }
      throw error;
    }
    return row === null ? null : apiKeyRecordSchema.parse(row);
  }

  /** Live keys with their hashes, for the in-memory cache, and how many were revoked. */
  async listActive(): Promise<{ keys: ActiveApiKey[]; revokedCount: number }> {
    const result = activeKeysSchema.parse(await this.#transport.rpc('list_active_api_keys'));
    return { keys: result.keys, revokedCount: result.revoked_count };
  }

  async markUsed(ids: readonly string[], usedAt?: Date): Promise<number> {
    if (ids.length === 0) {
      return 0;
    }
    const result = await this.#transport.rpc<{ updated: number }>('mark_api_keys_used', {
      p_ids: ids,
      p_used_at: usedAt ?? null,
    });
    return result.updated;
  }
}
