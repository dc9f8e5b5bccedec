import { describe, expect, it } from 'vitest';
import {
  contentEventId,
  parseCrmWebhook,
  toWebhookEventInput,
  WebhookPayloadError,
} from '../../../../../src/pipeline/outcomes/events/index.ts';

const outcomeId = '0190f5a4-6b1e-7c3d-9a2b-1234567890ab';
const now = () => Date.parse('2026-11-28T12:00:00Z');

function refusal(run: () => unknown): WebhookPayloadError {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookPayloadError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a WebhookPayloadError');
}

describe('parseCrmWebhook', () => {
  it("normalizes the seed's generic body, keyed by the webhook-id", () => {
    const body = '{"deal_id":"123","status":"closed","amount":15000,"organization_id":"org_123"}';
    const [event, ...rest] = parseCrmWebhook(body, {
      webhookId: 'msg_1',
      webhookTimestamp: '1764331200',
      now,
    });
    expect(rest).toEqual([]);
    expect(event).toEqual({
      source: 'crm',
      eventId: 'msg_1',
      type: 'deal.closed',
      occurredAt: '2025-11-28T12:00:00.000Z',
      outcomeId: null,
      sgMessageId: null,
      organizationId: 'org_123',
      leadId: null,
      dealId: '123',
      machineOpen: false,
      status: 'closed',
      amount: 15000,
      meetingTime: null,
      raw: JSON.parse(body),
    });
  });

  it('normalizes the typed events and prefers occurred_at for the event time', () => {
    const events = parseCrmWebhook(
      JSON.stringify([
        {
          event: 'deal.created',
          lead_id: 'lead_9',
          deal_id: 55,
          occurred_at: '2026-11-01T10:00:00Z',
        },
        { event: 'meeting.booked', outcome_id: outcomeId.toUpperCase(), meeting_time: 1796000000 },
        { event: 'deal.updated', lead_id: 'lead_9', deal_id: '55', status: 'negotiation' },
      ]),
      { webhookId: 'msg_2', organizationId: 'org_1', now },
    );
    expect(
      events.map((event) => [event.eventId, event.type, event.occurredAt, event.organizationId]),
    ).toEqual([
      ['msg_2#0', 'deal.created', '2026-11-01T10:00:00.000Z', 'org_1'],
      ['msg_2#1', 'meeting.booked', '2026-11-28T12:00:00.000Z', 'org_1'],
      ['msg_2#2', 'deal.updated', '2026-11-28T12:00:00.000Z', 'org_1'],
    ]);
    expect(events[0]).toMatchObject({ leadId: 'lead_9', dealId: '55' });
    expect(events[1]).toMatchObject({ outcomeId, meetingTime: '2026-11-30T00:53:20.000Z' });
  });

  it('without a webhook-id uses the body event_id, else a content hash', () => {
    const withId = { event_id: 'evt_7', outcome_id: outcomeId, event: 'deal.closed', amount: 1 };
    const withoutId = { outcome_id: outcomeId, event: 'deal.closed', amount: 1 };
    expect(parseCrmWebhook(JSON.stringify(withId))[0]?.eventId).toBe('evt_7');
    expect(parseCrmWebhook(JSON.stringify(withoutId))[0]?.eventId).toBe(contentEventId(withoutId));
  });

  it('refuses bodies that break the contract, naming the field', () => {
    expect(refusal(() => parseCrmWebhook('{"status":"closed","organization_id":"o"}')).param).toBe(
      'outcome_id',
    );
    expect(refusal(() => parseCrmWebhook('{"outcome_id":"abc"}')).param).toBe('outcome_id');
    expect(
      refusal(() => parseCrmWebhook('{"deal_id":"1","amount":"lots","organization_id":"o"}')).param,
    ).toBe('amount');
    expect(
      refusal(() => parseCrmWebhook('[{"deal_id":"1","organization_id":"o"},{"deal_id":true}]'))
        .param,
    ).toBe('1.deal_id');
    expect(
      refusal(() => parseCrmWebhook(`{"outcome_id":"${outcomeId}","meeting_time":"someday"}`))
        .param,
    ).toBe('meeting_time');
    expect(refusal(() => parseCrmWebhook('[]')).status).toBe(400);
    expect(refusal(() => parseCrmWebhook('{')).code).toBe('invalid_json');
  });

  it("takes the seed's exact body without an organization: a closed deal with its value", () => {
    const body = '{"deal_id":"123","status":"closed","amount":15000}';
    const [event] = parseCrmWebhook(body, { webhookId: 'msg_seed', now });
    expect(event).toMatchObject({
      type: 'deal.closed',
      organizationId: null,
      dealId: '123',
      leadId: null,
      status: 'closed',
      amount: 15000,
    });
    // What the store merges into the outcome it resolves: deal_closed, deal_value and the deal id.
    expect(toWebhookEventInput(event as NonNullable<typeof event>)).toMatchObject({
      organization_id: null,
      deal_id: '123',
      effect: { flags: ['deal_closed'], deal_value: 15000, deal_id: '123', meeting_time: null },
    });
    const byLead = parseCrmWebhook('{"lead_id":"lead_1","event":"meeting.booked"}', { now });
    expect(byLead[0]).toMatchObject({ organizationId: null, leadId: 'lead_1' });
  });

  it('keeps the bound organization and refuses a body naming another one', () => {
    const mismatch = refusal(() =>
      parseCrmWebhook('{"lead_id":"l","organization_id":"org_b"}', { organizationId: 'org_a' }),
    );
    expect(mismatch.code).toBe('organization_mismatch');
    expect(mismatch.param).toBe('organization_id');
    expect(
      parseCrmWebhook('{"lead_id":"l"}', { organizationId: 'org_a', now })[0]?.organizationId,
    ).toBe('org_a');
    expect(
      parseCrmWebhook('{"lead_id":"l","organization_id":"org_b"}', { now })[0]?.organizationId,
    ).toBe('org_b');
  });
});
