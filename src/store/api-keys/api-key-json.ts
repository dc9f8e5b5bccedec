import { z } from 'zod';
import type { ApiKeyRecord, CreatedApiKey } from './api-keys-store.ts';

/**
 * The JSON shapes of API keys outside the store, one definition for every place that prints or
 * sends them: `rekindle keys … --json` (store-direct or through a gateway) and `/admin/keys`.
 * Never the hash; the key itself only in the answer to its creation.
 */
export const publicApiKeySchema = z.object({
  id: z.string(),
  organization_id: z.string(),
  name: z.string().nullable(),
  prefix: z.string(),
  rpm_limit: z.number().int().nullable(),
  created_at: z.string(),
  revoked_at: z.string().nullable(),
  last_used_at: z.string().nullable(),
});

export type PublicApiKey = z.infer<typeof publicApiKeySchema>;

/** The answer to a creation: the key, shown once, with what identifies it later. */
export const createdApiKeyJsonSchema = z.object({
  key: z.string(),
  organization_id: z.string(),
  id: z.string(),
  rpm_limit: z.number().int().nullable(),
  prefix: z.string(),
  name: z.string().nullable(),
  created_at: z.string(),
});

export type CreatedApiKeyJson = z.infer<typeof createdApiKeyJsonSchema>;

export function publicApiKey(record: ApiKeyRecord): PublicApiKey {
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

export function createdApiKeyJson({ key, record }: CreatedApiKey): CreatedApiKeyJson {
  return {
    key,
    organization_id: record.organization_id,
    id: record.id,
    rpm_limit: record.rpm_limit,
    prefix: record.key_prefix,
    name: record.name,
    created_at: record.created_at,
  };
}
