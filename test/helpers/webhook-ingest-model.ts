/**
 * A reference model of what webhook events do to outcome_labels, written independently of the SQL
 * merge: flags are true when any event set them and keep the earliest event time; values come from the
 * event with the greatest (occurred_at, event_id). Tests apply events to the database in any order,
 * batching and duplication and compare the rows with this model column by column.
 */
import type { WebhookEventInput } from '../../src/store/webhook-events-store.ts';

export const timestampedFlags = {
  delivered: 'delivered_at',
  opened: 'opened_at',
  clicked: 'clicked_at',
  bounced: 'bounced_at',
  meeting_booked: 'meeting_booked_at',
  deal_closed: 'deal_closed_at',
} as const;
export const untimedFlags = ['spam_reported', 'unsubscribed'] as const;
type Flag = keyof typeof timestampedFlags | (typeof untimedFlags)[number];
const allFlags = [...Object.keys(timestampedFlags), ...untimedFlags] as Flag[];

export const outcomeColumns = [
  'id',
  ...Object.entries(timestampedFlags).flat(),
  ...untimedFlags,
  'meeting_time',
  'deal_value',
  'deal_id',
] as const;

export interface EventSpec {
  outcomeIndex: number;
  /** Unique and zero-padded, so its order is the same in JavaScript and in SQL's "C" collation. */
  key: string;
  occurredAt: string;
  flags: Flag[];
  meetingTime: string | null;
  dealValue: number | null;
  dealId: string | null;
  hasEffect: boolean;
}

/** mulberry32: a small seeded generator, so a failing order can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

/** Random events over a few outcomes; event times come from a small set so ties are common. */
export function makeEventSpecs(
  random: () => number,
  outcomeCount: number,
  count: number,
): EventSpec[] {
  const base = Date.parse('2027-01-15T08:00:00Z');
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  return Array.from({ length: count }, (_, index) => {
    const flags = allFlags.filter(() => random() < 0.15);
    const meetingTime =
      random() < 0.2 ? new Date(base + pick([1, 2, 3]) * 86_400_000).toISOString() : null;
    const dealValue = random() < 0.2 ? pick([500, 1200.5, 15000, 99.99]) : null;
    const dealId = random() < 0.2 ? pick(['deal-a', 'deal-b', 'deal-c']) : null;
    return {
      outcomeIndex: Math.floor(random() * outcomeCount),
      key: `e${String(index).padStart(5, '0')}`,
      occurredAt: new Date(base + Math.floor(random() * 8) * 60_000).toISOString(),
      flags,
      meetingTime,
      dealValue,
      dealId,
      hasEffect: flags.length > 0 || meetingTime !== null || dealValue !== null || dealId !== null,
    };
  });
}

export function toInputs(
  specs: readonly EventSpec[],
  outcomeIds: readonly string[],
  prefix: string,
): WebhookEventInput[] {
  return specs.map((spec) => ({
    event_id: `${prefix}-${spec.key}`,
    event_type: spec.hasEffect ? 'deal.updated' : 'processed',
    occurred_at: spec.occurredAt,
    organization_id: null,
    outcome_id: outcomeIds[spec.outcomeIndex] ?? null,
    sg_message_ids: [],
    lead_id: null,
    deal_id: null,
    effect: {
      flags: spec.flags,
      meeting_time: spec.meetingTime,
      deal_value: spec.dealValue,
      deal_id: spec.dealId,
    },
    payload: { key: spec.key },
  }));
}

/** The outcome_labels columns the events of one outcome must produce (ISO times, numeric as text). */
export function expectedRow(specs: readonly EventSpec[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [flag, timeColumn] of Object.entries(timestampedFlags)) {
    const times = specs
      .filter((spec) => spec.flags.includes(flag as Flag))
      .map((spec) => spec.occurredAt)
      .sort();
    row[flag] = times.length > 0;
    row[timeColumn] = times[0] ?? null;
  }
  for (const flag of untimedFlags) {
    row[flag] = specs.some((spec) => spec.flags.includes(flag));
  }
  const latest = <K extends 'meetingTime' | 'dealValue' | 'dealId'>(field: K) =>
    specs
      .filter((spec) => spec[field] !== null)
      .sort((left, right) =>
        left.occurredAt === right.occurredAt
          ? left.key < right.key
            ? -1
            : 1
          : left.occurredAt < right.occurredAt
            ? -1
            : 1,
      )
      .at(-1)?.[field] ?? null;
  row.meeting_time = latest('meetingTime');
  const dealValue = latest('dealValue');
  row.deal_value = dealValue === null ? null : Number(dealValue).toFixed(2);
  row.deal_id = latest('dealId');
  return row;
}
