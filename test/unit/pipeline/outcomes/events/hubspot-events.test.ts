import { describe, expect, it } from 'vitest';
import {
  outcomeEffectOf,
  parseHubSpotWebhook,
  WebhookPayloadError,
} from '../../../../../src/pipeline/outcomes/events/index.ts';

const base = {
  subscriptionId: 4711,
  portalId: 62515,
  appId: 54321,
  occurredAt: 1_764_331_200_000,
  attemptNumber: 0,
  objectId: 1234567,
  changeSource: 'CRM',
};

describe('parseHubSpotWebhook', () => {
  it('turns a dealstage change to closed-won into deal.closed, keyed without attemptNumber', () => {
    const first = {
      ...base,
      eventId: 100,
      subscriptionType: 'deal.propertyChange',
      propertyName: 'dealstage',
      propertyValue: 'closedwon',
    };
    const retry = { ...first, attemptNumber: 3 };
    const events = parseHubSpotWebhook(JSON.stringify([first, retry]), { organizationId: 'org_1' });
    expect(events[0]).toMatchObject({
      source: 'hubspot',
      eventId: '62515:4711:100:1234567:1764331200000:dealstage',
      type: 'deal.closed',
      occurredAt: '2025-11-28T12:00:00.000Z',
      organizationId: 'org_1',
      dealId: '1234567',
    });
    expect(events[1]?.eventId).toBe(events[0]?.eventId);
    const [closed] = events;
    expect(closed && outcomeEffectOf(closed).flags).toEqual(['deal_closed']);
  });

  it('maps amount changes to the deal value, other stages and subscriptions to no effect', () => {
    const events = parseHubSpotWebhook(
      JSON.stringify([
        {
          ...base,
          eventId: 1,
          subscriptionType: 'deal.propertyChange',
          propertyName: 'amount',
          propertyValue: '2500',
        },
        {
          ...base,
          eventId: 2,
          subscriptionType: 'deal.propertyChange',
          propertyName: 'dealstage',
          propertyValue: 'appointmentscheduled',
        },
        {
          ...base,
          eventId: 3,
          subscriptionType: 'deal.propertyChange',
          propertyName: 'dealstage',
          propertyValue: '9876',
        },
        { ...base, eventId: 4, subscriptionType: 'deal.creation' },
        { ...base, eventId: 5, subscriptionType: 'contact.creation' },
      ]),
      { organizationId: 'org_1', closedWonStages: ['closedwon', '9876'] },
    );
    expect(events.map((event) => event.type)).toEqual([
      'deal.updated',
      'deal.updated',
      'deal.closed',
      'deal.created',
      'contact.creation',
    ]);
    expect(events.map((event) => outcomeEffectOf(event))).toEqual([
      { flags: [], meetingTime: null, dealValue: 2500, dealId: '1234567' },
      { flags: [], meetingTime: null, dealValue: null, dealId: '1234567' },
      { flags: ['deal_closed'], meetingTime: null, dealValue: null, dealId: '1234567' },
      { flags: [], meetingTime: null, dealValue: null, dealId: '1234567' },
      { flags: [], meetingTime: null, dealValue: null, dealId: null },
    ]);
  });

  it('keeps malformed elements and refuses a body that is not an array', () => {
    const events = parseHubSpotWebhook('[{"eventId":1}]', { organizationId: 'org_1' });
    expect(events[0]).toMatchObject({
      type: 'malformed',
      occurredAt: null,
      organizationId: 'org_1',
    });
    expect(() => parseHubSpotWebhook('{"eventId":1}', { organizationId: 'org_1' })).toThrow(
      WebhookPayloadError,
    );
  });
});
