import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import { type OpenAIFake, startOpenAIFake } from '../../fakes/openai-fake.ts';
import { closeSharedPglite } from '../../helpers/pglite.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';
import {
  admin,
  chat,
  metricValue,
  openaiClient,
  requestedModel,
  waitFor,
} from './gateway-probes.ts';

/**
 * Must show 2, through real HTTP: the first model's upstream (OpenAI, a fake) answers 500, hangs or
 * resets; requests succeed through the fallback (Llama 70B on Together, another fake), streamed ones
 * too, before their first byte. Repeated failures open the breaker and the failing upstream stops
 * being called; after the cooldown one probe goes through. A 429 is retried after `retry-after` on a
 * single-model route; a 400 is not retried anywhere.
 */
const token = 'admin-token-for-resilience-tests';
const llama = 'meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo';
const serverError = {
  kind: 'status',
  status: 500,
  body: {
    error: { message: 'The server had an error', type: 'server_error', param: null, code: null },
  },
} as const;
const answer = { kind: 'answer' } as const;

let openai: OpenAIFake;
let together: OpenAIFake;

beforeAll(async () => {
  openai = await startOpenAIFake();
  together = await startOpenAIFake({ style: 'together' });
});

afterAll(async () => {
  await openai?.close();
  await together?.close();
  await closeSharedPglite();
});

function startGateway(circuitBreaker: Record<string, number>) {
  return startTestGateway({
    env: {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: openai.url,
      TOGETHER_API_KEY: 'together-test',
      TOGETHER_BASE_URL: together.url,
      REKINDLE_ADMIN_TOKEN: token,
    },
    file: {
      routes: {
        outreach: {
          models: ['gpt-4o-mini'],
          fallbacks: ['llama-3.1-70b-instruct-turbo'],
          retry: { max_attempts: 2, initial_backoff_ms: 10, max_backoff_ms: 20 },
          attempt_timeout_ms: 400,
        },
        single: {
          models: ['gpt-4o-mini'],
          retry: { max_attempts: 3, initial_backoff_ms: 10, max_backoff_ms: 20 },
        },
      },
      circuit_breaker: circuitBreaker,
      rate_limit: { default_rpm: 1_000_000 },
    },
  });
}

async function streamText(client: OpenAI, model = 'outreach') {
  const { data, response } = await client.chat.completions
    .create({
      model,
      messages: [{ role: 'user', content: 'Write a short opener.' }],
      stream: true,
      stream_options: { include_usage: true },
    })
    .withResponse();
  let text = '';
  for await (const chunk of data) {
    text += chunk.choices[0]?.delta?.content ?? '';
  }
  return { text, model: response.headers.get('x-rekindle-model') };
}

const counts = () => ({
  openai: openai.chatRequests().length,
  together: together.chatRequests().length,
});

describe('fallbacks, timeouts, retries (breaker kept closed)', () => {
  let gateway: RunningGateway;
  let client: OpenAI;

  beforeAll(async () => {
    gateway = await startGateway({ min_requests: 10_000 });
    client = openaiClient(gateway.url);
  });

  afterAll(async () => {
    await gateway?.shutdown();
    openai.setDefault(answer);
  });

  it('falls back to Llama on Together when OpenAI answers 500, streamed or not', async () => {
    openai.setDefault(serverError);
    const before = counts();
    const routed = await chat(client, { leadId: 'lead-500' });
    expect(routed.model).toBe('llama-3.1-70b-instruct-turbo');
    expect(routed.text).toMatch(`Hello from ${llama}`);
    // One retry on the failing model (max_attempts 2), then the fallback.
    expect(counts()).toEqual({ openai: before.openai + 2, together: before.together + 1 });
    expect(requestedModel(together.chatRequests().at(-1))).toBe(llama);

    const streamed = await streamText(client);
    expect(streamed.model).toBe('llama-3.1-70b-instruct-turbo');
    expect(streamed.text).toMatch(`Hello from ${llama}`);
    expect(counts()).toEqual({ openai: before.openai + 4, together: before.together + 2 });

    const labels = {
      route: 'outreach',
      from_model: 'gpt-4o-mini',
      to_model: 'llama-3.1-70b-instruct-turbo',
      reason: '500',
    };
    expect(await metricValue(gateway.url, 'rekindle_fallbacks_total', labels)).toBe(2);
    expect(
      await metricValue(gateway.url, 'rekindle_retries_total', {
        route: 'outreach',
        model: 'gpt-4o-mini',
        reason: '500',
      }),
    ).toBe(2);
  });

  it('gives up on a hanging upstream after the per-attempt timeout and falls back, streamed or not', async () => {
    openai.setDefault({ kind: 'hang' });
    for (const mode of ['json', 'stream'] as const) {
      const before = counts();
      const started = performance.now();
      const routed = mode === 'json' ? await chat(client, {}) : await streamText(client);
      const elapsed = performance.now() - started;
      expect(routed.model).toBe('llama-3.1-70b-instruct-turbo');
      expect(routed.text).toMatch(`Hello from ${llama}`);
      // Two attempts of 400 ms each, then the fallback; never the 120 s provider default.
      expect(elapsed).toBeGreaterThanOrEqual(790);
      expect(elapsed).toBeLessThan(3_000);
      const hung = openai.chatRequests().slice(before.openai);
      expect(hung).toHaveLength(2);
      // The abandoned upstream requests were cancelled, not left open.
      await Promise.all(hung.map((request) => request.clientDisconnected));
      expect(counts().together).toBe(before.together + 1);
    }
    expect(
      await metricValue(gateway.url, 'rekindle_fallbacks_total', {
        route: 'outreach',
        from_model: 'gpt-4o-mini',
        reason: 'timeout',
      }),
    ).toBe(2);
  });

  it('falls back before the first streamed byte when the connection resets', async () => {
    openai.setDefault({ kind: 'reset-before-headers' });
    const streamed = await streamText(client);
    expect(streamed.model).toBe('llama-3.1-70b-instruct-turbo');
    expect(streamed.text).toMatch(`Hello from ${llama}`);
  });

  it('waits out retry-after on a 429 when the route has no other model', async () => {
    openai.setDefault(answer);
    openai.enqueue({
      kind: 'status',
      status: 429,
      headers: { 'retry-after': '1' },
      body: {
        error: {
          message: 'Rate limit reached',
          type: 'requests',
          param: null,
          code: 'rate_limit_exceeded',
        },
      },
    });
    const before = counts();
    const started = performance.now();
    const routed = await chat(client, { model: 'single' });
    const elapsed = performance.now() - started;
    expect(routed.model).toBe('gpt-4o-mini');
    expect(elapsed).toBeGreaterThanOrEqual(990);
    expect(elapsed).toBeLessThan(4_000);
    expect(counts()).toEqual({ openai: before.openai + 2, together: before.together });
    expect(
      await metricValue(gateway.url, 'rekindle_retries_total', { route: 'single', reason: '429' }),
    ).toBe(1);
  });

  it('neither retries nor falls back on a 400', async () => {
    openai.enqueue({
      kind: 'status',
      status: 400,
      body: {
        error: {
          message: "Invalid value for 'temperature'",
          type: 'invalid_request_error',
          param: 'temperature',
          code: 'invalid_value',
        },
      },
    });
    const before = counts();
    const failure = await chat(client, {}).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect((failure as InstanceType<typeof OpenAI.BadRequestError>).error).toMatchObject({
      type: 'invalid_request_error',
    });
    expect(counts()).toEqual({ openai: before.openai + 1, together: before.together });
  });
});

describe('circuit breaker', () => {
  let gateway: RunningGateway;
  let client: OpenAI;
  const circuitOpen = () =>
    metricValue(gateway.url, 'rekindle_circuit_open', { model: 'gpt-4o-mini' });

  beforeAll(async () => {
    gateway = await startGateway({
      failure_threshold: 0.5,
      min_requests: 4,
      window_ms: 60_000,
      cooldown_ms: 1_500,
    });
    client = openaiClient(gateway.url);
  });

  afterAll(async () => {
    await gateway?.shutdown();
    openai.setDefault(answer);
  });

  it('opens after repeated failures, stops calling the failing upstream, and probes after the cooldown', async () => {
    openai.setDefault(serverError);
    const before = counts();
    // Two requests × two attempts = four failures: the minimum volume, all failed.
    for (let index = 0; index < 2; index += 1) {
      expect((await chat(client, {})).model).toBe('llama-3.1-70b-instruct-turbo');
    }
    expect(counts().openai).toBe(before.openai + 4);
    expect(await circuitOpen()).toBe(1);
    const report = await admin(gateway.url, token, 'GET', '/admin/router/report');
    expect(report.body.circuit_breakers['openai/gpt-4o-mini']).toBe('open');

    const whileOpen = counts();
    for (let index = 0; index < 10; index += 1) {
      const routed = index % 2 === 0 ? await chat(client, {}) : await streamText(client);
      expect(routed.model).toBe('llama-3.1-70b-instruct-turbo');
    }
    expect(counts()).toEqual({ openai: whileOpen.openai, together: whileOpen.together + 10 });
    expect(
      await metricValue(gateway.url, 'rekindle_fallbacks_total', {
        route: 'outreach',
        from_model: 'gpt-4o-mini',
        reason: 'circuit_open',
      }),
    ).toBe(10);

    // The upstream recovers; after the cooldown exactly one probe goes to it and closes the breaker.
    openai.setDefault(answer);
    // The probe answers slowly, so the request beside it arrives while the probe is in flight.
    openai.enqueue({ kind: 'answer', delayMs: 300 });
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    const [probe, second] = await Promise.all([chat(client, {}), chat(client, {})]);
    expect([probe.model, second.model].sort()).toEqual([
      'gpt-4o-mini',
      'llama-3.1-70b-instruct-turbo',
    ]);
    expect(counts().openai).toBe(whileOpen.openai + 1);
    await waitFor(async () => (await circuitOpen()) === 0, 2_000, 'the breaker to close');
    expect((await chat(client, {})).model).toBe('gpt-4o-mini');
    expect(counts().openai).toBe(whileOpen.openai + 2);
  }, 20_000);
});
