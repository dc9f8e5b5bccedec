import { z } from 'zod';
import {
  contentEventId,
  emptyEvent,
  isUuid,
  type NormalizedEvent,
  toIsoInstant,
} from './normalized-event.ts';
import { parseJsonBody, WebhookPayloadError } from './webhook-payload-error.ts';

/** Custom args we put on every send (v3 `custom_args`); SendGrid flattens them onto each event. */
const sendGridOutcomeArg = 'rekindle_outcome_id';
const sendGridOrganizationArg = 'rekindle_organization_id';

/**
 * The fields we read, loosely: SendGrid adds fields over time and custom args arrive as top-level keys,
 * so everything else passes through into `raw`.
 */
const sendGridEventSchema = z.looseObject({
  event: z.string().min(1).max(64),
  timestamp: z.union([z.number().nonnegative(), z.string().regex(/^\d+$/)]).optional(),
  sg_event_id: z.string().min(1).max(200).optional(),
  sg_message_id: z.string().min(1).max(500).optional(),
  sg_machine_open: z.boolean().optional(),
});

/**
 * Spellings of SendGrid's event names seen in guides and hand-written test bodies: the seed's
 * deployment guide posts `spam_report` for SendGrid's `spamreport`. Names are read in lower case.
 */
const eventAliases: Readonly<Record<string, string>> = {
  spam_report: 'spamreport',
  'spam-report': 'spamreport',
};

function canonicalSendGridEventName(name: string): string {
  const lower = name.trim().toLowerCase();
  return eventAliases[lower] ?? lower;
}

export interface SendGridParseOptions {
  /**
   * When the request was received (ISO 8601): the time of an event sent without `timestamp`, as the
   * deployment guide's test body is. Without it (a pure parse) such an event is `malformed`.
   */
  readonly receivedAt?: string;
}

/** The body: a JSON array of events (possibly empty). */
const sendGridBodySchema = z.array(z.unknown());

/**
 * Parses and normalizes a SendGrid Event Webhook body. A body that is not a JSON array is a
 * WebhookPayloadError (400). An element that is not a usable event is kept as type `malformed` (no effect,
 * stored for the record) rather than failing the batch: SendGrid would retry the whole batch for a day
 * and the good events in it would be held back with it.
 */
export function parseSendGridWebhook(
  rawBody: Uint8Array | ArrayBuffer | string,
  options: SendGridParseOptions = {},
): NormalizedEvent[] {
  return normalizeSendGridEvents(parseJsonBody(rawBody), options);
}

export function normalizeSendGridEvents(
  body: unknown,
  options: SendGridParseOptions = {},
): NormalizedEvent[] {
  const parsed = sendGridBodySchema.safeParse(body);
  if (!parsed.success) {
    throw new WebhookPayloadError('Invalid webhook body: SendGrid posts a JSON array of events', {
      param: 'body',
      cause: parsed.error,
    });
  }
  return parsed.data.map((element) => normalizeSendGridEvent(element, options));
}

export function normalizeSendGridEvent(
  element: unknown,
  options: SendGridParseOptions = {},
): NormalizedEvent {
  const parsed = sendGridEventSchema.safeParse(element);
  const occurredAt = parsed.success
    ? parsed.data.timestamp === undefined
      ? (options.receivedAt ?? null)
      : toIsoInstant(parsed.data.timestamp)
    : null;
  if (!parsed.success || occurredAt === null) {
    const sgEventId = readString(element, 'sg_event_id');
    return emptyEvent({
      source: 'sendgrid',
      eventId: sgEventId ?? contentEventId(element),
      type: 'malformed',
      occurredAt: null,
      raw: element,
    });
  }
  const event = parsed.data;
  return {
    ...emptyEvent({
      source: 'sendgrid',
      eventId: event.sg_event_id ?? contentEventId(element),
      type: canonicalSendGridEventName(event.event),
      occurredAt,
      raw: element,
    }),
    // `outcome_id` is the seed's name for the custom arg; ours wins when both are there.
    outcomeId:
      customArg(event, sendGridOutcomeArg, isUuid) ?? customArg(event, 'outcome_id', isUuid),
    organizationId: customArg(event, sendGridOrganizationArg, (value) => value.length <= 200),
    sgMessageId: event.sg_message_id ?? null,
    machineOpen: event.sg_machine_open === true,
  };
}

/**
 * `X-Message-Id` from the Mail Send response is the part of the event's `sg_message_id` before
 * `.filter…` / `.recvd…`; outcomes store that shorter form.
 */
export function sendGridMessageIdPrefix(sgMessageId: string): string {
  const match = /\.(filter|recvd)/.exec(sgMessageId);
  return match === null ? sgMessageId : sgMessageId.slice(0, match.index);
}

function readString(value: unknown, key: string): string | null {
  if (value === null || typeof value !== 'object') {
    return null;
  }
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' && field !== '' && field.length <= 200 ? field : null;
}

/**
 * Custom args are flattened to top-level keys; some relays keep them nested under `custom_args` or
 * `unique_args`, so those are read too. Values are strings (unique_args only allow strings).
 */
function customArg(
  event: Record<string, unknown>,
  name: string,
  accept: (value: string) => boolean,
): string | null {
  const candidates = [
    event[name],
    (event.custom_args as Record<string, unknown> | undefined)?.[name],
    (event.unique_args as Record<string, unknown> | undefined)?.[name],
  ];
  for (const candidate of candidates) {
    if (typeof candidate === 'string' && candidate !== '' && accept(candidate)) {
      return candidate;
    }
  }
  return null;
}
