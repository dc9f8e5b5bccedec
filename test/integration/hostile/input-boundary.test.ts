import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import type { Store } from '../../../src/store/index.ts';
import { type OpenAIFake, startOpenAIFake } from '../../fakes/openai-fake.ts';
import { describeWithServices } from '../../helpers/services.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';
import {
  generateStandardWebhookSecret,
  standardWebhookHeaders,
} from '../../helpers/webhook-signing.ts';
import { hostileStoreCases, stopHostileStores } from './hostile-stores.ts';

/**
 * Issue 15, findings 2, 3, 5, 6 and 9 at the HTTP boundary, on PGlite and PostgreSQL: bad input is
 * the request's own 4xx in the OpenAI envelope; what is acknowledged with an outcome id is stored.
 */
const adminToken = 'admin-token-for-hostile-tests';
const crmSecret = generateStandardWebhookSecret();
let openai: OpenAIFake;

beforeAll(async () => {
  openai = await startOpenAIFake();
}, 120_000);
afterAll(async () => {
  await openai?.close();
  await stopHostileStores();
}, 120_000);

interface Answer {
  status: number;
  headers: Headers;
  json: Record<string, unknown>;
}

async function post(
  gateway: RunningGateway,
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: JSON.parse(text) };
}

function expectClientError(answer: Answer): void {
  expect(answer.status, JSON.stringify(answer.json)).toBeGreaterThanOrEqual(400);
  expect(answer.status, JSON.stringify(answer.json)).toBeLessThan(500);
  expect(answer.json.error).toMatchObject({
    message: expect.any(String),
    type: expect.any(String),
  });
  expect(answer.json.error).toHaveProperty('param');
  expect(answer.json.error).toHaveProperty('code');
}

const chatBody = (content: string, metadata: Record<string, unknown> = {}) =>
  JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }], metadata });

for (const storeCase of hostileStoreCases()) {
  describeWithServices(storeCase.services, `input boundary on ${storeCase.name}`, () => {
    let store: Store;
    let gateway: RunningGateway;

    beforeAll(async () => {
      store = await storeCase.open();
      gateway = await startTestGateway({
        store,
        env: {
          OPENAI_API_KEY: 'sk-test',
          OPENAI_BASE_URL: openai.url,
          REKINDLE_ADMIN_TOKEN: adminToken,
          CRM_WEBHOOK_SECRET: crmSecret,
        },
      });
    }, 300_000);
    afterAll(async () => {
      await gateway?.shutdown();
    }, 120_000);

    const stored = async (outcomeId: string | null) => {
      expect(outcomeId).not.toBeNull();
      await gateway.tracking.flush();
      return store.outcomes.get('default', outcomeId ?? '');
    };

    it('finding 2: a 4 KB lead id in metadata or header is a 400, and tracking goes on', async () => {
      const long = 'L'.repeat(4096);
      expectClientError(
        await post(gateway, '/v1/chat/completions', chatBody('hi', { lead_id: long })),
      );
      expectClientError(
        await post(gateway, '/v1/chat/completions', chatBody('hi'), { 'x-rekindle-lead-id': long }),
      );
      expectClientError(
        await post(
          gateway,
          '/v1/chat/completions',
          chatBody('hi', { campaign_id: long, lead_id: 'l' }),
        ),
      );
      const good = await post(
        gateway,
        '/v1/chat/completions',
        chatBody('hi', { lead_id: 'lead-2' }),
      );
      expect(good.status).toBe(200);
      expect(await stored(good.headers.get('x-rekindle-outcome-id'))).toMatchObject({
        lead_id: 'lead-2',
      });
    });

    it('finding 6: NUL or a lone surrogate in an id is a 400, never a 200 that is then lost', async () => {
      for (const metadata of [
        { lead_id: 'lead\u0000x' },
        { lead_id: 'lead\uD800x' },
        { lead_id: 'lead-6', campaign_id: 'camp\uDC00' },
        { lead_id: 'lead-6', lead_company: 'Acme\u0000' },
      ]) {
        const answer = await post(gateway, '/v1/chat/completions', chatBody('hi', metadata));
        expectClientError(answer);
        expect(answer.headers.get('x-rekindle-outcome-id')).toBeNull();
      }
    });

    it('finding 6: NUL and lone surrogates in content and in the reply are stored, replaced', async () => {
      const replaced = async () =>
        (await gateway.metrics.unstorableCharactersReplacedTotal.get()).values[0]?.value ?? 0;
      const before = await replaced();
      // The fake echoes the last user message, so the upstream's reply holds them too.
      const answer = await post(
        gateway,
        '/v1/chat/completions',
        chatBody('hello\u0000 world \uD83D and \uDE00 end', { lead_id: 'lead-6b' }),
      );
      expect(answer.status).toBe(200);
      const row = await stored(answer.headers.get('x-rekindle-outcome-id'));
      expect(row).not.toBeNull();
      const prompt = JSON.stringify(row?.prompt_messages);
      expect(prompt).toContain('hello\uFFFD world \uFFFD and \uFFFD end');
      expect(row?.message_body).toContain('\uFFFD');
      expect(row?.message_body).not.toContain('\u0000');
      const after = await replaced();
      expect(after - before).toBeGreaterThanOrEqual(3);
    });

    it('finding 5: NUL, surrogates and over-range numbers on /v1/outcomes and admin are 4xx', async () => {
      const sent = (extra: Record<string, unknown>) =>
        JSON.stringify({ lead_id: 'lead-5', message_body: 'hi', ...extra });
      for (const body of [
        sent({ lead_id: 'a\u0000b' }),
        sent({ message_body: 'body \uD800' }),
        sent({ campaign_id: 'c\u0000' }),
        sent({ cost_usd: 1e6 }),
        sent({ latency_ms: 2 ** 31 }),
        sent({ lead_id: 'x'.repeat(257) }),
      ]) {
        expectClientError(await post(gateway, '/v1/outcomes', body));
      }
      const created = await post(gateway, '/v1/outcomes', sent({ cost_usd: 999_999.99 }));
      expect(created.status).toBe(200);
      const id = String(created.json.outcome_id);
      expectClientError(await post(gateway, `/v1/outcomes/${id}/deal`, '{"deal_value":1e12}'));
      expectClientError(
        await post(gateway, `/v1/outcomes/${id}/reply`, '{"reply_text":"yes\\u0000"}'),
      );
      const deal = await post(gateway, `/v1/outcomes/${id}/deal`, '{"deal_value":999999999999.99}');
      expect(deal.status).toBe(200);
      const admin = { authorization: `Bearer ${adminToken}` };
      for (const body of [
        { organization_id: 'acme', rpm: 2 ** 31 },
        { organization_id: 'ac\u0000me' },
        { organization_id: 'acme', name: 'n\uD800' },
      ]) {
        expectClientError(await post(gateway, '/admin/keys', JSON.stringify(body), admin));
      }
    });

    it('finding 5: a body nested 100,000 levels deep is a 400 on every JSON endpoint', async () => {
      const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
      const crm = `{"lead_id":"lead-5","status":"open","x":${deep}}`;
      const sendgrid = `[{"event":"delivered","email":"a@example.com","timestamp":1765000000,"x":${deep}}]`;
      for (const [path, body, headers] of [
        [
          '/v1/chat/completions',
          `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"x":${deep}}`,
          {},
        ],
        [
          '/v1/outcomes',
          `{"lead_id":"lead-5","message_body":"hi","agent_decisions":{"x":${deep}}}`,
          {},
        ],
        ['/webhooks/sendgrid', sendgrid, {}],
        ['/webhooks/crm', crm, standardWebhookHeaders(crmSecret, 'deep-1', crm)],
        [
          '/admin/keys',
          `{"organization_id":"acme","x":${deep}}`,
          { authorization: `Bearer ${adminToken}` },
        ],
      ] as const) {
        expectClientError(await post(gateway, path, body, headers));
      }
    });

    it('finding 5: a blank SendGrid event or a year-11000 timestamp is kept as malformed, the good events stored', async () => {
      const created = await post(
        gateway,
        '/v1/outcomes',
        JSON.stringify({ lead_id: 'lead-sg', message_body: 'hi' }),
      );
      const outcomeId = String(created.json.outcome_id);
      const body = JSON.stringify([
        { event: ' ', email: 'a@example.com', timestamp: 1_765_000_000, sg_event_id: 'sg-blank' },
        {
          event: 'open',
          email: 'a@example.com',
          timestamp: 300_000_000_000,
          sg_event_id: 'sg-far',
        },
        {
          event: 'delivered',
          email: 'a@example.com',
          timestamp: 1_765_000_000,
          sg_event_id: 'sg-good',
          rekindle_outcome_id: outcomeId,
        },
      ]);
      const answer = await post(gateway, '/webhooks/sendgrid', body);
      expect(answer.status, JSON.stringify(answer.json)).toBe(200);
      expect(await store.outcomes.get('default', outcomeId)).toMatchObject({ delivered: true });
    });

    it('finding 3: a CRM amount its column cannot hold is a 400, and a good one is stored', async () => {
      const created = await post(
        gateway,
        '/v1/outcomes',
        JSON.stringify({ lead_id: 'lead-3', message_body: 'hi' }),
      );
      const outcomeId = String(created.json.outcome_id);
      for (const amount of [1e12, '1000000000000']) {
        const body = JSON.stringify({ outcome_id: outcomeId, status: 'closed_won', amount });
        const answer = await post(
          gateway,
          '/webhooks/crm',
          body,
          standardWebhookHeaders(crmSecret, `amount-${String(amount)}`, body),
        );
        expectClientError(answer);
      }
      const body = JSON.stringify({ outcome_id: outcomeId, status: 'closed_won', amount: 15000 });
      const answer = await post(
        gateway,
        '/webhooks/crm',
        body,
        standardWebhookHeaders(crmSecret, 'amount-ok', body),
      );
      expect(answer.status).toBe(200);
      expect(await store.outcomes.get('default', outcomeId)).toMatchObject({ deal_value: 15000 });
    });

    it('finding 9: CRM dates are strict RFC 3339 / ISO 8601 with real calendar days', async () => {
      for (const [index, meetingTime] of [
        "' OR '1'='1",
        '2026-02-30T10:00:00Z',
        '2026-02-30',
        'March 3, 2026',
        '2026-13-01T00:00:00Z',
      ].entries()) {
        const body = JSON.stringify({ lead_id: 'lead-9', meeting_time: meetingTime });
        const answer = await post(
          gateway,
          '/webhooks/crm',
          body,
          standardWebhookHeaders(crmSecret, `date-${index}`, body),
        );
        expectClientError(answer);
      }
      const body = JSON.stringify({ lead_id: 'lead-9', meeting_time: '2028-02-29T10:00:00+02:00' });
      const answer = await post(
        gateway,
        '/webhooks/crm',
        body,
        standardWebhookHeaders(crmSecret, 'date-ok', body),
      );
      expect(answer.status).toBe(200);
    });
  });
}
