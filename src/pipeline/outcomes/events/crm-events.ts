import { z } from 'zod';
import {
  contentEventId,
  emptyEvent,
  type NormalizedEvent,
  toIdString,
  toIsoInstant,
} from './normalized-event.ts';
import { isWonStatus } from './outcome-effect.ts';
import { parseJsonBody, WebhookPayloadError } from './webhook-payload-error.ts';

const idSchema = z.union([z.string().trim().min(1).max(200), z.number().int().nonnegative()]);
const instantSchema = z.union([z.string().min(1).max(64), z.number().nonnegative()]);
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Our generic CRM contract: the seed's `{"deal_id":"123","status":"closed","amount":15000}` plus an
 * optional `event` and the keys that find the outcome (`outcome_id`, or `lead_id` / `deal_id`,
 * optionally with the organization; without one they resolve only when they point to exactly one
 * organization — docs/webhooks.md).
 */
const crmEventSchema = z
  .looseObject({
    event: z.string().trim().min(1).max(100).optional(),
    event_id: z.string().trim().min(1).max(200).optional(),
    outcome_id: z
      .string()
      .regex(uuidPattern, 'must be a UUID (the x-rekindle-outcome-id)')
      .optional(),
    lead_id: idSchema.optional(),
    organization_id: z.string().trim().min(1).max(200).optional(),
    deal_id: idSchema.optional(),
    status: z.string().trim().min(1).max(100).optional(),
    amount: z
      .union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?$/, 'must be a number')])
      .nullable()
      .optional(),
    meeting_time: instantSchema.nullable().optional(),
    occurred_at: instantSchema.optional(),
  })
  .refine(
    (event) =>
      event.outcome_id !== undefined || event.lead_id !== undefined || event.deal_id !== undefined,
    { message: 'one of outcome_id, lead_id or deal_id is required', path: ['outcome_id'] },
  )
  .refine((event) => event.meeting_time == null || toIsoInstant(event.meeting_time) !== null, {
    message: 'must be an ISO 8601 date-time or Unix seconds',
    path: ['meeting_time'],
  })
  .refine((event) => event.occurred_at === undefined || toIsoInstant(event.occurred_at) !== null, {
    message: 'must be an ISO 8601 date-time or Unix seconds',
    path: ['occurred_at'],
  });

type CrmEvent = z.infer<typeof crmEventSchema>;

const crmBatchSchema = z.array(crmEventSchema).min(1).max(1000);

export interface CrmWebhookOptions {
  /** `webhook-id` (Standard Webhooks): the idempotency key of the delivery. */
  webhookId?: string | undefined;
  /** `webhook-timestamp` in Unix seconds: the event time when the body has no `occurred_at`. */
  webhookTimestamp?: string | undefined;
  /**
   * The organization the request is bound to (`?organization_id=`); a body naming another one is
   * refused. Optional: the CRM secret is per gateway, so an event may name no organization.
   */
  organizationId?: string | undefined;
  /** Milliseconds since the epoch; the event time of last resort. */
  now?: () => number;
}

/**
 * Parses and validates a CRM webhook body. Unlike SendGrid's, this is our own contract, so any invalid
 * element refuses the whole body with a WebhookPayloadError (400) naming the field.
 */
export function parseCrmWebhook(
  rawBody: Uint8Array | ArrayBuffer | string,
  options: CrmWebhookOptions = {},
): NormalizedEvent[] {
  return normalizeCrmEvents(parseJsonBody(rawBody), options);
}

export function normalizeCrmEvents(
  body: unknown,
  options: CrmWebhookOptions = {},
): NormalizedEvent[] {
  // Parsed with the matching schema (not the union) so an error names the element and field.
  const parsed = Array.isArray(body)
    ? crmBatchSchema.safeParse(body)
    : crmEventSchema.safeParse(body);
  if (!parsed.success) {
    throw WebhookPayloadError.fromZod(parsed.error);
  }
  const isBatch = Array.isArray(parsed.data);
  const events = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
  const rawElements: unknown[] = Array.isArray(body) ? body : [body];
  return events.map((event, index) =>
    normalizeCrmEvent(event, rawElements[index], options, isBatch ? index : null),
  );
}

function normalizeCrmEvent(
  event: CrmEvent,
  raw: unknown,
  options: CrmWebhookOptions,
  batchIndex: number | null,
): NormalizedEvent {
  const param = batchIndex === null ? '' : `${batchIndex}.`;
  const bodyOrganization = event.organization_id ?? null;
  if (
    options.organizationId !== undefined &&
    bodyOrganization !== null &&
    bodyOrganization !== options.organizationId
  ) {
    throw new WebhookPayloadError(
      'organization_id does not match the organization of this endpoint',
      {
        code: 'organization_mismatch',
        param: `${param}organization_id`,
      },
    );
  }
  // Without an organization a deal or lead id is resolved across organizations when it points to
  // exactly one, else kept as unmatched (resolve_webhook_outcome): the secret is per gateway.
  const organizationId = options.organizationId ?? bodyOrganization;
  const status = event.status ?? null;
  const amount = event.amount == null ? null : Number(event.amount);
  const meetingTime = event.meeting_time == null ? null : toIsoInstant(event.meeting_time);
  return {
    ...emptyEvent({
      source: 'crm',
      eventId: eventIdOf(event, raw, options, batchIndex),
      type: typeOf(event, status, meetingTime),
      occurredAt: occurredAtOf(event, options),
      raw,
    }),
    outcomeId: event.outcome_id?.toLowerCase() ?? null,
    organizationId,
    leadId: event.lead_id === undefined ? null : toIdString(event.lead_id),
    dealId: event.deal_id === undefined ? null : toIdString(event.deal_id),
    status,
    amount,
    meetingTime,
  };
}

/** `webhook-id` first (the Standard Webhooks idempotency key), then the body's own id, then a hash. */
function eventIdOf(
  event: CrmEvent,
  raw: unknown,
  options: CrmWebhookOptions,
  batchIndex: number | null,
): string {
  if (options.webhookId !== undefined && options.webhookId !== '') {
    return batchIndex === null ? options.webhookId : `${options.webhookId}#${batchIndex}`;
  }
  return event.event_id ?? contentEventId(raw);
}

/** The seed's generic body has no `event`: a won status closes the deal, a meeting time books one. */
function typeOf(event: CrmEvent, status: string | null, meetingTime: string | null): string {
  if (event.event !== undefined) {
    return event.event;
  }
  if (isWonStatus(status)) {
    return 'deal.closed';
  }
  if (meetingTime !== null) {
    return 'meeting.booked';
  }
  return 'deal.updated';
}

function occurredAtOf(event: CrmEvent, options: CrmWebhookOptions): string {
  const fromBody = event.occurred_at === undefined ? null : toIsoInstant(event.occurred_at);
  const fromHeader =
    options.webhookTimestamp !== undefined && /^\d{1,12}$/.test(options.webhookTimestamp)
      ? toIsoInstant(Number(options.webhookTimestamp))
      : null;
  return fromBody ?? fromHeader ?? new Date((options.now ?? Date.now)()).toISOString();
}
