import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { GatewayConfig } from '../../config/index.ts';
import { GatewayError } from '../../errors/index.ts';
import {
  exportOutcomesToFiles,
  exportStatsHeader,
  type TrainingOrchestrator,
} from '../../pipeline/index.ts';
import { type OutcomesStore, trainingRunStatuses } from '../../store/index.ts';
import type { GatewayEnv } from '../gateway-dependencies.ts';
import { readJsonBody } from '../read-json-body.ts';

const provider = z.enum(['openai', 'together']);

const exportSchema = z
  .object({
    organization_id: z.string().min(1).nullable().optional(),
    min_quality_score: z.number().min(0).max(1).optional(),
    limit: z.number().int().positive().nullable().optional(),
    format: provider.optional(),
    keep_pii: z.boolean().optional(),
    min_examples: z.number().int().nonnegative().optional(),
  })
  .strict();

const runSchema = z
  .object({
    provider,
    model_version: z.string().min(1).max(64).nullable().optional(),
    min_quality_score: z.number().min(0).max(1).optional(),
    deploy_immediately: z.boolean().optional(),
    ab_test_traffic: z.number().gt(0).max(100).nullable().optional(),
    organization_id: z.string().min(1).nullable().optional(),
    route: z.string().min(1).optional(),
    hyperparameters: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
  })
  .strict();

const cancelSchema = z.object({ reason: z.string().max(500).optional() }).strict();

/**
 * The training pipeline over HTTP (`rekindle export` / `rekindle train` use it when
 * REKINDLE_GATEWAY_URL is set): export, start a cycle, list, show and cancel runs.
 */
export function registerAdminTraining(
  app: Hono<GatewayEnv>,
  options: {
    training: TrainingOrchestrator;
    outcomes: Pick<OutcomesStore, 'exportTrainingReady'>;
    config: GatewayConfig;
  },
): void {
  const { training, outcomes, config } = options;
  const actor = (context: Context<GatewayEnv>) =>
    context.req.header('x-rekindle-actor') ?? 'admin-api';

  /**
   * The JSONL is written to a temp file first and then streamed: the stats (and the minimum
   * examples check, a 422 in the error envelope) can then come before the body, in a header,
   * while memory stays flat. The file is removed once sent or when the client goes away.
   */
  app.post('/admin/training/export', async (context) => {
    const body = await readJsonBody(context, exportSchema, {});
    const directory = await mkdtemp(join(tmpdir(), 'rekindle-export-'));
    const path = join(directory, 'export.jsonl');
    const cleanup = () => rm(directory, { recursive: true, force: true });
    try {
      const stats = await exportOutcomesToFiles(
        outcomes,
        config.training,
        { trainPath: path },
        {
          format: body.format ?? 'openai',
          organizationId: body.organization_id ?? null,
          ...(body.min_quality_score === undefined
            ? {}
            : { minQualityScore: body.min_quality_score }),
          limit: body.limit ?? null,
          keepPii: body.keep_pii ?? false,
          ...(body.min_examples === undefined ? {} : { minExamples: body.min_examples }),
          validationFraction: 0,
        },
      );
      const file = createReadStream(path);
      file.once('close', () => {
        void cleanup();
      });
      return context.body(Readable.toWeb(file) as ReadableStream<Uint8Array>, 200, {
        'content-type': 'application/jsonl',
        [exportStatsHeader]: JSON.stringify(stats),
        'x-rekindle-export-examples': String(stats.written.total),
      });
    } catch (error) {
      await cleanup();
      throw error;
    }
  });

  app.post('/admin/training/runs', async (context) => {
    const body = await readJsonBody(context, runSchema);
    const { run } = await training.runTrainingCycle({
      provider: body.provider,
      modelVersion: body.model_version ?? null,
      ...(body.min_quality_score === undefined ? {} : { minQualityScore: body.min_quality_score }),
      deployImmediately: body.deploy_immediately ?? false,
      abTestTraffic: body.ab_test_traffic ?? null,
      organizationId: body.organization_id ?? null,
      ...(body.route ? { route: body.route } : {}),
      hyperparameters: body.hyperparameters ?? {},
      triggeredBy: actor(context),
    });
    return context.json(run, 201);
  });

  app.get('/admin/training/runs', async (context) => {
    const status = context.req.query('status');
    if (
      status &&
      status !== 'active' &&
      !(trainingRunStatuses as readonly string[]).includes(status)
    ) {
      throw new GatewayError(
        'invalid_value',
        `status must be one of active, ${trainingRunStatuses.join(', ')}`,
        { param: 'status' },
      );
    }
    const limitText = context.req.query('limit');
    const limit = limitText === undefined ? 50 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new GatewayError('invalid_value', 'limit must be a whole number from 1 to 1000', {
        param: 'limit',
      });
    }
    const route = context.req.query('route');
    const organizationId = context.req.query('organization_id');
    const data = await training.list({
      ...(status ? { status: status as (typeof trainingRunStatuses)[number] | 'active' } : {}),
      ...(route ? { route } : {}),
      ...(organizationId ? { organizationId } : {}),
      limit,
    });
    return context.json({
      object: 'list',
      data,
      schedule: config.training.schedule
        ? {
            cron: config.training.schedule,
            next_run: training.nextScheduledRun?.toISOString() ?? null,
          }
        : null,
    });
  });

  app.get('/admin/training/runs/:id', async (context) =>
    context.json(await training.get(context.req.param('id'))),
  );

  app.post('/admin/training/runs/:id/cancel', async (context) => {
    const body = await readJsonBody(context, cancelSchema, {});
    const run = await training.cancel(context.req.param('id'), {
      actor: actor(context),
      reason: body.reason ?? null,
    });
    return context.json(run);
  });
}
