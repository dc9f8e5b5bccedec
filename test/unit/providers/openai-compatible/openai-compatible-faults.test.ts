import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatModelProvider } from '../../../../src/providers/chat-model.ts';
import { ProviderError } from '../../../../src/providers/index.ts';
import { createOpenAICompatibleProvider } from '../../../../src/providers/openai-compatible/index.ts';
import { type OpenAIFake, startOpenAIFake } from '../../../fakes/openai-fake.ts';
import { chatRequest, collect, lastPart, neverAborted, rejectionOf } from '../stream-helpers.ts';

let fake: OpenAIFake;
let provider: ChatModelProvider;

beforeAll(async () => {
  fake = await startOpenAIFake();
  provider = createOpenAICompatibleProvider({
    id: 'openai',
    type: 'openai',
    baseUrl: fake.url,
    apiKey: 'sk-test',
    connections: 8,
    timeoutMs: 3_000,
    streamIdleTimeoutMs: 250,
  });
});

afterAll(async () => {
  await provider.close();
  await fake.close();
});

const rateLimited = {
  kind: 'status' as const,
  status: 429,
  headers: { 'retry-after': '2' },
  body: {
    error: {
      message: 'Rate limit reached for gpt-4o-mini',
      type: 'requests',
      param: null,
      code: 'rate_limit_exceeded',
    },
  },
};

describe('upstream error statuses', () => {
  it('429 keeps the status, Retry-After and the OpenAI code (generate and stream)', async () => {
    fake.enqueue(rateLimited, rateLimited);
    for (const attempt of [
      () => provider.generate(chatRequest({}), neverAborted()),
      () => provider.stream(chatRequest({ stream: true }), neverAborted()),
    ]) {
      const error = await rejectionOf(attempt());
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({
        kind: 'upstream',
        status: 429,
        upstreamStatus: 429,
        retryAfterMs: 2_000,
        isRetryable: true,
        type: 'rate_limit_error',
        code: 'rate_limit_exceeded',
        headers: { 'retry-after': '2' },
      });
      expect(error.message).toContain('Rate limit reached');
    }
  });

  it('prefers retry-after-ms', async () => {
    fake.enqueue({ ...rateLimited, headers: { 'retry-after': '9', 'retry-after-ms': '1500' } });
    const error = await rejectionOf(provider.generate(chatRequest({}), neverAborted()));
    expect(error.retryAfterMs).toBe(1_500);
  });

  it('500 is retryable and keeps the upstream body, truncated, and its type', async () => {
    fake.enqueue({
      kind: 'status',
      status: 500,
      body: `{"error":{"message":"boom","type":"server_error"}}${' '.repeat(5000)}`,
    });
    const error = await rejectionOf(provider.generate(chatRequest({}), neverAborted()));
    expect(error).toMatchObject({
      kind: 'upstream',
      status: 500,
      isRetryable: true,
      type: 'server_error',
    });
    expect(error.upstreamBody?.startsWith('{"error":{"message":"boom"')).toBe(true);
    expect(error.upstreamBody?.length).toBeLessThanOrEqual(2048);
  });

  it('400 keeps param and code and is not retryable', async () => {
    fake.enqueue({
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
    const error = await rejectionOf(
      provider.generate(chatRequest({ temperature: 9 }), neverAborted()),
    );
    expect(error).toMatchObject({
      status: 400,
      isRetryable: false,
      param: 'temperature',
      code: 'invalid_value',
      type: 'invalid_request_error',
    });
  });

  it('401 is a 502 upstream_auth_error that does not echo the upstream message (it is about the gateway key)', async () => {
    fake.enqueue({
      kind: 'status',
      status: 401,
      body: {
        error: {
          message: 'Incorrect API key provided: sk-te**st',
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        },
      },
    });
    const error = await rejectionOf(provider.generate(chatRequest({}), neverAborted()));
    expect(error).toMatchObject({ status: 502, upstreamStatus: 401, code: 'upstream_auth_error' });
    expect(error.message).not.toContain('sk-te');
  });

  it('a 2xx body that is not a completion is a 502, never a success', async () => {
    fake.enqueue({ kind: 'status', status: 200, body: '<html>proxy error</html>' });
    const error = await rejectionOf(provider.generate(chatRequest({}), neverAborted()));
    expect(error).toMatchObject({
      kind: 'upstream',
      status: 502,
      code: 'malformed_upstream_response',
    });
  });
});

describe('connection failures and timeouts', () => {
  it('connection refused → connection error (502, retryable)', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() =>
          resolve(typeof address === 'object' && address !== null ? address.port : 0),
        );
      });
    });
    const unreachable = createOpenAICompatibleProvider({
      id: 'vllm',
      type: 'openai-compatible',
      baseUrl: `http://127.0.0.1:${closedPort}/v1`,
      timeoutMs: 2_000,
    });
    try {
      for (const attempt of [
        () => unreachable.generate(chatRequest({}), neverAborted()),
        () => unreachable.stream(chatRequest({ stream: true }), neverAborted()),
      ]) {
        const error = await rejectionOf(attempt());
        expect(error).toMatchObject({
          kind: 'connection',
          status: 502,
          isRetryable: true,
          provider: 'vllm',
        });
      }
    } finally {
      await unreachable.close();
    }
  });

  it('reset before headers → connection error, thrown by generate and stream', async () => {
    fake.enqueue({ kind: 'reset-before-headers' }, { kind: 'reset-before-headers' });
    for (const attempt of [
      () => provider.generate(chatRequest({}), neverAborted()),
      () => provider.stream(chatRequest({ stream: true }), neverAborted()),
    ]) {
      expect(await rejectionOf(attempt())).toMatchObject({
        kind: 'connection',
        status: 502,
        isRetryable: true,
      });
    }
  });

  it('reset in the middle of a JSON body → connection error', async () => {
    fake.enqueue({ kind: 'reset-after-first-chunk' });
    expect(await rejectionOf(provider.generate(chatRequest({}), neverAborted()))).toMatchObject({
      kind: 'connection',
    });
  });

  it('reset after the first stream chunk → the chunk, then an error part (no finish)', async () => {
    fake.enqueue({ kind: 'reset-after-first-chunk' });
    const parts = await collect(
      await provider.stream(chatRequest({ stream: true }), neverAborted()),
    );
    expect(parts.map((part) => part.type)).toEqual(['chunk', 'error']);
    expect(lastPart(parts)).toMatchObject({
      type: 'error',
      error: { kind: 'connection', status: 502 },
    });
  });

  it('hang → timeout (504) after timeoutMs, and the upstream sees the socket close', async () => {
    fake.enqueue({ kind: 'hang' });
    const started = performance.now();
    const error = await rejectionOf(
      provider.generate(chatRequest({}, 'gpt-4o-mini', 150), neverAborted()),
    );
    expect(error).toMatchObject({
      kind: 'timeout',
      status: 504,
      isRetryable: true,
      type: 'timeout_error',
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    await fake.chatRequests().at(-1)?.clientDisconnected;
  });

  it('a stream whose headers never come → thrown timeout', async () => {
    fake.enqueue({ kind: 'hang' });
    const error = await rejectionOf(
      provider.stream(chatRequest({ stream: true }, 'gpt-4o-mini', 150), neverAborted()),
    );
    expect(error).toMatchObject({ kind: 'timeout', status: 504 });
  });

  it('a stream that stalls between chunks → error part after the idle timeout', async () => {
    fake.enqueue({ kind: 'stall', afterFrames: 2 });
    const parts = await collect(
      await provider.stream(chatRequest({ stream: true }), neverAborted()),
    );
    expect(parts.map((part) => part.type)).toEqual(['chunk', 'text-delta', 'error']);
    expect(lastPart(parts)).toMatchObject({
      type: 'error',
      error: { kind: 'timeout', status: 504 },
    });
    await fake.chatRequests().at(-1)?.clientDisconnected;
  });

  it('a slow consumer is not an upstream stall', async () => {
    fake.enqueue({ kind: 'answer', content: 'a b c' });
    const parts = [];
    for await (const part of await provider.stream(chatRequest({ stream: true }), neverAborted())) {
      if (parts.length === 1) {
        await new Promise((resolve) => setTimeout(resolve, 400)); // idle timeout is 250 ms
      }
      parts.push(part);
    }
    expect(lastPart(parts).type).toBe('finish');
  });
});

describe('truncated and failing streams', () => {
  it('a clean end without [DONE] or finish_reason → error part, never a synthetic finish', async () => {
    fake.enqueue({ kind: 'cut-stream', afterFrames: 3 });
    const parts = await collect(
      await provider.stream(chatRequest({ stream: true }), neverAborted()),
    );
    expect(parts.filter((part) => part.type === 'finish')).toEqual([]);
    expect(lastPart(parts)).toMatchObject({
      type: 'error',
      error: { code: 'upstream_stream_truncated', status: 502 },
    });
  });

  it('an error frame mid-stream → error part carrying the upstream error', async () => {
    fake.enqueue({
      kind: 'error-frame',
      afterFrames: 2,
      error: {
        message: 'The server is overloaded',
        type: 'server_error',
        code: 'overloaded',
        param: null,
      },
    });
    const parts = await collect(
      await provider.stream(chatRequest({ stream: true }), neverAborted()),
    );
    expect(parts.map((part) => part.type)).toEqual(['chunk', 'text-delta', 'error']);
    const last = lastPart(parts);
    expect(last).toMatchObject({ type: 'error', error: { code: 'overloaded', status: 502 } });
    if (last.type === 'error') {
      expect(last.error.message).toContain('The server is overloaded');
    }
  });

  it('an `event: error` frame with a non-JSON body → error part', async () => {
    fake.enqueue({
      kind: 'raw-stream',
      pieces: [
        'data: {"id":"x","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}\n\n',
        'event: error\ndata: upstream exploded\n\n',
      ],
    });
    const parts = await collect(
      await provider.stream(chatRequest({ stream: true }), neverAborted()),
    );
    expect(parts.map((part) => part.type)).toEqual(['text-delta', 'error']);
  });
});

describe('aborts', () => {
  it('an already aborted signal fails without calling the upstream', async () => {
    const before = fake.chatRequests().length;
    const controller = new AbortController();
    controller.abort();
    const error = await rejectionOf(provider.generate(chatRequest({}), controller.signal));
    expect(error).toMatchObject({ kind: 'aborted', isRetryable: false });
    expect(fake.chatRequests().length).toBe(before);
  });

  it('aborting generate closes the upstream socket', async () => {
    fake.enqueue({ kind: 'hang' });
    const before = fake.chatRequests().length;
    const controller = new AbortController();
    const pending = provider.generate(chatRequest({}), controller.signal);
    await waitFor(() => fake.chatRequests().length > before);
    controller.abort();
    expect(await rejectionOf(pending)).toMatchObject({ kind: 'aborted' });
    await fake.chatRequests().at(-1)?.clientDisconnected;
    expect(fake.chatRequests().at(-1)?.disconnectedEarly()).toBe(true);
  });

  it('aborting mid-stream ends with an aborted error part and closes the upstream socket', async () => {
    fake.enqueue({ kind: 'stall', afterFrames: 2 });
    const controller = new AbortController();
    const parts = [];
    for await (const part of await provider.stream(
      chatRequest({ stream: true }, 'gpt-4o-mini', 5_000),
      controller.signal,
    )) {
      parts.push(part);
      if (part.type === 'text-delta') {
        controller.abort();
      }
    }
    expect(lastPart(parts)).toMatchObject({ type: 'error', error: { kind: 'aborted' } });
    await fake.chatRequests().at(-1)?.clientDisconnected;
  });

  it('a consumer that stops reading closes the upstream socket', async () => {
    fake.enqueue({ kind: 'stall', afterFrames: 2 });
    for await (const part of await provider.stream(chatRequest({ stream: true }), neverAborted())) {
      if (part.type === 'text-delta') {
        break;
      }
    }
    await fake.chatRequests().at(-1)?.clientDisconnected;
    expect(fake.chatRequests().at(-1)?.disconnectedEarly()).toBe(true);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 200 && !condition(); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
