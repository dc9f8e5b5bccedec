import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import { type OpenAIFake, startOpenAIFake } from '../../fakes/openai-fake.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';

/** Issue 2, Must show 3: every error case answers the OpenAI envelope with its status. */
let fake: OpenAIFake;
let gateway: RunningGateway;
let client: OpenAI;

beforeAll(async () => {
  fake = await startOpenAIFake();
  gateway = await startTestGateway({
    env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.url },
    file: {
      server: { body_limit_bytes: 4096 },
      providers: {
        // Nothing listens on port 1: every connection is refused.
        unreachable: { type: 'openai-compatible', base_url: 'http://127.0.0.1:1/v1' },
        slow: {
          type: 'openai-compatible',
          base_url: fake.url,
          api_key: 'sk-test',
          timeout_ms: 300,
        },
      },
    },
  });
  client = new OpenAI({ apiKey: 'sk-any', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await gateway?.shutdown();
  await fake?.close();
});

async function post(body: string | object, headers: Record<string, string> = {}) {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { response, text, json: JSON.parse(text) as { error: Record<string, unknown> } };
}

const hello = [{ role: 'user', content: 'hello' }];

function expectEnvelope(json: { error: Record<string, unknown> }) {
  expect(Object.keys(json)).toEqual(['error']);
  expect(Object.keys(json.error).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(typeof json.error.message).toBe('string');
}

describe('error envelope', () => {
  it('bad JSON → 400', async () => {
    const { response, json } = await post('{"model": "outreach", "messages": [');
    expect(response.status).toBe(400);
    expectEnvelope(json);
    expect(json.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_json' });
    expect(response.headers.get('x-rekindle-request-id')).toBeTruthy();
  });

  it('schema errors → 400 naming the failing param', async () => {
    const missing = await post({ model: 'outreach' });
    expect(missing.response.status).toBe(400);
    expectEnvelope(missing.json);
    expect(missing.json.error.param).toBe('messages');

    const temperature = await post({ model: 'outreach', messages: hello, temperature: 7 });
    expect(temperature.response.status).toBe(400);
    expect(temperature.json.error.param).toBe('temperature');

    const role = await post({ model: 'outreach', messages: [{ role: 'robot', content: 'x' }] });
    expect(role.json.error.param).toBe('messages[0].role');
  });

  it('a body over the limit → 413', async () => {
    const { response, json } = await post({
      model: 'outreach',
      messages: [{ role: 'user', content: 'x'.repeat(10_000) }],
    });
    expect(response.status).toBe(413);
    expectEnvelope(json);
    expect(json.error.code).toBe('request_too_large');
  });

  it('unknown model → 404 model_not_found (and the SDK raises NotFoundError)', async () => {
    const { response, json } = await post({ model: 'gpt-9-ultra', messages: hello });
    expect(response.status).toBe(404);
    expectEnvelope(json);
    expect(json.error).toMatchObject({ code: 'model_not_found', param: 'model' });
    await expect(
      client.chat.completions.create({ model: 'gpt-9-ultra', messages: hello as never }),
    ).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('upstream 429 keeps its status and Retry-After', async () => {
    const limited = {
      kind: 'status',
      status: 429,
      headers: { 'retry-after': '1' },
      body: {
        error: { message: 'slow down', type: 'rate_limit_error', code: 'rate_limit_exceeded' },
      },
    } as const;
    fake.enqueue(limited, limited);
    const { response, json } = await post({ model: 'gpt-4o-mini', messages: hello });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('1');
    expectEnvelope(json);
    expect(json.error.type).toBe('rate_limit_error');
  });

  it('upstream 500 keeps its status', async () => {
    const failure = {
      kind: 'status',
      status: 500,
      body: { error: { message: 'boom', type: 'server_error' } },
    } as const;
    fake.enqueue(failure, failure);
    const { response, json } = await post({ model: 'gpt-4o-mini', messages: hello });
    expect(response.status).toBe(500);
    expectEnvelope(json);
  });

  it('a refused connection → 502', async () => {
    const { response, json } = await post({ model: 'unreachable/some-model', messages: hello });
    expect(response.status).toBe(502);
    expectEnvelope(json);
    expect(json.error.code).toBe('upstream_connection_error');
  });

  it('an upstream that does not answer in time → 504', async () => {
    fake.enqueue({ kind: 'hang' }, { kind: 'hang' });
    const { response, json } = await post({ model: 'slow/gpt-4o-mini', messages: hello });
    expect(response.status).toBe(504);
    expectEnvelope(json);
    expect(json.error.type).toBe('timeout_error');
  });

  it('a stream that fails after its first byte ends with an error frame and no [DONE]', async () => {
    for (const script of [
      { kind: 'reset-after-first-chunk' },
      { kind: 'cut-stream', afterFrames: 2 },
      { kind: 'error-frame', afterFrames: 2 },
    ] as const) {
      fake.enqueue(script);
      const response = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: hello }),
      });
      expect(response.status).toBe(200);
      const frames = (await response.text()).split('\n\n').filter(Boolean);
      expect(frames.length).toBeGreaterThan(1);
      expect(frames).not.toContain('data: [DONE]');
      const last = JSON.parse((frames.at(-1) as string).replace(/^data: /, '')) as {
        error: Record<string, unknown>;
      };
      expectEnvelope(last);
    }
  });

  it('a client that disconnects aborts the upstream request', async () => {
    fake.enqueue({
      kind: 'answer',
      content: 'one two three four five six seven eight nine ten',
      frameDelayMs: 300,
    });
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: 'gpt-4o-mini', stream: true, messages: hello as never },
      { signal: controller.signal },
    );
    const before = fake.chatRequests().length;
    for await (const _chunk of stream) {
      controller.abort();
      break;
    }
    const upstream = fake.chatRequests()[before - 1];
    expect(upstream).toBeDefined();
    await expect(
      Promise.race([
        upstream?.clientDisconnected.then(() => 'disconnected'),
        new Promise((resolve) => setTimeout(() => resolve('still connected'), 5_000)),
      ]),
    ).resolves.toBe('disconnected');
    expect(upstream?.disconnectedEarly()).toBe(true);
  });

  it('unknown endpoints answer the envelope too', async () => {
    const response = await fetch(`${gateway.url}/v1/nothing-here`);
    expect(response.status).toBe(404);
    expectEnvelope((await response.json()) as { error: Record<string, unknown> });
  });
});
