import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../../../src/errors/index.ts';
import {
  contentEventId,
  outcomeEffectOf,
  parseSendGridWebhook,
  sendGridMessageIdPrefix,
  WebhookPayloadError,
} from '../../../../../src/pipeline/outcomes/events/index.ts';

const outcomeId = '0190f5a4-6b1e-7c3d-9a2b-1234567890ab';

/** Shaped like the examples in SendGrid's Event Webhook reference, with our custom args flattened in. */
const batch = [
  {
    email: 'lead@example.com',
    timestamp: 1_700_000_000,
    'smtp-id': '<14c5d75ce93.dfd.64b469@ismtpd-555>',
    event: 'processed',
    category: 'cat facts',
    sg_event_id: 'sg_event_id_processed',
    sg_message_id: '14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0',
    rekindle_outcome_id: outcomeId,
    rekindle_organization_id: 'org_123',
  },
  {
    email: 'lead@example.com',
    timestamp: 1_700_000_060,
    event: 'open',
    sg_machine_open: true,
    useragent: 'Mozilla/5.0',
    ip: '255.255.255.255',
    sg_event_id: 'sg_event_id_machine_open',
    sg_message_id: '14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0',
    rekindle_outcome_id: outcomeId,
  },
  {
    email: 'lead@example.com',
    timestamp: 1_700_000_120,
    event: 'click',
    url: 'https://rekindle.example/demo',
    url_offset: { index: 0, type: 'html' },
    sg_event_id: 'sg_event_id_click',
    sg_message_id: 'tIGZNkHrTFaQ0mOZ1nK9_Q.recvd-5645d9c87f-78xgx-1-62841247-82.1',
    custom_args: { rekindle_outcome_id: outcomeId },
  },
  {
    email: 'lead@example.com',
    timestamp: 1_700_000_180,
    event: 'bounce',
    reason: '500 unknown recipient',
    status: '5.0.0',
    type: 'bounce',
    sg_event_id: 'sg_event_id_bounce',
    rekindle_outcome_id: 'not-a-uuid',
  },
];

describe('parseSendGridWebhook', () => {
  it('normalizes every event of a batch from the raw bytes', () => {
    const events = parseSendGridWebhook(new TextEncoder().encode(JSON.stringify(batch)));
    expect(events.map((event) => [event.eventId, event.type, event.occurredAt])).toEqual([
      ['sg_event_id_processed', 'processed', '2023-11-14T22:13:20.000Z'],
      ['sg_event_id_machine_open', 'open', '2023-11-14T22:14:20.000Z'],
      ['sg_event_id_click', 'click', '2023-11-14T22:15:20.000Z'],
      ['sg_event_id_bounce', 'bounce', '2023-11-14T22:16:20.000Z'],
    ]);
    const [processed, machineOpen, click, bounce] = events;
    expect(processed).toMatchObject({
      source: 'sendgrid',
      outcomeId,
      organizationId: 'org_123',
      sgMessageId: '14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0',
      machineOpen: false,
      raw: batch[0],
    });
    expect(machineOpen?.machineOpen).toBe(true);
    expect(click?.outcomeId).toBe(outcomeId);
    // An id that is not one of ours is dropped, and the event falls back to its message id (here none).
    expect(bounce).toMatchObject({ outcomeId: null, sgMessageId: null });
  });

  it('gives an event without sg_event_id a content hash that survives key order, not content changes', () => {
    const event = { event: 'delivered', timestamp: 1_700_000_000, email: 'a@example.com' };
    const reordered = { email: 'a@example.com', timestamp: 1_700_000_000, event: 'delivered' };
    const [first] = parseSendGridWebhook(JSON.stringify([event]));
    const [second] = parseSendGridWebhook(JSON.stringify([reordered]));
    const [third] = parseSendGridWebhook(JSON.stringify([{ ...event, timestamp: 1_700_000_001 }]));
    expect(first?.eventId).toMatch(/^h_[A-Za-z0-9_-]{43}$/);
    expect(first?.eventId).toBe(second?.eventId);
    expect(first?.eventId).toBe(contentEventId(event));
    expect(third?.eventId).not.toBe(first?.eventId);
  });

  it('keeps a malformed element as "malformed" (no effect) and the rest of the batch', () => {
    const events = parseSendGridWebhook(
      JSON.stringify([
        42,
        { event: 'delivered', sg_event_id: 'no_timestamp' },
        { event: 'delivered', timestamp: 1_700_000_000, sg_event_id: 'good' },
      ]),
    );
    expect(events.map((event) => [event.eventId.slice(0, 12), event.type])).toEqual([
      [contentEventId(42).slice(0, 12), 'malformed'],
      ['no_timestamp', 'malformed'],
      ['good', 'delivered'],
    ]);
    expect(events.map((event) => outcomeEffectOf(event).flags)).toEqual([[], [], ['delivered']]);
  });

  it('accepts an empty array', () => {
    expect(parseSendGridWebhook('[]')).toEqual([]);
  });

  it('refuses a body that is not a JSON array with a 400 GatewayError', () => {
    for (const body of ['{"event":"delivered"}', 'not json', new Uint8Array([0x5b, 0xff, 0x5d])]) {
      let caught: unknown;
      try {
        parseSendGridWebhook(body);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(WebhookPayloadError);
      expect(GatewayError.isInstance(caught)).toBe(true);
      expect((caught as WebhookPayloadError).status).toBe(400);
      expect((caught as WebhookPayloadError).type).toBe('invalid_request_error');
    }
  });
});

describe('sendGridMessageIdPrefix', () => {
  it('cuts the event id down to the X-Message-Id the send returned', () => {
    expect(sendGridMessageIdPrefix('14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0')).toBe(
      '14c5d75ce93.dfd.64b469',
    );
    expect(
      sendGridMessageIdPrefix(
        'tIGZNkHrTFaQ0mOZ1nK9_Q.filterdrecv-5645d9c87f-78xgx-1-62841247-82.1',
      ),
    ).toBe('tIGZNkHrTFaQ0mOZ1nK9_Q');
    expect(sendGridMessageIdPrefix('plain-id')).toBe('plain-id');
  });
});
