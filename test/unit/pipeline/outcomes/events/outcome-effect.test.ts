import { describe, expect, it } from 'vitest';
import {
  hasEffect,
  normalizeCrmEvents,
  normalizeSendGridEvent,
  outcomeEffectOf,
} from '../../../../../src/pipeline/outcomes/events/index.ts';

function sendGrid(event: string, extra: Record<string, unknown> = {}) {
  return outcomeEffectOf(
    normalizeSendGridEvent({ event, timestamp: 1_700_000_000, sg_event_id: event, ...extra }),
  );
}

function crm(body: Record<string, unknown>) {
  const [event] = normalizeCrmEvents({ organization_id: 'org_1', ...body });
  if (event === undefined) {
    throw new Error('no event');
  }
  return outcomeEffectOf(event);
}

describe('SendGrid effects', () => {
  it.each([
    ['processed', {}, []],
    ['deferred', { attempt: '5' }, []],
    ['delivered', {}, ['delivered']],
    ['open', {}, ['opened', 'delivered']],
    ['open', { sg_machine_open: false }, ['opened', 'delivered']],
    ['open', { sg_machine_open: true }, []],
    ['click', {}, ['clicked', 'opened', 'delivered']],
    ['bounce', { type: 'blocked' }, ['bounced']],
    ['dropped', { reason: 'Bounced Address' }, ['bounced']],
    ['dropped', { reason: 'Unsubscribed Address' }, ['unsubscribed']],
    ['dropped', { reason: 'Spam Reporting Address' }, ['spam_reported']],
    ['spamreport', {}, ['spam_reported']],
    ['unsubscribe', {}, ['unsubscribed']],
    ['group_unsubscribe', { asm_group_id: 1 }, ['unsubscribed']],
    ['group_resubscribe', { asm_group_id: 1 }, []],
    ['some_future_event', {}, []],
  ])('%s %j sets %j', (event, extra, flags) => {
    const effect = sendGrid(event, extra);
    expect(effect.flags).toEqual(flags);
    expect(effect.dealValue).toBeNull();
    expect(hasEffect(effect)).toBe(flags.length > 0);
  });
});

describe('CRM effects', () => {
  it("closes the deal with its value for the seed's generic body", () => {
    expect(crm({ deal_id: '123', status: 'closed', amount: 15000 })).toEqual({
      flags: ['deal_closed'],
      meetingTime: null,
      dealValue: 15000,
      dealId: '123',
    });
  });

  it('records a deal without closing it while it is open, and ignores the amount of a lost deal', () => {
    expect(crm({ event: 'deal.created', deal_id: 7, lead_id: 'lead_1', amount: '900.50' })).toEqual(
      {
        flags: [],
        meetingTime: null,
        dealValue: 900.5,
        dealId: '7',
      },
    );
    expect(crm({ event: 'deal.closed', deal_id: 7, status: 'lost', amount: 900 })).toEqual({
      flags: [],
      meetingTime: null,
      dealValue: null,
      dealId: '7',
    });
    expect(crm({ event: 'deal.updated', deal_id: 7, status: 'Closed Won' }).flags).toEqual([
      'deal_closed',
    ]);
  });

  it('books a meeting with its time', () => {
    expect(
      crm({
        event: 'meeting.booked',
        lead_id: 'lead_1',
        meeting_time: '2026-12-01T15:00:00+01:00',
      }),
    ).toEqual({
      flags: ['meeting_booked'],
      meetingTime: '2026-12-01T14:00:00.000Z',
      dealValue: null,
      dealId: null,
    });
  });

  it('stores unknown CRM events without an effect', () => {
    expect(hasEffect(crm({ event: 'contact.created', lead_id: 'lead_1' }))).toBe(false);
  });
});
