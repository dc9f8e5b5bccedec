/**
 * Pipedrive webhooks v2 against a running gateway, with the recorded-shape bodies of
 * test/fixtures/crm and the HTTP Basic credentials Pipedrive sends. Run on PGlite and on PostgreSQL
 * (crm-vendors-*.test.ts).
 */
import { randomInt, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { basicAuthorization, crmFixture } from '../../helpers/crm-fixtures.ts';
import {
  type CrmTestBackend,
  crmTestCredentials,
  eventually,
  fingerprint,
  metrics,
  outcome,
  storedEvent,
  track,
} from './crm-vendor-backend.ts';
import { type HttpResult, metricValue, postJson } from './gateway-client.ts';

const companyId = '7730412';
const goodAuth = basicAuthorization(
  crmTestCredentials.pipedriveUser,
  crmTestCredentials.pipedrivePassword,
);

interface PipedriveValues {
  event_id: string;
  deal_id: number;
  activity_id: number;
  outcome_id: string;
  lead_id: string;
}

const values = (overrides: Partial<PipedriveValues> = {}) => ({
  company_id: companyId,
  event_id: randomUUID(),
  deal_id: randomInt(1, 2 ** 31),
  activity_id: randomInt(1, 2 ** 31),
  outcome_id: '',
  lead_id: '',
  ...overrides,
});

const expectProcessed = (result: HttpResult) =>
  expect({ status: result.status, body: result.body }).toEqual({
    status: 200,
    body: { status: 'processed' },
  });

export function pipedriveScenarios(getBackend: () => CrmTestBackend): void {
  describe('Pipedrive webhooks v2 with HTTP Basic credentials', () => {
    let rejected = 0;
    const post = (body: string, headers: Record<string, string> = goodAuth, query = '') =>
      postJson(`${getBackend().url}/webhooks/crm/pipedrive${query}`, body, headers);

    it('a deal created, updated and won: deal id, then value, then closed-won with value and currency; a retry is a no-op', async () => {
      const backend = getBackend();
      const outcomeId = await track(backend);
      const deal = values({ outcome_id: outcomeId });
      expectProcessed(await post(crmFixture('pipedrive-deal-created.json', deal)));
      expect(await outcome(backend, outcomeId)).toMatchObject({
        deal_id: String(deal.deal_id),
        deal_value: 8000,
        deal_closed: false,
        quality_score: 0.1,
      });
      expectProcessed(
        await post(crmFixture('pipedrive-deal-updated.json', { ...deal, event_id: randomUUID() })),
      );
      expect(await outcome(backend, outcomeId)).toMatchObject({
        deal_value: 9500,
        deal_closed: false,
      });

      const won = { ...deal, event_id: randomUUID(), lead_id: 'lead_in_the_crm' };
      const body = crmFixture('pipedrive-deal-won.json', won);
      expectProcessed(await post(body));
      expect(await outcome(backend, outcomeId)).toMatchObject({
        deal_id: String(deal.deal_id),
        deal_closed: true,
        deal_value: 12000,
        quality_score: 1,
      });
      const stored = await storedEvent(backend, 'pipedrive', `${companyId}:${won.event_id}`);
      expect(stored).toMatchObject({
        status: 'applied',
        event_type: 'deal.closed',
        outcome_id: outcomeId,
      });
      expect(stored.effect).toMatchObject({
        flags: ['deal_closed'],
        deal_value: 12000,
        deal_currency: 'EUR',
      });

      // Pipedrive's retry of the same event: same meta.id, next attempt. Nothing changes, still 2xx.
      const before = await fingerprint(backend);
      expectProcessed(await post(body.replace('"attempt": 1', '"attempt": 2')));
      expectProcessed(await post(body.replace('"value": 12000', '"value": 99999')));
      expect(await fingerprint(backend)).toEqual(before);
    });

    it('a lost deal is closed-lost: the deal is linked, its value is not recorded, the outcome is not closed', async () => {
      const backend = getBackend();
      const outcomeId = await track(backend);
      const lost = values({ outcome_id: outcomeId });
      expectProcessed(await post(crmFixture('pipedrive-deal-lost.json', lost)));
      expect(await outcome(backend, outcomeId)).toMatchObject({
        deal_id: String(lost.deal_id),
        deal_closed: false,
        deal_value: null,
        quality_score: 0.1,
      });
      const stored = await storedEvent(backend, 'pipedrive', `${companyId}:${lost.event_id}`);
      expect(stored).toMatchObject({ status: 'applied', event_type: 'deal.closed' });
      expect(stored.effect).toMatchObject({ flags: [], deal_value: null });
    });

    it('a meeting activity books the meeting at its due date and time on the outcome of its deal', async () => {
      const backend = getBackend();
      const outcomeId = await track(backend);
      const deal = values({ outcome_id: outcomeId });
      expectProcessed(await post(crmFixture('pipedrive-deal-created.json', deal)));
      const meeting = crmFixture('pipedrive-activity-meeting.json', {
        ...deal,
        event_id: randomUUID(),
      });
      // A call is not a meeting: stored, ignored.
      const call = crmFixture('pipedrive-activity-meeting.json', {
        ...deal,
        event_id: randomUUID(),
      });
      expectProcessed(await post(call.replace('"type": "meeting"', '"type": "call"')));
      expect(await outcome(backend, outcomeId)).toMatchObject({ meeting_booked: false });
      expectProcessed(await post(meeting, goodAuth, `?organization_id=${backend.organizationId}`));
      expect(await outcome(backend, outcomeId)).toMatchObject({
        meeting_booked: true,
        meeting_time: '2026-12-02T15:30:00+00:00',
        quality_score: 0.9,
      });
    });

    it('wrong, missing or malformed Basic credentials → 401 with WWW-Authenticate, nothing stored', async () => {
      const backend = getBackend();
      const body = crmFixture(
        'pipedrive-deal-won.json',
        values({ outcome_id: await track(backend) }),
      );
      const attempts = [
        basicAuthorization(
          crmTestCredentials.pipedriveUser,
          `${crmTestCredentials.pipedrivePassword}x`,
        ),
        basicAuthorization('someone-else', crmTestCredentials.pipedrivePassword),
        {},
        { authorization: `Bearer ${crmTestCredentials.pipedrivePassword}` },
        { authorization: 'Basic bm8tY29sb24=' },
      ];
      const before = await fingerprint(backend);
      for (const headers of attempts) {
        const result = await post(body, headers);
        rejected += 1;
        expect(result.status).toBe(401);
        expect(result.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
        expect(result.body).toEqual({
          error: {
            message: expect.stringMatching(/credentials/),
            type: 'authentication_error',
            param: null,
            code: 'invalid_credentials',
          },
        });
      }
      expect(await fingerprint(backend)).toEqual(before);
    });

    it('a body that is not JSON, not webhooks v2, or not the documented shape → 400, nothing stored', async () => {
      const backend = getBackend();
      const won = crmFixture(
        'pipedrive-deal-won.json',
        values({ outcome_id: await track(backend) }),
      );
      const v1 = JSON.stringify({
        v: 1,
        meta: { v: 1, action: 'updated', object: 'deal', id: 4711, company_id: 7730412 },
        current: { id: 4711, status: 'won', value: 100 },
        previous: { id: 4711, status: 'open' },
        event: 'updated.deal',
        retry: 0,
      });
      const cases: Array<[string, string | null]> = [
        ['{"meta": {"action": "change"', null],
        [v1, 'meta.version'],
        [won.replace('"entity": "deal",', ''), 'meta.entity'],
        [won.replace('"value": 12000', '"value": "twelve thousand"'), 'data.value'],
        ['[]', null],
      ];
      const before = await fingerprint(backend);
      for (const [body, param] of cases) {
        const result = await post(body);
        expect(result.status, body.slice(0, 60)).toBe(400);
        expect(result.body).toMatchObject({
          error: {
            type: 'invalid_request_error',
            code: expect.stringMatching(/^invalid_(json|webhook_payload)$/),
          },
        });
        if (param !== null) {
          expect((result.body as { error: { param: unknown } }).error.param).toBe(param);
        }
      }
      expect(await fingerprint(backend)).toEqual(before);
    });

    it('an event for a lead not tracked yet is kept unmatched, counted, and applied once the outcome is tracked', async () => {
      const backend = getBackend();
      const leadId = `lead_${randomUUID()}`;
      const won = values({ lead_id: leadId });
      const query = `?organization_id=${backend.organizationId}`;
      expectProcessed(await post(crmFixture('pipedrive-deal-won.json', won), goodAuth, query));
      const eventId = `${companyId}:${won.event_id}`;
      expect(await storedEvent(backend, 'pipedrive', eventId)).toMatchObject({
        status: 'unmatched',
        outcome_id: null,
      });
      const labels = { source: 'pipedrive', event: 'deal.closed', result: 'unmatched' };
      expect(metricValue(await metrics(backend), 'rekindle_webhook_events_total', labels)).toBe(1);

      const outcomeId = await track(backend, leadId);
      const reconciled = await eventually(async () => {
        const row = await storedEvent(backend, 'pipedrive', eventId);
        return row.status === 'reconciled' ? row : null;
      });
      expect(reconciled).toMatchObject({
        status: 'reconciled',
        outcome_id: outcomeId,
        organization_id: backend.organizationId,
      });
      expect(await outcome(backend, outcomeId)).toMatchObject({
        deal_closed: true,
        deal_value: 12000,
        deal_id: String(won.deal_id),
      });
    });

    it('counts refusals and events under source="pipedrive"', async () => {
      const exposition = await metrics(getBackend());
      const count = (event: string, result: string) =>
        metricValue(exposition, 'rekindle_webhook_events_total', {
          source: 'pipedrive',
          event,
          result,
        });
      expect(count('unknown', 'rejected')).toBe(rejected);
      expect(rejected).toBe(5);
      expect(count('deal.closed', 'applied')).toBe(2);
      expect(count('deal.closed', 'duplicate')).toBe(2);
      expect(count('meeting.booked', 'applied')).toBe(1);
      expect(count('other', 'ignored')).toBe(1);
    });
  });
}
