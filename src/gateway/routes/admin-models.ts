import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { GatewayError } from '../../errors/index.ts';
import type { RegistryService } from '../../pipeline/index.ts';
import { type ChatRouter, withoutProviderPrefix } from '../../router/index.ts';
import type { GatewayEnv } from '../gateway-dependencies.ts';
import { readJsonBody } from '../read-json-body.ts';

const registerSchema = z
  .object({
    route: z.string().min(1).optional(),
    model_id: z.string().min(1),
    provider: z.string().min(1).optional(),
    model_version: z.string().min(1),
    base_model: z.string().nullable().optional(),
    training_run_id: z.string().uuid().nullable().optional(),
    training_stats: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

const deploySchema = z
  .object({
    route: z.string().min(1).optional(),
    traffic_percentage: z.number().gt(0).max(100),
    ab_test_group: z.string().min(1).nullable().optional(),
  })
  .strict();

const changeSchema = z
  .object({ route: z.string().min(1).optional(), reason: z.string().optional() })
  .strict();

const baselineSchema = z
  .object({
    model_version: z.string().min(1).optional(),
    model_id: z.string().min(1).optional(),
    reason: z.string().optional(),
  })
  .strict()
  .refine((body) => body.model_version ?? body.model_id, 'give model_version or model_id');

/** Registry operations over HTTP (`rekindle models …` uses the same service). */
export function registerAdminModels(
  app: Hono<GatewayEnv>,
  options: { registry: RegistryService; router: ChatRouter; defaultRoute: string },
): void {
  const { registry, router, defaultRoute } = options;
  const actor = (context: Context<GatewayEnv>) =>
    context.req.header('x-rekindle-actor') ?? 'admin-api';

  /** A model reference (registry id, model version or model id) → its row, if loaded. */
  const rowOf = (ref: string) => {
    const rows = registry.current();
    return (
      rows.find((row) => row.id === ref || row.model_version === ref || row.model_id === ref) ??
      // `provider/model`, as registered, names the row stored as `model` on `provider`.
      rows.find((row) => `${row.provider}/${row.model_id}` === ref)
    );
  };
  /** The reference the store understands: the row's id when it was named `provider/model`. */
  const storeRef = (ref: string): string => {
    const row = rowOf(ref);
    return row !== undefined && `${row.provider}/${row.model_id}` === ref ? row.id : ref;
  };
  const routeOf = (ref: string, explicit: string | undefined): string =>
    explicit || (rowOf(ref)?.route ?? defaultRoute);

  app.get('/admin/models', async (context) => {
    const route = context.req.query('route');
    return context.json({ object: 'list', data: await registry.list(route) });
  });

  app.post('/admin/models', async (context) => {
    const body = await readJsonBody(context, registerSchema);
    const provider = body.provider ?? router.resolveTarget(body.model_id)?.provider;
    if (!provider) {
      throw new GatewayError(
        'invalid_value',
        `Cannot tell the provider of \`${body.model_id}\`; give \`provider\`.`,
        { param: 'provider' },
      );
    }
    // `sandbox/outreach-v2` is model `outreach-v2` on provider `sandbox`: stored without the
    // prefix, so it is not reported as `sandbox/sandbox/…` nor sent upstream with it.
    const row = await registry.register({
      route: body.route ?? defaultRoute,
      model_id: withoutProviderPrefix(body.model_id, provider),
      provider,
      model_version: body.model_version,
      base_model: body.base_model ?? null,
      training_run_id: body.training_run_id ?? null,
      training_stats: body.training_stats ?? {},
      actor: actor(context),
    });
    return context.json(row, 201);
  });

  app.post('/admin/models/:ref/deploy', async (context) => {
    const ref = context.req.param('ref');
    const body = await readJsonBody(context, deploySchema);
    const row = await registry.deploy(
      routeOf(ref, body.route),
      storeRef(ref),
      body.traffic_percentage,
      body.ab_test_group ?? null,
      { actor: actor(context) },
    );
    return context.json(row);
  });

  for (const action of ['promote', 'deprecate', 'rollback'] as const) {
    app.post(`/admin/models/:ref/${action}`, async (context) => {
      const ref = storeRef(context.req.param('ref'));
      const body = await readJsonBody(context, changeSchema, {});
      const route = routeOf(ref, body.route);
      const change = { actor: actor(context), reason: body.reason ?? null };
      const row =
        action === 'promote'
          ? await registry.promote(route, ref, change)
          : action === 'deprecate'
            ? await registry.deprecate(route, ref, change)
            : await registry.rollback(route, ref, change);
      return context.json(row);
    });
  }

  app.post('/admin/routes/:route/rollback', async (context) => {
    const body = await readJsonBody(context, changeSchema, {});
    const row = await registry.rollback(context.req.param('route'), null, {
      actor: actor(context),
      reason: body.reason ?? null,
    });
    return context.json(row);
  });

  app.put('/admin/routes/:route/baseline', async (context) => {
    const route = context.req.param('route');
    const body = await readJsonBody(context, baselineSchema);
    const ref = body.model_version ?? body.model_id;
    if (!ref) {
      throw new GatewayError('not_found', 'No model given.');
    }
    return context.json(
      await registry.setBaseline(route, storeRef(ref), {
        actor: actor(context),
        reason: body.reason ?? null,
      }),
    );
  });

  app.get('/admin/router/report', (context) => {
    const now = Date.now();
    return context.json({
      object: 'list',
      data: router.performance.report(),
      circuit_breakers: router.breakers.snapshot(now),
    });
  });
}
