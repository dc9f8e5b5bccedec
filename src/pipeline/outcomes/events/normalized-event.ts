import { createHash } from 'node:crypto';

type WebhookSource = 'sendgrid' | 'crm' | 'hubspot' | 'pipedrive' | 'salesforce';

/**
 * One provider event in the shape the store ingests. Every provider adapter produces it; the effect on
 * outcome_labels is derived from it by `outcomeEffectOf` (pure), so ingest and reconciliation agree.
 */
export interface NormalizedEvent {
  source: WebhookSource;
  /** The dedupe key: unique per source (sg_event_id, webhook-id, HubSpot's composite key, or a hash). */
  eventId: string;
  /** Provider event name as sent (`delivered`, `group_unsubscribe`) or our CRM kind (`deal.closed`). */
  type: string;
  /** ISO 8601 instant the event happened at; null only for a malformed element kept for the record. */
  occurredAt: string | null;
  /** `rekindle_outcome_id` custom arg / CRM `outcome_id`, when it is a UUID. */
  outcomeId: string | null;
  /** SendGrid's message id as on the event, for outcomes that stored it at send time. */
  sgMessageId: string | null;
  organizationId: string | null;
  leadId: string | null;
  dealId: string | null;
  /** SendGrid `sg_machine_open` (Apple Mail Privacy Protection): never human engagement. */
  machineOpen: boolean;
  /** CRM deal status as sent (`closed`, `won`, `lost`, a HubSpot deal stage id). */
  status: string | null;
  /** CRM deal amount, when the event carries one. */
  amount: number | null;
  /** ISO 4217 currency of `amount` (Pipedrive `currency`, Salesforce `CurrencyIsoCode`), if sent. */
  currency?: string;
  /** ISO 8601 meeting start for `meeting.booked`. */
  meetingTime: string | null;
  /** The event element exactly as it was in the body (stored verbatim in webhook_events.payload). */
  raw: unknown;
}

export function emptyEvent(
  fields: Pick<NormalizedEvent, 'source' | 'eventId' | 'type' | 'occurredAt' | 'raw'>,
): NormalizedEvent {
  return {
    ...fields,
    outcomeId: null,
    sgMessageId: null,
    organizationId: null,
    leadId: null,
    dealId: null,
    machineOpen: false,
    status: null,
    amount: null,
    meetingTime: null,
  };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && uuidPattern.test(value);
}

/** JSON with object keys sorted at every level, so equal content hashes equally whatever the key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A deterministic id for an event its provider sent without one: a replay of it gets the same id. */
export function contentEventId(value: unknown): string {
  return `h_${createHash('sha256').update(canonicalJson(value)).digest('base64url')}`;
}

/** Unix seconds (or milliseconds when the number is that large) or an ISO string → ISO 8601; else null. */
export function toIsoInstant(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) {
    const milliseconds = value >= 1e12 ? value : value * 1000;
    const date = new Date(milliseconds);
    return Number.isNaN(date.getTime()) ? null : date.toISOString();
  }
  if (typeof value === 'string' && value.trim() !== '') {
    if (/^\d+(\.\d+)?$/.test(value.trim())) {
      return toIsoInstant(Number(value));
    }
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? null : new Date(parsed).toISOString();
  }
  return null;
}

/** Ids arrive as strings or numbers (HubSpot, CRM exports); we store text. */
export function toIdString(value: unknown): string | null {
  if (typeof value === 'string' && value.trim() !== '') {
    return value.trim();
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    return String(value);
  }
  return null;
}

/** `{ currency }` for an ISO 4217 code (any case), else nothing: the field is absent, not null. */
export function currencyField(value: string | null | undefined): Pick<NormalizedEvent, 'currency'> {
  const code = value?.trim().toUpperCase();
  return code !== undefined && /^[A-Z]{3}$/.test(code) ? { currency: code } : {};
}
