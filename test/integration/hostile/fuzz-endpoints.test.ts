import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import type { Store } from '../../../src/store/index.ts';
import { type OpenAIFake, startOpenAIFake } from '../../fakes/openai-fake.ts';
import { closeSharedPglite, sharedStore } from '../../helpers/pglite.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';
import { mutatedBody, nastyString } from './fuzz-arbitraries.ts';

/**
 * Issue 15, must-show 1: generated hostile input against every public JSON endpoint of one real
 * gateway (PGlite store, the OpenAI fake upstream). Over 5,000 cases per run, and for each: no 5xx,
 * every error in the OpenAI envelope; at the end the process still answers, no breaker opened, and
 * every outcome id a 2xx handed out has its row. Seeded from fast-check's own random seed: a
 * failure prints the seed and the shrunk counterexample to replay.
 */
const adminToken = 'fuzz-admin-token';
let openai: OpenAIFake;
let gateway: RunningGateway;
let store: Store;
let outcomeId = '';
const handedOut: string[] = [];
let cases = 0;

beforeAll(async () => {
  openai = await startOpenAIFake({ recordRequests: false });
  store = await sharedStore();
  gateway = await startTestGateway({
    store,
    env: {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: openai.url,
      REKINDLE_ADMIN_TOKEN: adminToken,
    },
    file: {
      rate_limit: { default_rpm: 1_000_000 },
      circuit_breaker: { min_requests: 2, failure_threshold: 0.5, cooldown_ms: 60_000 },
    },
  });
  const created = await fetch(`${gateway.url}/v1/outcomes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ lead_id: 'fuzz-lead', message_body: 'hello' }),
  });
  outcomeId = String(((await created.json()) as { outcome_id: string }).outcome_id);
}, 300_000);

afterAll(async () => {
  await gateway?.shutdown();
  await openai?.close();
  await closeSharedPglite();
}, 120_000);

async function send(path: string, body: string, headers: Record<string, string> = {}) {
  cases += 1;
  let response: Response;
  try {
    response = await fetch(`${gateway.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
  } catch (error) {
    // A header value fetch itself refuses (NUL, non-Latin-1) never reaches the gateway.
    if (error instanceof TypeError && Object.keys(headers).length > 0) {
      return;
    }
    throw error;
  }
  const text = await response.text();
  expect(response.status, `${path} ${body.slice(0, 200)} → ${text.slice(0, 300)}`).toBeLessThan(
    500,
  );
  if (response.status >= 400) {
    const envelope = JSON.parse(text) as { error?: Record<string, unknown> };
    expect(envelope.error).toMatchObject({ message: expect.any(String), type: expect.any(String) });
    expect(envelope.error).toHaveProperty('param');
    expect(envelope.error).toHaveProperty('code');
    return;
  }
  const id = response.headers.get('x-rekindle-outcome-id');
  if (id !== null) {
    handedOut.push(id);
  }
  if (path === '/v1/outcomes') {
    handedOut.push(String((JSON.parse(text) as { outcome_id: unknown }).outcome_id));
  }
}

const chatBase = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'hi' }],
  metadata: { lead_id: 'fuzz-lead', campaign_id: 'fuzz-campaign' },
};

describe('fuzzing every public endpoint', () => {
  it('chat completions: mutated bodies, metadata, content and headers', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedBody(chatBase), async (body) => send('/v1/chat/completions', body)),
      { numRuns: 600 },
    );
    await fc.assert(
      fc.asyncProperty(nastyString, nastyString, nastyString, async (content, lead, campaign) =>
        send(
          '/v1/chat/completions',
          JSON.stringify({
            model: 'gpt-4o-mini',
            messages: [{ role: 'user', content: content === '' ? 'x' : content }],
            metadata: { lead_id: lead, campaign_id: campaign },
          }),
        ),
      ),
      { numRuns: 500 },
    );
    await fc.assert(
      fc.asyncProperty(nastyString, async (lead) =>
        send('/v1/chat/completions', JSON.stringify({ ...chatBase, metadata: {} }), {
          'x-rekindle-lead-id': lead,
        }),
      ),
      { numRuns: 200 },
    );
  }, 120_000);

  it('the tracking API: message sent, reply, meeting, deal', async () => {
    const sent = {
      lead_id: 'fuzz-lead',
      campaign_id: 'c',
      message_body: 'hello',
      cost_usd: 0.001,
      latency_ms: 12,
      agent_decisions: { framework: 'PAS' },
    };
    await fc.assert(
      fc.asyncProperty(mutatedBody(sent), async (body) => send('/v1/outcomes', body)),
      { numRuns: 1_000 },
    );
    for (const [suffix, base] of [
      ['reply', { reply_text: 'yes', sentiment_score: 0.5, replied_at: '2026-12-01T10:00:00Z' }],
      ['meeting', { meeting_time: '2026-12-02T10:00:00Z' }],
      ['deal', { deal_value: 1000, closed_at: '2026-12-03T10:00:00Z' }],
    ] as const) {
      await fc.assert(
        fc.asyncProperty(mutatedBody(base), async (body) =>
          send(`/v1/outcomes/${outcomeId}/${suffix}`, body),
        ),
        { numRuns: 350 },
      );
    }
  }, 120_000);

  it('webhooks: SendGrid batches and CRM events', async () => {
    const event = {
      event: 'delivered',
      email: 'a@example.com',
      timestamp: 1_765_000_000,
      sg_event_id: 'e1',
      rekindle_outcome_id: outcomeId,
    };
    await fc.assert(
      fc.asyncProperty(mutatedBody(event), async (body) => send('/webhooks/sendgrid', `[${body}]`)),
      { numRuns: 700 },
    );
    const crm = {
      outcome_id: outcomeId,
      status: 'closed_won',
      amount: 10,
      meeting_time: '2026-12-04T10:00:00Z',
    };
    await fc.assert(
      fc.asyncProperty(mutatedBody(crm), async (body) => send('/webhooks/crm', body)),
      { numRuns: 700 },
    );
  }, 120_000);

  it('admin: key creation', async () => {
    await fc.assert(
      fc.asyncProperty(
        mutatedBody({ organization_id: 'fuzz_org', rpm: 100, name: 'k' }),
        async (body) => send('/admin/keys', body, { authorization: `Bearer ${adminToken}` }),
      ),
      { numRuns: 300 },
    );
  }, 120_000);

  it('after it all: ≥ 5,000 cases, alive, no breaker open, every handed-out outcome id stored', async () => {
    expect(cases).toBeGreaterThanOrEqual(5_000);
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    const states = Object.values(gateway.router.breakers.snapshot(Date.now()));
    expect(states.filter((state) => state !== 'closed')).toEqual([]);
    await gateway.tracking.flush();
    expect(handedOut.length).toBeGreaterThan(100);
    const missing: string[] = [];
    for (const id of handedOut) {
      if ((await store.outcomes.get('default', id)) === null) {
        missing.push(id);
      }
    }
    expect(missing).toEqual([]);
  }, 120_000);
});
