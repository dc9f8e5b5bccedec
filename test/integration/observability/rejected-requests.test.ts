import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import { type OpenAIFake, startOpenAIFake } from '../../fakes/openai-fake.ts';
import { closeSharedPglite } from '../../helpers/pglite.ts';
import { sharedStore, startTestGateway } from '../../helpers/test-gateway.ts';
import { metricValue } from '../router/gateway-probes.ts';

/**
 * Chat completions refused before routing — 400, 401, 404 model_not_found, 413, 429 — are
 * requests too: they appear in `rekindle_requests_total` and `rekindle_request_duration_seconds`
 * (so error-rate panels and alerts see them), with bounded labels: `unknown` for what was never
 * chosen, never the model name a client made up. Routed failures are still counted once.
 */
let fake: OpenAIFake;
let gateway: RunningGateway;
let key: string;
let limitedKey: string;

beforeAll(async () => {
  fake = await startOpenAIFake();
  const store = await sharedStore();
  key = (await store.apiKeys.create({ organizationId: 'org_metrics', rpmLimit: 100_000 })).key;
  limitedKey = (await store.apiKeys.create({ organizationId: 'org_tiny', rpmLimit: 1 })).key;
  gateway = await startTestGateway({
    store,
    env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.url },
    file: {
      server: { body_limit_bytes: 2048 },
      routes: { outreach: { models: ['gpt-4o-mini'], retry: { max_attempts: 1 } } },
    },
  });
});

afterAll(async () => {
  await gateway?.shutdown();
  await fake?.close();
  await closeSharedPglite();
});

const hello = [{ role: 'user', content: 'hello' }];

async function post(body: string | object, authorization: string | null = `Bearer ${key}`) {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(authorization ? { authorization } : {}),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

const refused = (status: string, route = 'unknown') =>
  metricValue(gateway.url, 'rekindle_requests_total', {
    route,
    model: 'unknown',
    provider: 'unknown',
    variant: 'unknown',
    status,
  });

const refusedDuration = (status: string, stream = 'unknown', route = 'unknown') =>
  metricValue(gateway.url, 'rekindle_request_duration_seconds_count', { route, stream, status });

describe('requests refused before routing are counted', () => {
  it('401 without a key, 429 past the limit, 413 over the body limit, 400 bad JSON', async () => {
    expect(await post({ model: 'outreach', messages: hello }, null)).toBe(401);
    expect(await post({ model: 'outreach', messages: hello }, `Bearer ${limitedKey}`)).toBe(200);
    expect(await post({ model: 'outreach', messages: hello }, `Bearer ${limitedKey}`)).toBe(429);
    expect(
      await post({ model: 'outreach', messages: [{ role: 'user', content: 'x'.repeat(4096) }] }),
    ).toBe(413);
    expect(await post('{"model": "outreach", "messages": [')).toBe(400);
    expect(await post({ model: 'outreach', messages: hello, temperature: 9 })).toBe(400);

    expect(await refused('401')).toBe(1);
    expect(await refused('429')).toBe(1);
    expect(await refused('413')).toBe(1);
    expect(await refused('400')).toBe(2);
    for (const status of ['401', '429', '413']) {
      expect(await refusedDuration(status)).toBe(1);
    }
    expect(await refusedDuration('400')).toBe(2);
    // The accepted one is counted as routed, once.
    expect(
      await metricValue(gateway.url, 'rekindle_requests_total', {
        route: 'outreach',
        status: '200',
      }),
    ).toBe(1);
  });

  it('404 model_not_found under `unknown`, never under the name the client sent', async () => {
    for (const model of ['no-such-model-7f3a', 'another-made-up-model-91c2']) {
      expect(await post({ model, stream: true, messages: hello })).toBe(404);
    }
    expect(await refused('404')).toBe(2);
    expect(await refusedDuration('404', 'true')).toBe(2);
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(text).not.toContain('no-such-model-7f3a');
    expect(text).not.toContain('another-made-up-model-91c2');
  });

  it('a failure after routing is counted once, under its route and model', async () => {
    fake.enqueue({
      kind: 'status',
      status: 400,
      body: { error: { message: 'bad', type: 'invalid_request_error', param: null, code: null } },
    });
    const before = (await refused('400')) ?? 0;
    expect(await post({ model: 'outreach', messages: hello })).toBe(400);
    expect(
      await metricValue(gateway.url, 'rekindle_requests_total', {
        route: 'outreach',
        model: 'gpt-4o-mini',
        status: '400',
      }),
    ).toBe(1);
    expect(await refused('400')).toBe(before);
  });
});
