import { z } from 'zod';
import {
  contentEventId,
  emptyEvent,
  type NormalizedEvent,
  toIdString,
  toIsoInstant,
} from './normalized-event.ts';
import { parseJsonBody, WebhookPayloadError } from './webhook-payload-error.ts';

const idSchema = z.union([z.number().int().nonnegative(), z.string().min(1).max(200)]);

/** The fields of a HubSpot webhook event we read; the rest passes through into `raw`. */
const hubSpotEventSchema = z.looseObject({
  eventId: idSchema,
  subscriptionId: idSchema,
  portalId: idSchema,
  occurredAt: z.number().nonnegative(),
  subscriptionType: z.string().min(1).max(200),
  attemptNumber: z.number().int().nonnegative().optional(),
  objectId: idSchema.optional(),
  propertyName: z.string().max(200).optional(),
  propertyValue: z.string().max(10_000).optional(),
});

type HubSpotEvent = z.infer<typeof hubSpotEventSchema>;

export interface HubSpotWebhookOptions {
  /**
   * The organization the HubSpot app is installed for. HubSpot's payload only names a portal, and an
   * organization is never taken from a payload, so the caller binds it.
   */
  organizationId: string;
  /** Deal stage ids that mean "closed won"; pipelines can define their own. Default `closedwon`. */
  closedWonStages?: readonly string[];
}

/**
 * Parses and normalizes a HubSpot webhook body (a JSON array, batched). Like SendGrid, a malformed
 * element is kept as `malformed` instead of failing the batch, since HubSpot does not retry a 400.
 */
export function parseHubSpotWebhook(
  rawBody: Uint8Array | ArrayBuffer | string,
  options: HubSpotWebhookOptions,
): NormalizedEvent[] {
  return normalizeHubSpotEvents(parseJsonBody(rawBody), options);
}

function normalizeHubSpotEvents(body: unknown, options: HubSpotWebhookOptions): NormalizedEvent[] {
  if (!Array.isArray(body)) {
    throw new WebhookPayloadError('Invalid webhook body: HubSpot posts a JSON array of events', {
      param: 'body',
    });
  }
  const closedWon = new Set(
    (options.closedWonStages ?? ['closedwon']).map((stage) => stage.toLowerCase()),
  );
  return body.map((element) => normalizeHubSpotEvent(element, options.organizationId, closedWon));
}

/**
 * HubSpot says `eventId` is not guaranteed unique, and `attemptNumber` changes on every retry, so the
 * dedupe key is the composite of the fields that identify one change, without `attemptNumber`.
 */
function hubSpotDedupeKey(event: HubSpotEvent): string {
  return [
    event.portalId,
    event.subscriptionId,
    event.eventId,
    event.objectId ?? '',
    event.occurredAt,
    event.propertyName ?? '',
  ].join(':');
}

function normalizeHubSpotEvent(
  element: unknown,
  organizationId: string,
  closedWon: ReadonlySet<string>,
): NormalizedEvent {
  const parsed = hubSpotEventSchema.safeParse(element);
  if (!parsed.success) {
    return {
      ...emptyEvent({
        source: 'hubspot',
        eventId: contentEventId(element),
        type: 'malformed',
        occurredAt: null,
        raw: element,
      }),
      organizationId,
    };
  }
  const event = parsed.data;
  const mapped = mapSubscription(event, closedWon);
  return {
    ...emptyEvent({
      source: 'hubspot',
      eventId: hubSpotDedupeKey(event),
      type: mapped.type,
      occurredAt: toIsoInstant(event.occurredAt),
      raw: element,
    }),
    organizationId,
    dealId: event.subscriptionType.startsWith('deal.') ? toIdString(event.objectId) : null,
    status: mapped.status,
    amount: mapped.amount,
  };
}

interface MappedSubscription {
  type: string;
  status: string | null;
  amount: number | null;
}

/**
 * HubSpot has no "deal won" event: a `deal.propertyChange` of `dealstage` to a closed-won stage is one,
 * and a change of `amount` carries the deal's value. Other subscriptions keep their own name (no effect).
 */
function mapSubscription(event: HubSpotEvent, closedWon: ReadonlySet<string>): MappedSubscription {
  const value = event.propertyValue ?? null;
  switch (event.subscriptionType) {
    case 'deal.creation':
      return { type: 'deal.created', status: null, amount: null };
    case 'deal.propertyChange':
      if (event.propertyName === 'dealstage' && value !== null) {
        return closedWon.has(value.toLowerCase())
          ? { type: 'deal.closed', status: 'closed_won', amount: null }
          : { type: 'deal.updated', status: value, amount: null };
      }
      if (event.propertyName === 'amount' && value !== null && /^\d+(\.\d+)?$/.test(value)) {
        return { type: 'deal.updated', status: null, amount: Number(value) };
      }
      return { type: 'deal.property_changed', status: null, amount: null };
    default:
      return { type: event.subscriptionType, status: null, amount: null };
  }
}
