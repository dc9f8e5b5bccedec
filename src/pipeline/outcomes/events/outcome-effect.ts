import { webhookEffectFlags } from '../../../store/index.ts';
import type { NormalizedEvent } from './normalized-event.ts';

/** Boolean outcome_labels columns a webhook can set (the store's list). Only ever false → true. */
const outcomeFlags = webhookEffectFlags;
type OutcomeFlag = (typeof outcomeFlags)[number];

/**
 * What one event does to its outcome_labels row. Flags are set with the event's time as their first
 * occurrence (`*_at` = earliest); values are "latest wins" by event time. Both rules are order-independent,
 * so a click that arrives before its delivery still settles on the same row.
 */
export interface OutcomeEffect {
  flags: OutcomeFlag[];
  meetingTime: string | null;
  dealValue: number | null;
  dealId: string | null;
}

const noEffect: OutcomeEffect = Object.freeze({
  flags: [],
  meetingTime: null,
  dealValue: null,
  dealId: null,
}) as OutcomeEffect;

export function hasEffect(effect: OutcomeEffect): boolean {
  return (
    effect.flags.length > 0 ||
    effect.meetingTime !== null ||
    effect.dealValue !== null ||
    effect.dealId !== null
  );
}

const wonStatuses = new Set([
  'closed',
  'won',
  'closed_won',
  'closedwon',
  'closed-won',
  'closed won',
]);
const lostStatuses = new Set(['lost', 'closed_lost', 'closedlost', 'closed-lost', 'closed lost']);

export function isWonStatus(status: string | null): boolean {
  return status !== null && wonStatuses.has(status.trim().toLowerCase());
}

function isLostStatus(status: string | null): boolean {
  return status !== null && lostStatuses.has(status.trim().toLowerCase());
}

/** The effect of one normalized event; the table in docs/webhooks.md is this function in words. */
export function outcomeEffectOf(event: NormalizedEvent): OutcomeEffect {
  if (event.occurredAt === null) {
    return noEffect;
  }
  return event.source === 'sendgrid' ? sendGridEffect(event) : crmEffect(event);
}

function flagsOnly(...flags: OutcomeFlag[]): OutcomeEffect {
  return { flags, meetingTime: null, dealValue: null, dealId: null };
}

function sendGridEffect(event: NormalizedEvent): OutcomeEffect {
  switch (event.type) {
    case 'delivered':
      return flagsOnly('delivered');
    case 'open':
      // A machine open (Apple MPP prefetch) says nothing about a human; a human open proves delivery.
      return event.machineOpen ? noEffect : flagsOnly('opened', 'delivered');
    case 'click':
      // A click proves the message was opened (image blocking hides many opens) and delivered.
      return flagsOnly('clicked', 'opened', 'delivered');
    case 'bounce':
      return flagsOnly('bounced');
    case 'dropped':
      return flagsOnly(droppedFlag(event.raw));
    case 'spamreport':
      return flagsOnly('spam_reported');
    case 'unsubscribe':
    case 'group_unsubscribe':
      return flagsOnly('unsubscribed');
    default:
      // processed, deferred, group_resubscribe (flags never go back to false), anything new.
      return noEffect;
  }
}

/** SendGrid drops a message without sending it; its reason says which suppression list caught it. */
function droppedFlag(raw: unknown): OutcomeFlag {
  const reason =
    raw !== null &&
    typeof raw === 'object' &&
    typeof (raw as { reason?: unknown }).reason === 'string'
      ? (raw as { reason: string }).reason.toLowerCase()
      : '';
  if (reason.includes('unsubscribe')) {
    return 'unsubscribed';
  }
  if (reason.includes('spam')) {
    return 'spam_reported';
  }
  return 'bounced';
}

function crmEffect(event: NormalizedEvent): OutcomeEffect {
  const lost = isLostStatus(event.status);
  const dealValue = lost ? null : event.amount;
  switch (event.type) {
    case 'deal.created':
    case 'deal.updated':
      return {
        flags: isWonStatus(event.status) ? ['deal_closed'] : [],
        meetingTime: null,
        dealValue,
        dealId: event.dealId,
      };
    case 'deal.closed':
      return {
        flags: lost ? [] : ['deal_closed'],
        meetingTime: null,
        dealValue,
        dealId: event.dealId,
      };
    case 'meeting.booked':
      return {
        flags: ['meeting_booked'],
        meetingTime: event.meetingTime,
        dealValue: null,
        dealId: event.dealId,
      };
    default:
      return noEffect;
  }
}
