import { describe, expect, it } from 'vitest';
import {
  normalizeSalesforceOutboundMessage,
  normalizeSalesforceRecord,
  parseSalesforceFlowWebhook,
  parseSalesforceOutboundMessage,
  parseStrictXml,
  salesforceAck,
  soapFault,
  WebhookPayloadError,
} from '../../../../../src/pipeline/outcomes/events/index.ts';
import { crmFixture } from '../../../../helpers/crm-fixtures.ts';

const outcomeId = '0193f0c2-7c4e-7d2a-9b61-2f5a8e0c1d34';
const fill = (overrides: Record<string, string> = {}) => ({
  organization_id: '00D5e000000KQ2eEAG',
  notification_id: '04l5e00000Gx7QzAAJ',
  opportunity_id: '0065e00000AbCdEAAV',
  outcome_id: outcomeId,
  lead_id: 'lead_42',
  ...overrides,
});
const message = (name: string, overrides: Record<string, string> = {}) =>
  parseSalesforceOutboundMessage(crmFixture(name, fill(overrides)));
const record = (type: string, fields: Record<string, string | number | boolean | null>) =>
  normalizeSalesforceRecord({ type, fields }, 'n1', {}, { now: () => Date.UTC(2026, 11, 1) });

describe('parseSalesforceOutboundMessage', () => {
  it('reads the notifications envelope: org, action, each Notification Id and typed sObject', () => {
    const parsed = message('salesforce-opportunity-won.xml');
    expect(parsed).toMatchObject({
      organizationId: '00D5e000000KQ2eEAG',
      actionId: '04k5e000000CaRkAAK',
    });
    expect(parsed.notifications).toHaveLength(1);
    expect(parsed.notifications[0]).toMatchObject({
      id: '04l5e00000Gx7QzAAJ',
      objectType: 'Opportunity',
      fields: {
        Id: '0065e00000AbCdEAAV',
        Amount: '12000.0',
        IsWon: 'true',
        Name: 'Initech & Co — outreach follow-up',
        StageName: 'Closed Won',
      },
    });
    // xsi:nil fields are null, not empty strings.
    expect(message('salesforce-opportunity-updated.xml').notifications[0]?.fields).toMatchObject({
      Rekindle_Outcome_Id__c: null,
      Rekindle_Lead_Id__c: 'lead_42',
    });
  });

  it('maps won, lost, updated Opportunities and Events the documented way', () => {
    const [won] = normalizeSalesforceOutboundMessage(message('salesforce-opportunity-won.xml'), {
      organizationId: 'acme',
    });
    expect(won).toMatchObject({
      source: 'salesforce',
      eventId: '04l5e00000Gx7QzAAJ',
      type: 'deal.closed',
      occurredAt: '2026-11-28T10:15:00.000Z',
      outcomeId,
      organizationId: 'acme',
      dealId: '0065e00000AbCdEAAV',
      status: 'won',
      amount: 12000,
      currency: 'EUR',
    });
    // The SessionId (a live session) is not part of what is stored.
    expect(Object.keys(won?.raw as object)).toEqual([
      'OrganizationId',
      'ActionId',
      'NotificationId',
      'sObjectType',
      'sObject',
    ]);
    const [lost] = normalizeSalesforceOutboundMessage(message('salesforce-opportunity-lost.xml'));
    expect(lost).toMatchObject({ type: 'deal.closed', status: 'lost', amount: 5000 });
    const [updated] = normalizeSalesforceOutboundMessage(
      message('salesforce-opportunity-updated.xml'),
    );
    expect(updated).toMatchObject({
      type: 'deal.updated',
      status: 'Negotiation/Review',
      outcomeId: null,
      leadId: 'lead_42',
      amount: 9500,
    });
    const [meeting] = normalizeSalesforceOutboundMessage(message('salesforce-event-meeting.xml'));
    expect(meeting).toMatchObject({
      type: 'meeting.booked',
      meetingTime: '2026-12-02T15:30:00.000Z',
      dealId: '0065e00000AbCdEAAV',
    });
  });

  it('falls back to stage names, created dates and all-day events when flags or times are missing', () => {
    expect(
      record('Opportunity', { Id: '006A', StageName: 'closed won', Amount: '10' }),
    ).toMatchObject({
      type: 'deal.closed',
      status: 'won',
      occurredAt: '2026-12-01T00:00:00.000Z',
    });
    expect(
      record('Opportunity', { StageName: 'Closed Won', IsWon: false, IsClosed: true }),
    ).toMatchObject({
      status: 'lost',
    });
    expect(
      record('Opportunity', {
        StageName: 'Prospecting',
        CreatedDate: '2026-11-20T09:00:00.000Z',
        LastModifiedDate: '2026-11-20T09:00:00.000Z',
        Amount: '1e999',
      }),
    ).toMatchObject({ type: 'deal.created', amount: null });
    expect(
      record('Event', { ActivityDate: '2026-12-03', IsAllDayEvent: 'true', WhatId: '001X' }),
    ).toMatchObject({
      type: 'meeting.booked',
      meetingTime: '2026-12-03T00:00:00.000Z',
      dealId: null,
    });
    expect(record('Contact', { Id: '003A' })).toMatchObject({
      type: 'salesforce.Contact',
      dealId: null,
    });
    expect(
      normalizeSalesforceRecord(
        { type: 'Opportunity', fields: { my_outcome__c: outcomeId.toUpperCase() } },
        'n2',
        {},
        { outcomeField: 'My_Outcome__c' },
      ).outcomeId,
    ).toBe(outcomeId);
  });

  it('refuses other operations, bad ids, a missing type and more than 100 notifications', () => {
    const won = crmFixture('salesforce-opportunity-won.xml', fill());
    const notification = won.slice(won.indexOf('<Notification>'), won.indexOf('</notifications>'));
    const cases: Array<[string, RegExp]> = [
      [won.replace(/<OrganizationId>[^<]+</, '<OrganizationId>00D<'), /OrganizationId/],
      [won.replace(/<Notification>[\s\S]*<\/Notification>/, ''), /1 to 100 Notification/],
      [won.replace(notification, notification.repeat(101)), /1 to 100 Notification/],
      [won.replace('xsi:type="sf:Opportunity"', 'xsi:type="sf:"'), /xsi:type/],
      [won.replace('<soapenv:Body>', '<soapenv:Body><extra/>'), /exactly one element/],
      [
        won.replace(
          'http://schemas.xmlsoap.org/soap/envelope/',
          'http://www.w3.org/2003/05/soap-envelope',
        ),
        /SOAP 1.1 Envelope/,
      ],
    ];
    for (const [xml, reason] of cases) {
      expect(() => parseSalesforceOutboundMessage(xml)).toThrow(reason);
    }
    expect(() => parseSalesforceOutboundMessage(new Uint8Array([0x3c, 0xff, 0x3e]))).toThrow(
      WebhookPayloadError,
    );
  });

  it('one message naming a notification twice yields it once', () => {
    const won = crmFixture('salesforce-opportunity-won.xml', fill());
    const notification = won.slice(won.indexOf('<Notification>'), won.indexOf('</notifications>'));
    const twice = won.replace(notification, notification.repeat(2));
    expect(parseSalesforceOutboundMessage(twice).notifications).toHaveLength(1);
  });
});

describe('the SOAP answers', () => {
  it('the Ack is notificationsResponse/Ack = true in the outbound namespace', () => {
    const ack = parseStrictXml(salesforceAck());
    const response = ack.children[0]?.children[0];
    expect(ack).toMatchObject({
      uri: 'http://schemas.xmlsoap.org/soap/envelope/',
      local: 'Envelope',
    });
    expect(response).toMatchObject({
      uri: 'http://soap.sforce.com/2005/09/outbound',
      local: 'notificationsResponse',
    });
    expect(response?.children[0]).toMatchObject({ local: 'Ack', text: 'true' });
  });

  it('a fault escapes its message', () => {
    const fault = parseStrictXml(soapFault('Client', 'bad <input> & "quotes"'));
    const body = fault.children[0]?.children[0];
    expect(body).toMatchObject({ local: 'Fault' });
    expect(body?.children.map((child) => [child.local, child.text])).toEqual([
      ['faultcode', 'soapenv:Client'],
      ['faultstring', 'bad <input> & "quotes"'],
    ]);
  });
});

describe('parseSalesforceFlowWebhook', () => {
  it('reads Salesforce-serialized records, keyed by webhook-id and position', () => {
    const body = crmFixture('salesforce-flow-opportunity.json', fill());
    const delivery = parseSalesforceFlowWebhook(body, { webhookId: 'msg_1' });
    expect(delivery.organizationId).toBe('00D5e000000KQ2eEAG');
    expect(delivery.events).toHaveLength(1);
    expect(delivery.events[0]).toMatchObject({
      eventId: 'flow:msg_1#0',
      type: 'deal.closed',
      status: 'won',
      amount: 15000,
      currency: 'USD',
      outcomeId,
      occurredAt: '2026-11-30T12:00:00.000Z',
    });
    // Without a webhook-id the content decides the key, so a replay keeps it.
    const unsigned = parseSalesforceFlowWebhook(body).events[0]?.eventId;
    expect(unsigned).toMatch(/^flow:h_/);
    expect(parseSalesforceFlowWebhook(body).events[0]?.eventId).toBe(unsigned);
  });

  it('refuses records without an sObject type, or too many of them', () => {
    expect(() => parseSalesforceFlowWebhook('{"records":[{"Id":"0065e00000AbCdEAAV"}]}')).toThrow(
      /records\.0\.attributes/,
    );
    expect(() => parseSalesforceFlowWebhook('{"records":[]}')).toThrow(/records/);
  });
});
