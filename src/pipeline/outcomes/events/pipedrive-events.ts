import { z } from 'zod';
import {
  contentEventId,
  currencyField,
  emptyEvent,
  isUuid,
  type NormalizedEvent,
  toIdString,
  toIsoInstant,
} from './normalized-event.ts';
import { customFieldText } from './pipedrive-custom-fields.ts';
import { parseJsonBody, WebhookPayloadError } from './webhook-payload-error.ts';

const idSchema = z.union([z.string().trim().min(1).max(200), z.number().int().nonnegative()]);
const objectSchema = z.record(z.string(), z.unknown());
const v2Only = 'must be "2.0" (create the Pipedrive webhook with version 2.0)';

/** The parts of a Pipedrive webhooks v2 body we read; the rest passes through into `raw`. */
const pipedriveWebhookSchema = z.looseObject({
  meta: z.looseObject({
    // Optional (a v1 body is refused before this schema): hand-built senders often leave it out.
    version: z
      .string()
      .regex(/^2(\.\d+)*$/, v2Only)
      .optional(),
    action: z.string().min(1).max(50),
    entity: z.string().min(1).max(50),
    entity_id: idSchema.optional(),
    id: idSchema.optional(),
    company_id: idSchema.optional(),
    timestamp: z
      .union([z.string().min(1).max(64), z.number().nonnegative()])
      .refine((value) => toIsoInstant(value) !== null, 'must be Unix seconds or ISO 8601'),
  }),
  data: objectSchema.nullable(),
  previous: objectSchema.nullable().optional(),
});

const amountSchema = z.union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?$/)]);

const dealSchema = z.looseObject({
  id: idSchema.optional(),
  status: z.string().max(50).nullable().optional(),
  value: amountSchema.nullable().optional(),
  currency: z.string().max(10).nullable().optional(),
  custom_fields: objectSchema.nullable().optional(),
});

const activitySchema = z.looseObject({
  id: idSchema.optional(),
  type: z.string().max(100).nullable().optional(),
  due_date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable()
    .optional(),
  due_time: z
    .string()
    .regex(/^(\d{2}:\d{2}(:\d{2})?)?$/)
    .nullable()
    .optional(),
  deal_id: idSchema.nullable().optional(),
  custom_fields: objectSchema.nullable().optional(),
});

type PipedriveWebhook = z.infer<typeof pipedriveWebhookSchema>;

export interface PipedriveWebhookOptions {
  /** `?organization_id=` of the request; Pipedrive's body names only its own company. */
  organizationId?: string | undefined;
  /** Key (the 40-character hash Pipedrive gives a custom field) of the field with the outcome id. */
  outcomeField?: string | undefined;
  /** Key of the custom field with the lead id (the `lead_id` the message was tracked with). */
  leadField?: string | undefined;
  /** Activity types that are meetings (Pipedrive's key `type`); default `meeting`. */
  meetingTypes?: readonly string[];
}

/**
 * Parses one Pipedrive webhooks v2 delivery (`{meta, data, previous}`) into one normalized event.
 * Not JSON, not v2, or without the meta fields → WebhookPayloadError (400): Pipedrive retries a
 * failed delivery three times and then drops it, which is right for a body that will never parse.
 */
export function parsePipedriveWebhook(
  rawBody: Uint8Array | ArrayBuffer | string,
  options: PipedriveWebhookOptions = {},
): NormalizedEvent {
  const body = parseJsonBody(rawBody);
  refuseWebhooksV1(body);
  const parsed = pipedriveWebhookSchema.safeParse(body);
  if (!parsed.success) {
    throw WebhookPayloadError.fromZod(parsed.error);
  }
  return normalizePipedriveWebhook(parsed.data, options);
}

function normalizePipedriveWebhook(
  body: PipedriveWebhook,
  options: PipedriveWebhookOptions = {},
): NormalizedEvent {
  const { meta } = body;
  const base = {
    ...emptyEvent({
      source: 'pipedrive',
      eventId: pipedriveEventId(body),
      type: `${meta.entity}.${meta.action}`,
      occurredAt: toIsoInstant(meta.timestamp),
      // Entities we do not read (persons, organizations…) are kept without their data: no PII.
      raw: meta.entity === 'deal' || meta.entity === 'activity' ? body : { meta },
    }),
    organizationId: options.organizationId ?? null,
  };
  if (meta.entity === 'deal') {
    return { ...base, ...dealFields(body, options) };
  }
  if (meta.entity === 'activity') {
    return { ...base, ...activityFields(body, options) };
  }
  return base;
}

/**
 * Pipedrive's dedupe key: the event id within the company. `meta.attempt` changes on retries, so
 * a body without `meta.id` is keyed by its content without it.
 */
function pipedriveEventId(body: PipedriveWebhook): string {
  const id = toIdString(body.meta.id);
  const company = toIdString(body.meta.company_id);
  if (id === null) {
    return contentEventId({ ...body, meta: { ...body.meta, attempt: undefined } });
  }
  return company === null ? id : `${company}:${id}`;
}

/** A webhooks v1 body (`meta.v`, `current`, `event`) reads differently: say so instead of guessing. */
function refuseWebhooksV1(body: unknown): void {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return;
  }
  const meta = (body as { meta?: unknown }).meta;
  const v1 =
    'current' in body ||
    (meta !== null && typeof meta === 'object' && 'v' in meta && !('version' in meta));
  if (v1) {
    throw new WebhookPayloadError(`Invalid webhook body: meta.version: ${v2Only}`, {
      param: 'meta.version',
    });
  }
}

type EventFields = Partial<
  Pick<
    NormalizedEvent,
    'type' | 'outcomeId' | 'leadId' | 'dealId' | 'status' | 'amount' | 'currency' | 'meetingTime'
  >
>;

function parseData<T extends z.ZodType>(schema: T, data: unknown, path: string): z.infer<T> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw WebhookPayloadError.fromZod(parsed.error, path);
  }
  return parsed.data;
}

/** The outcome and lead carried by custom fields (`data.custom_fields[<key>]`). */
function links(
  customFields: Record<string, unknown> | null | undefined,
  options: PipedriveWebhookOptions,
): EventFields {
  const outcome = customFieldText(customFields, options.outcomeField);
  return {
    outcomeId: isUuid(outcome) ? outcome.toLowerCase() : null,
    leadId: customFieldText(customFields, options.leadField),
  };
}

function dealFields(body: PipedriveWebhook, options: PipedriveWebhookOptions): EventFields {
  const { meta } = body;
  // `previous` holds only the fields that changed (the last state on delete).
  const previous = body.previous ?? null;
  const dealId = toIdString(meta.entity_id) ?? toIdString(previous?.id);
  if (body.data === null || meta.action === 'delete') {
    return { dealId };
  }
  const deal = parseData(dealSchema, body.data, 'data');
  const status = deal.status?.toLowerCase() ?? null;
  const closed = status === 'won' || status === 'lost';
  // Closed when the status turned won/lost now (or the deal was created closed); an edit of a deal
  // closed long ago is an update (same effect, but it is not the moment it closed).
  const closing =
    closed && (meta.action === 'create' || (previous !== null && 'status' in previous));
  let type = meta.action === 'create' ? 'deal.created' : 'deal.updated';
  if (closing) {
    type = 'deal.closed';
  }
  return {
    type,
    ...links(deal.custom_fields, options),
    dealId: toIdString(deal.id) ?? dealId,
    status,
    amount: finiteOrNull(deal.value),
    ...currencyField(deal.currency),
  };
}

function activityFields(body: PipedriveWebhook, options: PipedriveWebhookOptions): EventFields {
  if (body.data === null || body.meta.action === 'delete') {
    return {};
  }
  const activity = parseData(activitySchema, body.data, 'data');
  const meetingTypes = new Set(
    (options.meetingTypes ?? ['meeting']).map((type) => type.toLowerCase()),
  );
  if (!meetingTypes.has(activity.type?.toLowerCase() ?? '')) {
    return {};
  }
  return {
    type: 'meeting.booked',
    ...links(activity.custom_fields, options),
    dealId: toIdString(activity.deal_id),
    meetingTime: meetingTimeOf(activity.due_date, activity.due_time),
  };
}

function finiteOrNull(value: number | string | null | undefined): number | null {
  const amount = value == null ? null : Number(value);
  return amount !== null && Number.isFinite(amount) ? amount : null;
}

/** Pipedrive's `due_date` and `due_time` (UTC, `HH:MM`); a meeting without a time starts at 00:00Z. */
function meetingTimeOf(
  dueDate: string | null | undefined,
  dueTime: string | null | undefined,
): string | null {
  if (!dueDate) {
    return null;
  }
  const time = dueTime ? (dueTime.length === 5 ? `${dueTime}:00` : dueTime) : '00:00:00';
  return toIsoInstant(`${dueDate}T${time}Z`);
}
