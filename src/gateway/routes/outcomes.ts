import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { GatewayError } from '../../errors/index.ts';
import type { GatewayMetrics } from '../../metrics/index.ts';
import type { OutcomeTracker } from '../../pipeline/index.ts';
import {
  dealSchema,
  meetingSchema,
  messageSentSchema,
  type OutcomeRecord,
  replySchema,
} from '../../store/index.ts';
import type { GatewayEnv } from '../gateway-dependencies.ts';
import { readJsonBody } from '../read-json-body.ts';

/**
 * A body may name its organization (the seed's clients send `organization_id`); the key decides
 * which one it is, so a different one is refused — as the CRM webhook refuses it — rather than
 * dropped without a word, which would file the message under another organization than the
 * client believes.
 */
const organizationField = z.object({ organization_id: z.string().max(256).nullish() });

async function readTrackingBody<T extends z.ZodObject>(
  context: Context<GatewayEnv>,
  schema: T,
): Promise<z.output<T>> {
  const body = await readJsonBody(context, schema.extend(organizationField.shape));
  const keyOrganization = context.get('tenant').organizationId;
  const named = body.organization_id;
  if (named !== undefined && named !== null && named !== keyOrganization) {
    throw new GatewayError(
      'organization_mismatch',
      `The body's organization_id (${named}) is not the organization of this API key (${keyOrganization}); leave it out or send the key's own.`,
      { param: 'organization_id' },
    );
  }
  const { organization_id: _organization, ...rest } = body;
  return rest as z.output<T>;
}

/**
 * The tracking API (the seed's OutcomeTracker over HTTP). The organization comes from the key;
 * an outcome of another organization is simply not found.
 */
export function registerOutcomes(
  app: Hono<GatewayEnv>,
  options: { tracker: OutcomeTracker; metrics: GatewayMetrics },
): void {
  const { tracker, metrics } = options;
  const scoped = (organizationId: string) => tracker.forOrganization(organizationId);
  const notFound = (id: string) =>
    new GatewayError('outcome_not_found', `No outcome ${id} in this organization.`);

  /**
   * Records a stage and counts it in rekindle_outcomes_total only when the outcome reaches it now:
   * the dashboards divide these counts by messages sent, so a second reply to the same message must
   * not count twice (webhooks count their stages the same way).
   */
  const recordStage = async (
    scope: OutcomeTracker,
    id: string,
    stage: 'replied' | 'meeting_booked' | 'deal_closed',
    update: () => Promise<OutcomeRecord | null>,
  ) => {
    const before = await scope.getOutcome(id);
    if (!before) {
      throw notFound(id);
    }
    const record = await update();
    if (!record) {
      throw notFound(id);
    }
    if (!before[stage] && record[stage]) {
      metrics.outcomesTotal.inc({
        route: record.route ?? 'direct',
        model_version: record.model_version ?? 'unknown',
        event: stage,
      });
    }
    return record;
  };

  app.post('/v1/outcomes', async (context) => {
    const body = await readTrackingBody(context, messageSentSchema);
    const outcomeId = await scoped(context.get('tenant').organizationId).trackMessage(body);
    metrics.messagesSentTotal.inc({
      route: body.route ?? 'external',
      model_version: body.model_version ?? body.model_id ?? 'unknown',
    });
    return context.json({ outcome_id: outcomeId });
  });

  app.get('/v1/outcomes/:id', async (context) => {
    const id = context.req.param('id');
    const record = await scoped(context.get('tenant').organizationId).getOutcome(id);
    if (!record) {
      throw notFound(id);
    }
    return context.json(record);
  });

  app.post('/v1/outcomes/:id/reply', async (context) => {
    const id = context.req.param('id');
    const body = await readTrackingBody(context, replySchema);
    const scope = scoped(context.get('tenant').organizationId);
    return context.json(await recordStage(scope, id, 'replied', () => scope.recordReply(id, body)));
  });

  app.post('/v1/outcomes/:id/meeting', async (context) => {
    const id = context.req.param('id');
    const body = await readTrackingBody(context, meetingSchema);
    const scope = scoped(context.get('tenant').organizationId);
    return context.json(
      await recordStage(scope, id, 'meeting_booked', () => scope.recordMeeting(id, body)),
    );
  });

  app.post('/v1/outcomes/:id/deal', async (context) => {
    const id = context.req.param('id');
    const body = await readTrackingBody(context, dealSchema);
    const scope = scoped(context.get('tenant').organizationId);
    return context.json(
      await recordStage(scope, id, 'deal_closed', () => scope.recordDeal(id, body)),
    );
  });
}
