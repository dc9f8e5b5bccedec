import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import { type OpenAIFake, startOpenAIFake } from '../../fakes/openai-fake.ts';
import { closeSharedPglite } from '../../helpers/pglite.ts';
import { sharedStore, startTestGateway } from '../../helpers/test-gateway.ts';
import { metricValue } from '../router/gateway-probes.ts';

/**
 * One chat completion, one count: whatever ends a POST /v1/chat/completions — an answer, a stream's
 * last frame, an error frame mid-stream, an upstream failure, a refusal while routing (503) — it
 * adds exactly one to `rekindle_requests_total` and one observation to
 * `rekindle_request_duration_seconds`, under its own labels. Other requests to the same path are
 * not chat completions and are not counted.
 */
let fake: OpenAIFake;
let gateway: RunningGateway;
let key: string;

beforeAll(async () => {
  fake = await startOpenAIFake();
  const store = await sharedStore();
  key = (await store.apiKeys.create({ organizationId: 'org_counted', rpmLimit: 100_000 })).key;
  gateway = await startTestGateway({
    store,
    env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.url },
    file: {
      routes: {
        outreach: { models: ['gpt-4o-mini'], retry: { max_attempts: 1 } },
        // Every model of this route belongs to a provider that is not enabled: 503 while routing.
        stranded: { models: ['anthropic/claude-3-5-haiku-latest'] },
      },
    },
  });
});

afterAll(async () => {
  await gateway?.shutdown();
  await fake?.close();
  await closeSharedPglite();
});

const hello = [{ role: 'user', content: 'hello' }];

async function chat(body: object, method = 'POST', authorization = `Bearer ${key}`) {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method,
    headers: { 'content-type': 'application/json', authorization },
    ...(method === 'POST' ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, text: await response.text() };
}

/** The sum of every series of a metric: how many requests it has counted in all. */
async function total(name: string): Promise<number> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

async function counted(work: () => Promise<unknown>): Promise<{ requests: number; timed: number }> {
  const before = {
    requests: await total('rekindle_requests_total'),
    timed: await total('rekindle_request_duration_seconds_count'),
  };
  await work();
  return {
    requests: (await total('rekindle_requests_total')) - before.requests,
    timed: (await total('rekindle_request_duration_seconds_count')) - before.timed,
  };
}

describe('each chat completion is counted once', () => {
  it('a streamed answer: once, when the stream ended, under its model and stream=true', async () => {
    fake.enqueue({ kind: 'answer', content: 'Hi Dana, a quick note' });
    const delta = await counted(async () => {
      const { status, text } = await chat({ model: 'outreach', stream: true, messages: hello });
      expect(status).toBe(200);
      expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    });
    expect(delta).toEqual({ requests: 1, timed: 1 });
    const labels = { route: 'outreach', model: 'gpt-4o-mini', provider: 'openai', status: '200' };
    expect(await metricValue(gateway.url, 'rekindle_requests_total', labels)).toBe(1);
    expect(
      await metricValue(gateway.url, 'rekindle_request_duration_seconds_count', {
        route: 'outreach',
        stream: 'true',
        status: '200',
      }),
    ).toBe(1);
  });

  it('a stream that fails after its first frame: once, with the error frame’s status', async () => {
    fake.enqueue({ kind: 'error-frame', afterFrames: 2 });
    const delta = await counted(async () => {
      const { status, text } = await chat({ model: 'outreach', stream: true, messages: hello });
      expect(status).toBe(200);
      expect(text).not.toContain('[DONE]');
    });
    expect(delta).toEqual({ requests: 1, timed: 1 });
  });

  it('an answer, and an upstream failure: once each', async () => {
    fake.enqueue({ kind: 'answer' });
    expect(await counted(() => chat({ model: 'outreach', messages: hello }))).toEqual({
      requests: 1,
      timed: 1,
    });
    fake.enqueue({ kind: 'status', status: 500 });
    const failure = await counted(async () => {
      expect((await chat({ model: 'outreach', messages: hello })).status).toBeGreaterThanOrEqual(
        500,
      );
    });
    expect(failure).toEqual({ requests: 1, timed: 1 });
  });

  it('a refusal while routing (503, no model available): once, under the route it named', async () => {
    const delta = await counted(async () => {
      expect((await chat({ model: 'stranded', messages: hello })).status).toBe(503);
    });
    expect(delta).toEqual({ requests: 1, timed: 1 });
    expect(
      await metricValue(gateway.url, 'rekindle_requests_total', {
        route: 'stranded',
        model: 'unknown',
        provider: 'unknown',
        variant: 'unknown',
        status: '503',
      }),
    ).toBe(1);
  });

  it('a GET of the path, with or without a key, is not a chat completion', async () => {
    const delta = await counted(async () => {
      expect((await chat({}, 'GET', 'Bearer not-a-key')).status).toBe(401);
      expect((await chat({}, 'GET')).status).toBe(404);
    });
    expect(delta).toEqual({ requests: 0, timed: 0 });
  });
});
