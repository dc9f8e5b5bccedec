import type { Hono } from 'hono';
import type { GatewayMetrics } from '../../metrics/index.ts';
import type { OutcomeTracker } from '../../pipeline/outcomes/outcome-tracker.ts';
import {
  dealSchema,
  meetingSchema,
  messageSentSchema,
  type OutcomeRecord,
  replySchema,
} from '../../store/index.ts';
import { NotFoundError } from '../errors.ts';
import type { GatewayEnv } from '../gateway-dependencies.ts';
import { readJsonBody } from '../read-json-body.ts';

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
  const counted = (record: OutcomeRecord | null, event: string, id: string) => {
    if (!record) {
      throw new NotFoundError(`No outcome ${id} in this organization.`, 'outcome_not_found');
    }
    metrics.outcomesTotal.inc({
      route: record.route ?? 'direct',
      model_version: record.model_version ?? 'unknown',
      event,
    });
    return record;
  };

  app.post('/v1/outcomes', async (context) => {
    const body = await readJsonBody(context, messageSentSchema);
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
      throw new NotFoundError(`No outcome ${id} in this organization.`, 'outcome_not_found');
    }
    return context.json(record);
  });

  app.post('/v1/outcomes/:id/reply', async (context) => {
    const id = context.req.param('id');
    const body = await readJsonBody(context, replySchema);
    const record = await scoped(context.get('tenant').organizationId).recordReply(id, body);
    return context.json(counted(record, 'replied', id));
  });

  app.post('/v1/outcomes/:id/meeting', async (context) => {
    const id = context.req.param('id');
    const body = await readJsonBody(context, meetingSchema);
    const record = await scoped(context.get('tenant').organizationId).recordMeeting(id, body);
    return context.json(counted(record, 'meeting_booked', id));
  });

  app.post('/v1/outcomes/:id/deal', async (context) => {
    const id = context.req.param('id');
    const body = await readJsonBody(context, dealSchema);
    const record = await scoped(context.get('tenant').organizationId).recordDeal(id, body);
    return context.json(counted(record, 'deal_closed', id));
  });
}
