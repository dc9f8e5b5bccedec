import type { Hono } from 'hono';
import { z } from 'zod';
import { GatewayError } from '../../errors/index.ts';
import type { Logger } from '../../metrics/index.ts';
import { type ApiKeysStore, createdApiKeyJson, publicApiKey } from '../../store/index.ts';
import type { GatewayEnv } from '../gateway-dependencies.ts';
import { readJsonBody } from '../read-json-body.ts';
import { zodToInvalidRequest } from '../zod-to-invalid-request.ts';

const createSchema = z
  .object({
    organization_id: z.string().trim().min(1).max(128),
    rpm: z.number().int().positive().optional(),
    name: z.string().max(200).nullable().optional(),
  })
  .strict();

const listQuerySchema = z
  .object({
    organization_id: z.string().min(1).optional(),
    include_revoked: z.enum(['true', 'false']).optional(),
  })
  .strict();

const revokeSchema = z.object({}).strict();

export interface AdminKeysOptions {
  readonly apiKeys: Pick<ApiKeysStore, 'create' | 'list' | 'revoke'>;
  /** The gateway's in-memory keys: reloaded before answering, so a change is in force at once. */
  readonly keys: { refresh(): Promise<void> };
  /** Requests per minute of a key created without `rpm` (the config's rate_limit.default_rpm). */
  readonly defaultRpm: number;
  readonly logger: Logger;
}

/**
 * Tenant API keys over HTTP, behind the admin token like every `/admin` route; `rekindle keys …`
 * uses these when it talks to a running gateway, and prints what they answer.
 *
 *   POST /admin/keys {organization_id, rpm?, name?}  → 201 {key, organization_id, id, rpm_limit, …}
 *   GET  /admin/keys[?organization_id=…][&include_revoked=true] → {object: 'list', data: [...]}
 *   POST /admin/keys/{id or prefix}/revoke           → the revoked key (404 when there is none)
 *
 * The key itself appears once, in the creation's answer; its hash never leaves the store.
 */
export function registerAdminKeys(app: Hono<GatewayEnv>, options: AdminKeysOptions): void {
  const { apiKeys, keys, defaultRpm, logger } = options;
  // The change is stored either way; a failed reload is caught up by NOTIFY or the timer.
  const reload = () =>
    keys.refresh().catch((error: unknown) => {
      logger.warn('api key reload after an admin change failed; the next refresh applies it', {
        error,
      });
    });

  app.post('/admin/keys', async (context) => {
    const body = await readJsonBody(context, createSchema);
    const created = await apiKeys.create({
      organizationId: body.organization_id,
      rpmLimit: body.rpm ?? defaultRpm,
      name: body.name ?? null,
    });
    await reload();
    return context.json(createdApiKeyJson(created), 201);
  });

  app.get('/admin/keys', async (context) => {
    const query = listQuerySchema.safeParse(context.req.query());
    if (!query.success) {
      throw zodToInvalidRequest(query.error);
    }
    const { organization_id: organizationId, include_revoked: includeRevoked } = query.data;
    const rows = await apiKeys.list({
      ...(organizationId ? { organizationId } : {}),
      includeRevoked: includeRevoked === 'true',
    });
    return context.json({ object: 'list', data: rows.map(publicApiKey) });
  });

  app.post('/admin/keys/:id/revoke', async (context) => {
    const reference = context.req.param('id');
    await readJsonBody(context, revokeSchema, {});
    const revoked = await apiKeys.revoke(reference);
    if (!revoked) {
      throw new GatewayError('api_key_not_found', `No API key with id or prefix ${reference}.`);
    }
    await reload();
    return context.json(publicApiKey(revoked));
  });
}
