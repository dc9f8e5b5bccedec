import type { NormalizedEvent } from './normalized-event.ts';
import { hasEffect, outcomeEffectOf } from './outcome-effect.ts';

/** One event of a SendGrid batch that changes no outcome, and why (the 2xx body's `ignored`). */
export interface IgnoredSendGridEvent {
  /** Position in the posted array. */
  readonly index: number;
  /** The event name as understood (`spam_report` reads as `spamreport`); null when there is none. */
  readonly event: string | null;
  readonly sg_event_id: string | null;
  readonly reason: string;
}

/** SendGrid event types that are recorded but never change an outcome row. */
const noEffectReasons: Readonly<Record<string, string>> = {
  processed: 'no effect: `processed` only says SendGrid accepted the message for sending',
  deferred: 'no effect: `deferred` is a temporary delivery delay; SendGrid retries',
  group_resubscribe: 'no effect: an outcome flag never goes back to false',
};

const effectfulTypes = new Set([
  'delivered',
  'open',
  'click',
  'bounce',
  'dropped',
  'spamreport',
  'unsubscribe',
  'group_unsubscribe',
]);

/**
 * The events of a normalized SendGrid batch that will not change any outcome, each with its
 * reason, in batch order: malformed elements, machine opens, types without an effect or unknown
 * ones, and events that name no outcome (no `rekindle_outcome_id` custom arg, no `sg_message_id`)
 * so they can never be linked. Events waiting for an outcome that is not tracked yet are not
 * ignored: they are kept as `unmatched` and applied when it is.
 */
export function ignoredSendGridEvents(events: readonly NormalizedEvent[]): IgnoredSendGridEvent[] {
  const ignored: IgnoredSendGridEvent[] = [];
  events.forEach((event, index) => {
    const reason = ignoredBecause(event);
    if (reason !== null) {
      ignored.push({
        index,
        event: event.type === 'malformed' ? rawString(event.raw, 'event') : event.type,
        sg_event_id: rawString(event.raw, 'sg_event_id'),
        reason,
      });
    }
  });
  return ignored;
}

function ignoredBecause(event: NormalizedEvent): string | null {
  if (event.type === 'malformed') {
    return `malformed: ${malformedBecause(event.raw)}; stored for the record, no effect`;
  }
  if (event.type === 'open' && event.machineOpen) {
    return 'no effect: a machine open (sg_machine_open, Apple Mail Privacy Protection prefetch), not a person';
  }
  const noEffect = noEffectReasons[event.type];
  if (noEffect !== undefined) {
    return noEffect;
  }
  if (!effectfulTypes.has(event.type)) {
    return `no effect: unknown event type "${event.type}" (SendGrid's are ${[...effectfulTypes, ...Object.keys(noEffectReasons)].join(', ')})`;
  }
  if (hasEffect(outcomeEffectOf(event)) && event.outcomeId === null && event.sgMessageId === null) {
    return 'no rekindle_outcome_id custom arg (a UUID) and no sg_message_id: it cannot be linked to a tracked message';
  }
  return null;
}

function malformedBecause(raw: unknown): string {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return 'not a JSON object';
  }
  const element = raw as Record<string, unknown>;
  if (typeof element.event !== 'string' || element.event.trim() === '') {
    return 'no `event` name';
  }
  if (element.timestamp === undefined) {
    return 'no `timestamp`';
  }
  return 'a field has the wrong type (`timestamp` must be Unix seconds; `sg_event_id`, `sg_message_id` strings)';
}

function rawString(raw: unknown, key: string): string | null {
  if (raw === null || typeof raw !== 'object') {
    return null;
  }
  const value = (raw as Record<string, unknown>)[key];
  return typeof value === 'string' && value !== '' ? value.slice(0, 200) : null;
}
