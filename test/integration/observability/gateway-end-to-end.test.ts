import { randomUUID } from 'node:crypto';
import type OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import { type OpenAIFake, startOpenAIFake } from '../../fakes/openai-fake.ts';
import { closeSharedPglite } from '../../helpers/pglite.ts';
import { prometheusService } from '../../helpers/prometheus-server.ts';
import { describeWithServices } from '../../helpers/services.ts';
import { sharedStore, startTestGateway } from '../../helpers/test-gateway.ts';
import { admin, chat, openaiClient, waitFor } from '../router/gateway-probes.ts';
import { scrapeAndCheckDashboards } from './check-dashboards-against.ts';

/**
 * Must show 3: a real Prometheus scrapes a real gateway (startGateway, real HTTP, fake upstreams)
 * while traffic produces every metric the dashboards and alert rules read — routed and streamed
 * requests, A/B variants after a registry deploy, fallbacks, retries, an open breaker, unpriced
 * models, tracked messages and their outcomes (tracking API and SendGrid webhook), rate-limited and
 * unauthorized requests — then every panel, variable, annotation and rule expression is evaluated
 * through Prometheus's HTTP API: each parses, each panel and variable returns data.
 */
const adminToken = 'admin-token-for-observability';
const metricsToken = 'metrics-token-for-observability';

describeWithServices([prometheusService()], 'a real gateway under a real Prometheus', () => {
  let openai: OpenAIFake;
  let together: OpenAIFake;
  /** The upstream of the `broken-model` deployment: always 500, so its breaker opens. */
  let broken: OpenAIFake;
  let gateway: RunningGateway;
  let client: OpenAI;
  let limitedKey: string;
  let mainKey: string;
  let round = 0;

  beforeAll(async () => {
    openai = await startOpenAIFake();
    together = await startOpenAIFake({ style: 'together' });
    broken = await startOpenAIFake();
    broken.setDefault({
      kind: 'status',
      status: 503,
      body: { error: { message: 'overloaded', type: 'server_error' } },
    });
    const store = await sharedStore();
    mainKey = (
      await store.apiKeys.create({
        organizationId: 'org_observed',
        rpmLimit: 100_000,
        name: 'main',
      })
    ).key;
    limitedKey = (
      await store.apiKeys.create({ organizationId: 'org_limited', rpmLimit: 1, name: 'tiny' })
    ).key;
    gateway = await startTestGateway({
      store,
      env: {
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: openai.url,
        TOGETHER_API_KEY: 'together-test',
        TOGETHER_BASE_URL: together.url,
        REKINDLE_ADMIN_TOKEN: adminToken,
        REKINDLE_METRICS_TOKEN: metricsToken,
      },
      file: {
        providers: { broken: { type: 'openai-compatible', base_url: broken.url, api_key: 'x' } },
        models: [
          {
            name: 'broken-model',
            provider: 'broken',
            upstream_model: 'broken-model',
            input_usd_per_mtok: 1,
            output_usd_per_mtok: 1,
            context_window: 8_000,
          },
        ],
        routes: {
          outreach: {
            models: ['gpt-4o-mini'],
            fallbacks: ['llama-3.1-70b-instruct-turbo'],
            retry: { max_attempts: 2, initial_backoff_ms: 5, max_backoff_ms: 10 },
          },
          fragile: {
            models: ['llama-3.1-70b-instruct-turbo'],
            retry: { max_attempts: 1, initial_backoff_ms: 5, max_backoff_ms: 10 },
          },
          flaky: {
            models: ['broken-model'],
            fallbacks: ['llama-3.1-70b-instruct-turbo'],
            retry: { max_attempts: 1, initial_backoff_ms: 5, max_backoff_ms: 10 },
          },
        },
        // Experiments evaluated every second with one-day outcome windows: the first round's
        // messages are moved three days back (see backdateFirstRound), so their daily cohorts have
        // matured and the experiment gauges have data. No automatic promotion or rollback.
        rollout: {
          reply_window_days: 1,
          meeting_window_days: 1,
          close_window_days: 1,
          evaluation_interval_ms: 1_000,
        },
        // Opens after 3 failures and stays open for the whole test.
        circuit_breaker: {
          failure_threshold: 0.5,
          min_requests: 3,
          window_ms: 60_000,
          cooldown_ms: 600_000,
        },
      },
    });
    client = openaiClient(gateway.url, mainKey);
    const call = (method: string, path: string, body?: unknown) =>
      admin(gateway.url, adminToken, method, path, body);
    await call('POST', '/admin/models', { model_id: 'gpt-4o-mini', model_version: 'obs-v1' });
    await call('POST', '/admin/models', { model_id: 'gpt-4o', model_version: 'obs-v2' });
    await call('PUT', '/admin/routes/outreach/baseline', { model_version: 'obs-v1' });
    const deployed = await call('POST', '/admin/models/obs-v2/deploy', {
      traffic_percentage: 30,
      ab_test_group: 'B',
    });
    expect(deployed.status).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await gateway?.shutdown();
    for (const fake of [openai, together, broken]) {
      await fake?.close();
    }
    await closeSharedPglite();
  });

  /** POSTs with the main key; answers the parsed JSON (or null) and the status. */
  const post = async (path: string, body: unknown, key = mainKey) => {
    const response = await fetch(`${gateway.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  /**
   * Experiment rates count whole UTC days whose outcome windows have closed, which real time inside
   * a test never reaches: the experiment started four days ago and the first round's messages (with
   * every outcome timestamp) were sent three days ago, as far as the store can tell.
   */
  async function backdateFirstRound(): Promise<void> {
    const executor = gateway.store.executor;
    if (!executor) {
      throw new Error('the test store runs SQL');
    }
    await executor.query(
      `update public.model_registry set deployed_at = deployed_at - interval '4 days'
       where route = 'outreach' and deployed_at is not null`,
    );
    const shifted = [
      'created_at',
      'delivered_at',
      'opened_at',
      'clicked_at',
      'replied_at',
      'meeting_booked_at',
      'deal_closed_at',
    ]
      .map((column) => `${column} = ${column} - interval '3 days'`)
      .join(', ');
    await executor.query(
      `update public.outcome_labels set ${shifted} where campaign_id = 'camp_observed' and route = 'outreach'`,
    );
  }

  /** One round of traffic that touches every metric family the dashboards read. */
  async function traffic(): Promise<void> {
    round += 1;
    const outcomeIds: string[] = [];
    // Routed requests for tracked leads: both arms of the A/B split, streamed and not.
    for (let index = 0; index < 16; index += 1) {
      const leadId = `lead-${round}-${index}@observed.test`;
      if (index % 4 === 3) {
        const { response, data } = await client.chat.completions
          .create(
            {
              model: 'outreach',
              messages: [{ role: 'user', content: 'Write an opener.' }],
              stream: true,
              stream_options: { include_usage: true },
            },
            {
              headers: { 'x-rekindle-lead-id': leadId, 'x-rekindle-campaign-id': 'camp_observed' },
            },
          )
          .withResponse();
        for await (const _chunk of data) {
          // drain
        }
        outcomeIds.push(response.headers.get('x-rekindle-outcome-id') ?? '');
      } else {
        const { response } = await client.chat.completions
          .create(
            { model: 'outreach', messages: [{ role: 'user', content: 'Write an opener.' }] },
            {
              headers: { 'x-rekindle-lead-id': leadId, 'x-rekindle-campaign-id': 'camp_observed' },
            },
          )
          .withResponse();
        outcomeIds.push(response.headers.get('x-rekindle-outcome-id') ?? '');
      }
    }
    // A retry (one 500, then an answer) and a fallback (500 twice: retry, then Llama on Together).
    openai.enqueue({
      kind: 'status',
      status: 500,
      body: { error: { message: 'boom', type: 'server_error' } },
    });
    await chat(client, { content: 'retry me' });
    openai.enqueue(
      { kind: 'status', status: 500, body: { error: { message: 'boom', type: 'server_error' } } },
      { kind: 'status', status: 500, body: { error: { message: 'boom', type: 'server_error' } } },
    );
    await chat(client, { content: 'fall back' });
    // The broken deployment: 503s open its breaker, later requests skip it (fallback: circuit_open).
    for (let index = 0; index < 4; index += 1) {
      await chat(client, { model: 'flaky' });
    }
    // A model without a price (provider/model form), and a direct catalog model.
    await chat(client, { model: 'openai/gpt-4o-2099-preview' });
    await chat(client, { model: 'gpt-4o' });
    // A 5xx that reaches the client: the only deployment of `fragile` fails.
    together.enqueue({
      kind: 'status',
      status: 503,
      body: { error: { message: 'busy', type: 'server_error' } },
    });
    const failed = await chat(client, { model: 'fragile' }).catch((error: unknown) => error);
    expect(failed).toMatchObject({ status: 503 });
    // Rate-limited (1 rpm key) and unauthorized requests.
    for (let index = 0; index < 2; index += 1) {
      await chat(openaiClient(gateway.url, limitedKey), {}).catch(() => undefined);
    }
    await chat(openaiClient(gateway.url, 'rk_not_a_real_key'), {}).catch(() => undefined);
    expect((await admin(gateway.url, 'wrong', 'GET', '/admin/models')).status).toBe(401);

    // Outcomes of tracked messages, once the write-behind buffer has stored them.
    const tracked = outcomeIds.filter(Boolean);
    expect(tracked.length).toBe(16);
    const stored = async (outcomeId: string) =>
      (
        await fetch(`${gateway.url}/v1/outcomes/${outcomeId}`, {
          headers: { authorization: `Bearer ${mainKey}` },
        })
      ).status === 200;
    await waitFor(
      async () => (await Promise.all(tracked.map(stored))).every(Boolean),
      10_000,
      'tracked messages to be stored',
    );
    for (const [index, outcomeId] of tracked.entries()) {
      if (index % 2 === 0) {
        const reply = await post(`/v1/outcomes/${outcomeId}/reply`, {
          reply_text: 'Sounds interesting, tell me more.',
        });
        expect(reply.status).toBe(200);
      }
      if (index % 4 === 0) {
        expect(
          (
            await post(`/v1/outcomes/${outcomeId}/meeting`, {
              meeting_time: new Date().toISOString(),
            })
          ).status,
        ).toBe(200);
      }
      if (index % 8 === 0) {
        expect((await post(`/v1/outcomes/${outcomeId}/deal`, { deal_value: 1200 })).status).toBe(
          200,
        );
      }
    }
    const now = Math.floor(Date.now() / 1000);
    const events = tracked.flatMap((outcomeId) =>
      ['delivered', 'open', 'click'].map((event) => ({
        email: 'lead@observed.test',
        timestamp: now,
        event,
        sg_event_id: randomUUID(),
        sg_message_id: `msg-${outcomeId}`,
        rekindle_outcome_id: outcomeId,
      })),
    );
    const webhook = await fetch(`${gateway.url}/webhooks/sendgrid`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(events),
    });
    expect(await webhook.json()).toEqual({ status: 'processed', events: events.length });
    if (round === 1) {
      await backdateFirstRound();
    }
  }

  it('evaluates every dashboard panel and alert rule with data from real traffic', async () => {
    const port = new URL(gateway.url).port;
    const report = await scrapeAndCheckDashboards({
      targets: [`127.0.0.1:${port}`],
      bearerToken: metricsToken,
      traffic,
      expectData: true,
    });
    expect(report.failures).toEqual([]);
    const panels = report.checked.filter((check) => check.query.kind === 'panel');
    expect(panels.length).toBeGreaterThan(40);
    expect(broken.chatRequests().length).toBe(3);
    const experiment = report.checked.find((check) =>
      check.query.source.includes('Experiment: rate'),
    );
    expect(experiment?.seriesCount).toBeGreaterThan(0);
  }, 180_000);
});
