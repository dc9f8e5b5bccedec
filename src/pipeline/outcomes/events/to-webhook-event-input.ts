import type { WebhookEventInput } from '../../../store/index.ts';
import type { NormalizedEvent } from './normalized-event.ts';
import { outcomeEffectOf } from './outcome-effect.ts';
import { sendGridMessageIdPrefix } from './sendgrid-events.ts';

/** A normalized event with its effect, in the shape `WebhookEventsStore.ingest` stores and applies. */
export function toWebhookEventInput(event: NormalizedEvent): WebhookEventInput {
  const effect = outcomeEffectOf(event);
  const sgMessageIds =
    event.sgMessageId === null
      ? []
      : [...new Set([event.sgMessageId, sendGridMessageIdPrefix(event.sgMessageId)])];
  return {
    event_id: event.eventId,
    event_type: event.type,
    occurred_at: event.occurredAt,
    organization_id: event.organizationId,
    outcome_id: event.outcomeId,
    sg_message_ids: sgMessageIds,
    lead_id: event.leadId,
    deal_id: event.dealId,
    effect: {
      flags: effect.flags,
      meeting_time: effect.meetingTime,
      deal_value: effect.dealValue,
      deal_id: effect.dealId,
      // The currency travels with the value it qualifies (kept in webhook_events.effect; the
      // outcome row has no currency column).
      ...(effect.dealValue !== null && event.currency !== undefined
        ? { deal_currency: event.currency }
        : {}),
    },
    payload: event.raw,
  };
}
