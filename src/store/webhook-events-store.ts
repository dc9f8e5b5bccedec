import { z } from 'zod';
import { StoreInputError } from './store-errors.ts';
import type { StoreTransport } from './store-transport.ts';

/** Boolean outcome_labels columns a webhook event may set (the SQL merge knows exactly these). */
export const webhookEffectFlags = [
  'delivered',
  'opened',
  'clicked',
  'bounced',
  'spam_reported',
  'unsubscribed',
  'meeting_booked',
  'deal_closed',
] as const;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const instant = z.iso.datetime({ offset: true });

/**
 * One event as `ingest_webhook_events` takes it. The pipeline maps its normalized events to this
 * (src/pipeline/outcomes/events: toWebhookEventInput); the effect is computed there, SQL only merges.
 */
const webhookEventInputSchema = z.object({
  event_id: z.string().min(1).max(500),
  event_type: z.string().min(1).max(100),
  /** Null only for a malformed element kept for the record (it has no effect). */
  occurred_at: instant.nullable(),
  organization_id: z.string().min(1).max(200).nullable(),
  outcome_id: z.string().regex(uuidPattern).nullable(),
  /** SendGrid message ids to match outcome_labels.sg_message_id (full and X-Message-Id form). */
  sg_message_ids: z.array(z.string().min(1).max(500)).max(4),
  lead_id: z.string().min(1).max(200).nullable(),
  deal_id: z.string().min(1).max(200).nullable(),
  effect: z.object({
    flags: z.array(z.enum(webhookEffectFlags)),
    meeting_time: instant.nullable(),
    deal_value: z.number().finite().nonnegative().nullable(),
    deal_id: z.string().min(1).max(200).nullable(),
    /** ISO 4217 code of deal_value when the CRM sent one; stored with the event only. */
    deal_currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .optional(),
  }),
  payload: z.unknown(),
});

export type WebhookEventInput = z.input<typeof webhookEventInputSchema>;

const countsSchema = z.object({
  received: z.number(),
  applied: z.number(),
  duplicates: z.number(),
  unmatched: z.number(),
  ignored: z.number(),
});

/**
 * Outcomes that newly reached a stage (an outcome_labels flag going false → true: `delivered`,
 * `opened`, `clicked`, `bounced`, `spam_reported`, `unsubscribed`, `meeting_booked`,
 * `deal_closed`), per route and model version. Each outcome reaches each stage once, however many
 * opens or clicks arrive, so these counts divide by messages sent into rates.
 */
const stagesByVersionSchema = z.array(
  z.object({
    route: z.string().nullable(),
    model_version: z.string().nullable(),
    stage: z.string(),
    count: z.number(),
  }),
);

const ingestResultSchema = countsSchema.extend({
  by_type: z.record(z.string(), countsSchema),
  /** Applied events per (route, model_version, event type). */
  applied_by_version: z.array(
    z.object({
      route: z.string().nullable(),
      model_version: z.string().nullable(),
      event_type: z.string(),
      count: z.number(),
    }),
  ),
  /** Stages newly reached, for rekindle_outcomes_total{route,model_version,event}. */
  stages_by_version: stagesByVersionSchema,
});

export type WebhookIngestResult = z.infer<typeof ingestResultSchema>;

const reconcileResultSchema = z.object({
  examined: z.number(),
  reconciled: z.number(),
  still_unmatched: z.number(),
  stages_by_version: stagesByVersionSchema,
});

export type WebhookReconcileResult = z.infer<typeof reconcileResultSchema>;

const emptyResult: WebhookIngestResult = {
  received: 0,
  applied: 0,
  duplicates: 0,
  unmatched: 0,
  ignored: 0,
  by_type: {},
  applied_by_version: [],
  stages_by_version: [],
};

/**
 * webhook_events through the store functions of supabase/migrations/…000600_webhooks.sql.
 * `ingest` is one SQL call, so one transaction: when it resolves, every event of the request is
 * durably stored and its effect applied (answer the provider 2xx only then); when it rejects, nothing
 * of the request was written and the provider's retry starts over cleanly.
 */
export class WebhookEventsStore {
  readonly #transport: StoreTransport;

  constructor(transport: StoreTransport) {
    this.#transport = transport;
  }

  async ingest(
    source: 'sendgrid' | 'crm' | 'hubspot' | (string & {}),
    events: readonly WebhookEventInput[],
  ): Promise<WebhookIngestResult> {
    if (events.length === 0) {
      return emptyResult;
    }
    const parsed = z.array(webhookEventInputSchema).safeParse(events);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue?.path.map(String).join('.') || null;
      throw new StoreInputError(`${path ?? 'events'}: ${issue?.message ?? 'invalid event'}`, path);
    }
    return ingestResultSchema.parse(
      await this.#transport.rpc('ingest_webhook_events', {
        p_source: source,
        p_events: parsed.data,
      }),
    );
  }

  /**
   * Applies kept 'unmatched' events whose outcome can now be found (by outcome id, SendGrid message
   * id, deal or lead). Run it periodically; rows another sweep holds are skipped, never waited on.
   */
  async reconcileUnmatched(options: { limit?: number } = {}): Promise<WebhookReconcileResult> {
    return reconcileResultSchema.parse(
      await this.#transport.rpc('reconcile_webhook_events', { p_limit: options.limit ?? 1000 }),
    );
  }
}
