/**
 * A SendGrid event load and what it must do, written from SendGrid's event list and docs/webhooks.md
 * §4, never from src/: which flags each event type sets, which events cannot match an outcome. Each
 * outcome gets a random profile of event types (so rows differ: machine opens only, bounces, clicks
 * without a delivery event…), timestamps come from a small set (ties), and a share of events point at
 * outcomes that do not exist, at another organization, or are malformed.
 */
import { randomUUID } from 'node:crypto';
import { type EventSpec, expectedRow, shuffle } from '../../helpers/webhook-ingest-model.ts';

export interface LoadOutcome {
  readonly id: string;
  readonly organizationId: string;
  /** How the gateway labels it in rekindle_outcomes_total. */
  readonly route: string;
  readonly modelVersion: string;
}

type ExpectedStatus = 'applied' | 'ignored' | 'unmatched';

export interface LoadEvent {
  /** Unique per event, carried as the custom arg `test_event_key` (also the sg_event_id when there is one). */
  readonly key: string;
  /** The element exactly as SendGrid would post it. */
  readonly element: Record<string, unknown>;
  /** The event name as the gateway reports it (`malformed` for an unusable element). */
  readonly type: string;
  /** The outcome it must change, or null when it must change nothing. */
  readonly outcomeIndex: number | null;
  readonly flags: EventSpec['flags'];
  readonly occurredAt: string;
  readonly expectedStatus: ExpectedStatus;
}

/** What each SendGrid event means for outcome_labels (docs/webhooks.md §4, SendGrid's event docs). */
function flagsOf(type: string, element: Record<string, unknown>): EventSpec['flags'] {
  switch (type) {
    case 'delivered':
      return ['delivered'];
    case 'open':
      return element.sg_machine_open === true ? [] : ['opened', 'delivered'];
    case 'click':
      return ['clicked', 'opened', 'delivered'];
    case 'bounce':
      return ['bounced'];
    case 'dropped': {
      const reason = String(element.reason).toLowerCase();
      return reason.includes('unsubscribe')
        ? ['unsubscribed']
        : reason.includes('spam')
          ? ['spam_reported']
          : ['bounced'];
    }
    case 'spamreport':
      return ['spam_reported'];
    case 'unsubscribe':
    case 'group_unsubscribe':
      return ['unsubscribed'];
    default:
      return [];
  }
}

const eventTypes = [
  'processed',
  'deferred',
  'delivered',
  'open',
  'machine_open',
  'click',
  'bounce',
  'dropped',
  'spamreport',
  'unsubscribe',
  'group_unsubscribe',
  'group_resubscribe',
] as const;
const dropReasons = [
  'Unsubscribed Address',
  'Spam Reporting Address',
  'Bounced Address',
  'Invalid',
];

type Target =
  | { kind: 'outcome'; index: number; namesOrganization: boolean }
  | { kind: 'other_organization'; index: number }
  | { kind: 'unknown_outcome'; id: string }
  | { kind: 'no_outcome' }
  | { kind: 'not_a_uuid' };

export function makeSendGridLoad(
  random: () => number,
  outcomes: readonly LoadOutcome[],
  count: number,
  tag = randomUUID().slice(0, 8),
): LoadEvent[] {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  // Each outcome sees only some event types: "delivered and opened by a machine only", "bounced"…
  const profiles = outcomes.map(() => {
    const types = eventTypes.filter(() => random() < 0.35);
    return types.length > 0 ? types : (['processed'] as const);
  });
  const unknownIds = Array.from({ length: 20 }, () => randomUUID());
  const base = Date.parse('2027-01-15T08:00:00Z') / 1000;

  const target = (): Target => {
    const roll = random();
    const index = Math.floor(random() * outcomes.length);
    if (roll < 0.04) {
      return { kind: 'unknown_outcome', id: pick(unknownIds) };
    }
    if (roll < 0.06) {
      return { kind: 'other_organization', index };
    }
    if (roll < 0.075) {
      return { kind: 'no_outcome' };
    }
    if (roll < 0.085) {
      return { kind: 'not_a_uuid' };
    }
    return { kind: 'outcome', index, namesOrganization: random() < 0.15 };
  };

  return Array.from({ length: count }, (_, position) => {
    const key = `${tag}-${String(position).padStart(6, '0')}`;
    const aim = target();
    const profile = 'index' in aim ? (profiles[aim.index] ?? eventTypes) : eventTypes;
    const drawn = pick(profile);
    const type = drawn === 'machine_open' ? 'open' : drawn;
    const timestamp = base + Math.floor(random() * 240) * 30;
    const element: Record<string, unknown> = {
      email: `lead${position % 997}@example.com`,
      timestamp,
      event: type,
      sg_event_id: key,
      sg_message_id: `sgmsg-${key}.filter0001.5E1B.5F8A0B1C0.0`,
      test_event_key: key,
      category: ['outreach'],
    };
    if (drawn === 'machine_open') {
      element.sg_machine_open = true;
    } else if (type === 'open') {
      element.sg_machine_open = false;
    }
    if (type === 'click') {
      element.url = `https://example.com/p/${position % 13}`;
    }
    if (type === 'dropped') {
      element.reason = pick(dropReasons);
    }
    if (type === 'bounce') {
      element.type = random() < 0.5 ? 'bounce' : 'blocked';
      element.reason = '550 5.1.1 mailbox unavailable';
    }
    if (aim.kind === 'outcome' || aim.kind === 'other_organization') {
      const outcome = outcomes[aim.index] as LoadOutcome;
      element.rekindle_outcome_id = outcome.id;
      if (aim.kind === 'other_organization') {
        element.rekindle_organization_id = 'org_somebody_else';
      } else if (aim.namesOrganization) {
        element.rekindle_organization_id = outcome.organizationId;
      }
    } else if (aim.kind === 'unknown_outcome') {
      element.rekindle_outcome_id = aim.id;
    } else if (aim.kind === 'not_a_uuid') {
      element.rekindle_outcome_id = `lead-${position}`;
    }
    const roll = random();
    let reportedType: string = type;
    if (roll < 0.01) {
      // Unusable (no timestamp): stored for the record, never applied.
      delete element.timestamp;
      reportedType = 'malformed';
    } else if (roll < 0.03) {
      // Older integrations: no sg_event_id, the gateway derives one from the content.
      delete element.sg_event_id;
    }
    const flags = reportedType === 'malformed' ? [] : flagsOf(type, element);
    const matches = aim.kind === 'outcome';
    return {
      key,
      element,
      type: reportedType,
      outcomeIndex: matches && flags.length > 0 ? aim.index : null,
      flags,
      occurredAt: new Date(timestamp * 1000).toISOString(),
      expectedStatus: flags.length === 0 ? 'ignored' : matches ? 'applied' : 'unmatched',
    };
  });
}

export interface Delivery {
  readonly batch: number;
  readonly body: string;
  readonly keys: readonly string[];
}

/** Batches of 10–90 events (SendGrid batches by time and size), every batch twice, shuffled. */
export function deliveriesOf(events: readonly LoadEvent[], random: () => number): Delivery[] {
  const batches: Delivery[] = [];
  const order = shuffle(events, random);
  for (let start = 0; start < order.length; ) {
    const size = 10 + Math.floor(random() * 81);
    const slice = order.slice(start, start + size);
    batches.push({
      batch: batches.length,
      body: JSON.stringify(slice.map((event) => event.element)),
      keys: slice.map((event) => event.key),
    });
    start += size;
  }
  return shuffle([...batches, ...batches], random);
}

/** The outcome_labels columns each outcome must end with: each event applied exactly once. */
export function expectedRows(
  events: readonly LoadEvent[],
  outcomes: readonly LoadOutcome[],
): Map<string, Record<string, unknown>> {
  const specs = outcomes.map((): EventSpec[] => []);
  for (const event of events) {
    if (event.outcomeIndex !== null) {
      specs[event.outcomeIndex]?.push({
        outcomeIndex: event.outcomeIndex,
        key: event.key,
        occurredAt: event.occurredAt,
        flags: event.flags,
        meetingTime: null,
        dealValue: null,
        dealId: null,
        hasEffect: event.flags.length > 0,
      });
    }
  }
  return new Map(outcomes.map((outcome, index) => [outcome.id, expectedRow(specs[index] ?? [])]));
}

/** Outcomes where a click reached the gateway before any delivery event of the same outcome. */
export function clicksBeforeDelivery(
  events: readonly LoadEvent[],
  deliveries: readonly Delivery[],
): number {
  const firstSeen = new Map<string, number>();
  deliveries.forEach((delivery, position) => {
    for (const key of delivery.keys) {
      if (!firstSeen.has(key)) {
        firstSeen.set(key, position);
      }
    }
  });
  const earliest = new Map<string, { click: number; delivered: number }>();
  for (const event of events) {
    if (event.outcomeIndex === null || (event.type !== 'click' && event.type !== 'delivered')) {
      continue;
    }
    const entry = earliest.get(String(event.outcomeIndex)) ?? {
      click: Number.POSITIVE_INFINITY,
      delivered: Number.POSITIVE_INFINITY,
    };
    const seen = firstSeen.get(event.key) ?? Number.POSITIVE_INFINITY;
    if (event.type === 'click') {
      entry.click = Math.min(entry.click, seen);
    } else {
      entry.delivered = Math.min(entry.delivered, seen);
    }
    earliest.set(String(event.outcomeIndex), entry);
  }
  return [...earliest.values()].filter(
    (entry) => entry.click < entry.delivered && entry.delivered !== Number.POSITIVE_INFINITY,
  ).length;
}
