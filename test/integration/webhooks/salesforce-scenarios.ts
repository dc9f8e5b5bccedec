/**
 * Salesforce Outbound Messages (SOAP, with the Ack Salesforce waits for) and the JSON form for Flow
 * HTTP callouts, against a running gateway, with the recorded-shape envelopes of test/fixtures/crm.
 * Run on PGlite and on PostgreSQL (crm-vendors-*.test.ts).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { crmFixture, newSalesforceId } from '../../helpers/crm-fixtures.ts';
import { standardWebhookHeaders } from '../../helpers/webhook-signing.ts';
import {
  type CrmTestBackend,
  crmTestCredentials,
  eventually,
  fingerprint,
  metrics,
  outcome,
  salesforceOrganization18,
  storedEvent,
  track,
} from './crm-vendor-backend.ts';
import { metricValue, postJson } from './gateway-client.ts';

interface SoapResult {
  status: number;
  contentType: string;
  text: string;
}

export async function postSoap(url: string, xml: string): Promise<SoapResult> {
  const response = await fetch(url, {
    method: 'POST',
    // What Salesforce sends: SOAP 1.1 over HTTP.
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
    body: xml,
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
}

const envelopeNamespace = 'http://schemas.xmlsoap.org/soap/envelope/';

export function expectAck(result: SoapResult): void {
  expect(result.status, result.text).toBe(200);
  expect(result.contentType).toMatch(/^text\/xml/);
  expect(result.text).toContain(`:Envelope xmlns:soapenv="${envelopeNamespace}"`);
  expect(result.text).toMatch(
    /<notificationsResponse xmlns="http:\/\/soap\.sforce\.com\/2005\/09\/outbound"><Ack>true<\/Ack><\/notificationsResponse>/,
  );
}

function expectFault(result: SoapResult, status: number, faultString: RegExp): void {
  expect(result.status, result.text).toBe(status);
  expect(result.contentType).toMatch(/^text\/xml/);
  expect(result.text).toContain(`xmlns:soapenv="${envelopeNamespace}"`);
  expect(result.text).toContain('<soapenv:Fault><faultcode>soapenv:Client</faultcode>');
  expect(result.text).toMatch(faultString);
  expect(result.text).not.toContain('Ack');
}

export const salesforceValues = (overrides: Record<string, string> = {}) => ({
  organization_id: salesforceOrganization18,
  notification_id: newSalesforceId('04l'),
  opportunity_id: newSalesforceId('006'),
  outcome_id: '',
  lead_id: '',
  ...overrides,
});

/** An Outbound Message holding the given Notification elements (Salesforce batches up to 100). */
function batch(notifications: readonly string[]): string {
  const template = crmFixture('salesforce-opportunity-won.xml', salesforceValues());
  const start = template.indexOf('<Notification>');
  const end = template.lastIndexOf('</Notification>') + '</Notification>'.length;
  return `${template.slice(0, start)}${notifications.join('\n')}${template.slice(end)}`;
}

function notificationOf(xml: string): string {
  return xml.slice(xml.indexOf('<Notification>'), xml.lastIndexOf('</Notification>') + 15);
}

export function salesforceScenarios(getBackend: () => CrmTestBackend): void {
  describe('Salesforce Outbound Messages (SOAP) and Flow callouts', () => {
    let rejected = 0;
    const soapUrl = (query = '') => `${getBackend().url}/webhooks/crm/salesforce${query}`;

    it('a won Opportunity closes the deal with its Amount; Salesforce retries of the notification are no-ops', async () => {
      const backend = getBackend();
      const outcomeId = await track(backend);
      const won = salesforceValues({ outcome_id: outcomeId.toUpperCase() });
      const sessionId = `00D5e000000KQ2e!AQ0AQ${randomUUID().replaceAll('-', '')}`;
      const xml = crmFixture('salesforce-opportunity-won.xml', won).replace(
        '<SessionId xsi:nil="true"/>',
        `<SessionId>${sessionId}</SessionId>`,
      );
      expectAck(await postSoap(soapUrl(), xml));
      expect(await outcome(backend, outcomeId)).toMatchObject({
        deal_id: won.opportunity_id,
        deal_closed: true,
        deal_value: 12000,
        quality_score: 1,
      });
      const stored = await storedEvent(backend, 'salesforce', won.notification_id);
      expect(stored).toMatchObject({
        status: 'applied',
        event_type: 'deal.closed',
        outcome_id: outcomeId,
      });
      expect(stored.effect).toMatchObject({ deal_value: 12000, deal_currency: 'EUR' });
      // A live Salesforce session must never be written down.
      expect(stored.payload).not.toContain(sessionId);

      const before = await fingerprint(backend);
      expectAck(await postSoap(soapUrl(), xml));
      expectAck(await postSoap(soapUrl(), xml.replace('12000.0', '99000.0')));
      expect(await fingerprint(backend)).toEqual(before);
    });

    it('a lost Opportunity is closed-lost: the deal is linked, no value, not closed', async () => {
      const backend = getBackend();
      const outcomeId = await track(backend);
      const lost = salesforceValues({ outcome_id: outcomeId });
      expectAck(await postSoap(soapUrl(), crmFixture('salesforce-opportunity-lost.xml', lost)));
      expect(await outcome(backend, outcomeId)).toMatchObject({
        deal_id: lost.opportunity_id,
        deal_closed: false,
        deal_value: null,
        quality_score: 0.1,
      });
    });

    it('an updated Opportunity is found through the lead field; an Event books the meeting on it (WhatId)', async () => {
      const backend = getBackend();
      const leadId = `lead_${randomUUID()}`;
      const outcomeId = await track(backend, leadId);
      const opportunity = salesforceValues({ lead_id: leadId });
      const query = `?organization_id=${backend.organizationId}`;
      expectAck(
        await postSoap(
          soapUrl(query),
          crmFixture('salesforce-opportunity-updated.xml', opportunity),
        ),
      );
      expect(await outcome(backend, outcomeId)).toMatchObject({
        deal_id: opportunity.opportunity_id,
        deal_value: 9500,
        deal_closed: false,
        meeting_booked: false,
      });
      const meeting = { ...opportunity, notification_id: newSalesforceId('04l') };
      expectAck(await postSoap(soapUrl(), crmFixture('salesforce-event-meeting.xml', meeting)));
      expect(await outcome(backend, outcomeId)).toMatchObject({
        meeting_booked: true,
        meeting_time: '2026-12-02T15:30:00+00:00',
        quality_score: 0.9,
      });
      expect(await storedEvent(backend, 'salesforce', meeting.notification_id)).toMatchObject({
        status: 'applied',
        event_type: 'meeting.booked',
      });
    });

    it('an Event for an opportunity not known yet is kept unmatched and applied once its outcome is', async () => {
      const backend = getBackend();
      const meeting = salesforceValues();
      expectAck(await postSoap(soapUrl(), crmFixture('salesforce-event-meeting.xml', meeting)));
      expect(await storedEvent(backend, 'salesforce', meeting.notification_id)).toMatchObject({
        status: 'unmatched',
        outcome_id: null,
      });
      const outcomeId = await track(backend);
      const link = { ...meeting, notification_id: newSalesforceId('04l'), outcome_id: outcomeId };
      expectAck(await postSoap(soapUrl(), crmFixture('salesforce-opportunity-lost.xml', link)));
      const reconciled = await eventually(async () => {
        const row = await storedEvent(backend, 'salesforce', meeting.notification_id);
        return row.status === 'reconciled' ? row : null;
      });
      expect(reconciled).toMatchObject({ status: 'reconciled', outcome_id: outcomeId });
      expect(await outcome(backend, outcomeId)).toMatchObject({
        meeting_booked: true,
        meeting_time: '2026-12-02T15:30:00+00:00',
      });
    });

    it('100 notifications in one message: one Ack once all are stored; the retry stores nothing new', async () => {
      const backend = getBackend();
      const outcomes = [await track(backend), await track(backend), await track(backend)];
      const notifications = Array.from({ length: 100 }, (_, index) =>
        notificationOf(
          crmFixture(
            'salesforce-opportunity-won.xml',
            salesforceValues({ outcome_id: outcomes[index % outcomes.length] ?? '' }),
          ),
        ),
      );
      const xml = batch(notifications);
      const eventsBefore = Number((await fingerprint(backend)).events);
      expectAck(await postSoap(soapUrl(), xml));
      const after = await fingerprint(backend);
      expect(Number(after.events)).toBe(eventsBefore + 100);
      for (const id of outcomes) {
        expect(await outcome(backend, id)).toMatchObject({ deal_closed: true, deal_value: 12000 });
      }
      expectAck(await postSoap(soapUrl(), xml));
      expect(await fingerprint(backend)).toEqual(after);
    });

    it('a foreign or missing OrganizationId → 401 SOAP fault, nothing stored; either form of ours is accepted', async () => {
      const backend = getBackend();
      const outcomeId = await track(backend);
      const before = await fingerprint(backend);
      const foreign = salesforceValues({
        organization_id: newSalesforceId('00D'),
        outcome_id: outcomeId,
      });
      for (const xml of [
        crmFixture('salesforce-opportunity-won.xml', foreign),
        crmFixture(
          'salesforce-opportunity-won.xml',
          salesforceValues({ organization_id: '00D5e000000KQ2f' }),
        ),
      ]) {
        const result = await postSoap(soapUrl(), xml);
        rejected += 1;
        expectFault(result, 401, /organization id rejected \(salesforce: unknown_organization\)/);
      }
      expect(await fingerprint(backend)).toEqual(before);
      // The 18-character id is case-insensitive by design (its suffix encodes the case).
      const ours = salesforceValues({
        organization_id: salesforceOrganization18.toLowerCase(),
        outcome_id: outcomeId,
      });
      expectAck(await postSoap(soapUrl(), crmFixture('salesforce-opportunity-lost.xml', ours)));
    });

    it('malformed SOAP → 400 SOAP Client fault, nothing stored (no DTD, no entities, bounded depth)', async () => {
      const backend = getBackend();
      const good = crmFixture(
        'salesforce-opportunity-won.xml',
        salesforceValues({ outcome_id: await track(backend) }),
      );
      const body = good.slice(good.indexOf('<soapenv:Envelope'));
      const xxe = `<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${body.replace('Closed Won', '&xxe;')}`;
      const laughs = `<!DOCTYPE l [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>${body}`;
      const deep = body.replace(
        '<sf:StageName>',
        `${'<x>'.repeat(200)}${'</x>'.repeat(200)}<sf:StageName>`,
      );
      const cases: Array<[string, RegExp]> = [
        ['{"meta": {"entity": "deal"}}', /expected the root element/],
        [good.slice(0, good.indexOf('</notifications>')), /element notifications is not closed/],
        [good.replace('</sf:StageName>', '</sf:Stage>'), /mismatched end tag/],
        [xxe, /DTDs/],
        [laughs, /DTDs/],
        [body.replace('Closed Won', '&nbsp;'), /entity reference/],
        [deep, /nested deeper/],
        [
          good.replace('http://soap.sforce.com/2005/09/outbound', 'urn:other'),
          /expected notifications/,
        ],
        [good.replace(/<Id>[^<]+<\/Id>/, '<Id>not-an-id</Id>'), /Notification 0: Id/],
        [good.replace(/ xsi:type="sf:Opportunity"/, ''), /xsi:type/],
        [batch(Array.from({ length: 101 }, () => notificationOf(good))), /1 to 100 Notification/],
      ];
      const before = await fingerprint(backend);
      for (const [xml, fault] of cases) {
        expectFault(await postSoap(soapUrl(), xml), 400, fault);
      }
      expect(await fingerprint(backend)).toEqual(before);
    });

    it('the Flow JSON form: signed with the CRM secret it closes the deal; a bad signature or foreign org → 401; bad JSON → 400', async () => {
      const backend = getBackend();
      const url = `${backend.url}/webhooks/crm/salesforce/flow`;
      const outcomeId = await track(backend);
      const flow = salesforceValues({ outcome_id: outcomeId });
      const body = crmFixture('salesforce-flow-opportunity.json', flow);
      const webhookId = `msg_${randomUUID()}`;
      const signed = standardWebhookHeaders(crmTestCredentials.crmSecret, webhookId, body);
      const before = await fingerprint(backend);
      const forged = standardWebhookHeaders(crmTestCredentials.crmSecret, webhookId, `${body} `);
      const foreign = body.replace(salesforceOrganization18, newSalesforceId('00D'));
      for (const [payload, headers] of [
        [body, forged],
        [body, {}],
        [foreign, standardWebhookHeaders(crmTestCredentials.crmSecret, webhookId, foreign)],
      ] as const) {
        const result = await postJson(url, payload, headers);
        rejected += 1;
        expect(result.status).toBe(401);
        expect(result.body).toMatchObject({ error: { type: 'authentication_error' } });
      }
      const broken = '{"records": [';
      const malformed = await postJson(
        url,
        broken,
        standardWebhookHeaders(crmTestCredentials.crmSecret, `msg_${randomUUID()}`, broken),
      );
      expect(malformed).toMatchObject({ status: 400, body: { error: { code: 'invalid_json' } } });
      expect(await fingerprint(backend)).toEqual(before);

      expect(await postJson(url, body, signed)).toMatchObject({
        status: 200,
        body: { status: 'processed' },
      });
      expect(await outcome(backend, outcomeId)).toMatchObject({
        deal_id: flow.opportunity_id,
        deal_closed: true,
        deal_value: 15000,
      });
      const stored = await storedEvent(backend, 'salesforce', `flow:${webhookId}#0`);
      expect(stored.effect).toMatchObject({ deal_value: 15000, deal_currency: 'USD' });
      const after = await fingerprint(backend);
      expect(await postJson(url, body, signed)).toMatchObject({ status: 200 });
      expect(await fingerprint(backend)).toEqual(after);
    });

    it('counts refusals and events under source="salesforce"', async () => {
      const exposition = await metrics(getBackend());
      const count = (event: string, result: string) =>
        metricValue(exposition, 'rekindle_webhook_events_total', {
          source: 'salesforce',
          event,
          result,
        });
      expect(count('unknown', 'rejected')).toBe(rejected);
      expect(rejected).toBe(5);
      expect(count('meeting.booked', 'unmatched')).toBe(1);
      expect(count('deal.closed', 'duplicate')).toBe(2 + 100 + 1);
    });
  });
}
