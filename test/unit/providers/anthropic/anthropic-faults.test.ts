import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../../../../src/providers/anthropic/index.ts';
import type { ChatModelProvider } from '../../../../src/providers/chat-model.ts';
import { type AnthropicFake, startAnthropicFake } from '../../../fakes/anthropic-fake.ts';
import { chatRequest, collect, lastPart, neverAborted, rejectionOf } from '../stream-helpers.ts';

let fake: AnthropicFake;
let provider: ChatModelProvider;
const model = 'claude-3-5-haiku-latest';

beforeAll(async () => {
  fake = await startAnthropicFake({ apiKey: 'sk-ant-test' });
  provider = createAnthropicProvider({
    id: 'anthropic',
    baseUrl: fake.url,
    apiKey: 'sk-ant-test',
    anthropicVersion: '2023-06-01',
    defaultMaxTokens: 1024,
    connections: 4,
    timeoutMs: 3_000,
    streamIdleTimeoutMs: 250,
  });
});

afterAll(async () => {
  await provider.close();
  await fake.close();
});

describe('Anthropic provider: errors', () => {
  it('529 overloaded becomes a retryable 503 `overloaded` with Retry-After (issue 13)', async () => {
    fake.enqueue({
      kind: 'error',
      status: 529,
      errorType: 'overloaded_error',
      message: 'Overloaded',
    });
    const error = await rejectionOf(provider.generate(chatRequest({}, model), neverAborted()));
    expect(error).toMatchObject({
      kind: 'upstream',
      status: 503,
      upstreamStatus: 529,
      isRetryable: true,
      code: 'overloaded',
      type: 'server_error',
      headers: { 'retry-after': '2' },
    });
    expect(error.message).toContain('Overloaded');
  });

  it('429 keeps retry-after; 400 invalid_request_error is not retryable', async () => {
    fake.enqueue(
      {
        kind: 'error',
        status: 429,
        errorType: 'rate_limit_error',
        message: 'Rate limited',
        headers: { 'retry-after': '3' },
      },
      {
        kind: 'error',
        status: 400,
        errorType: 'invalid_request_error',
        message: 'messages: roles must alternate',
      },
    );
    expect(
      await rejectionOf(provider.stream(chatRequest({ stream: true }, model), neverAborted())),
    ).toMatchObject({
      status: 429,
      retryAfterMs: 3_000,
      isRetryable: true,
      type: 'rate_limit_error',
    });
    expect(
      await rejectionOf(provider.generate(chatRequest({}, model), neverAborted())),
    ).toMatchObject({
      status: 400,
      isRetryable: false,
      type: 'invalid_request_error',
      code: 'invalid_request_error',
    });
  });

  it('a bad key refused by the upstream is a 502 upstream_auth_error (the client key is fine)', async () => {
    const wrongKey = createAnthropicProvider({
      id: 'anthropic',
      baseUrl: fake.url,
      apiKey: 'wrong',
      timeoutMs: 2_000,
    });
    try {
      expect(
        await rejectionOf(wrongKey.generate(chatRequest({}, model), neverAborted())),
      ).toMatchObject({
        status: 502,
        upstreamStatus: 401,
        code: 'upstream_auth_error',
        isRetryable: false,
      });
    } finally {
      await wrongKey.close();
    }
  });

  it('an error event mid-stream ends with an error part (overloaded: a retryable 503)', async () => {
    fake.enqueue({
      kind: 'error-event',
      afterFrames: 4,
      errorType: 'overloaded_error',
      message: 'Overloaded',
    });
    const parts = await collect(
      await provider.stream(chatRequest({ stream: true }, model), neverAborted()),
    );
    expect(parts.some((part) => part.type === 'finish')).toBe(false);
    expect(lastPart(parts)).toMatchObject({
      type: 'error',
      error: { status: 503, upstreamStatus: 529, isRetryable: true, code: 'overloaded' },
    });
  });

  it('a stream cut before message_stop is an error, not a finish', async () => {
    fake.enqueue({ kind: 'cut-stream', afterFrames: 5 });
    const parts = await collect(
      await provider.stream(chatRequest({ stream: true }, model), neverAborted()),
    );
    expect(lastPart(parts)).toMatchObject({
      type: 'error',
      error: { code: 'upstream_stream_truncated' },
    });
  });

  it('reset before headers, reset mid-stream, hang and stall map to connection and timeout', async () => {
    fake.enqueue({ kind: 'reset-before-headers' });
    expect(
      await rejectionOf(provider.stream(chatRequest({ stream: true }, model), neverAborted())),
    ).toMatchObject({ kind: 'connection', status: 502 });

    fake.enqueue({ kind: 'reset-after-first-chunk' });
    const reset = await collect(
      await provider.stream(chatRequest({ stream: true }, model), neverAborted()),
    );
    expect(reset.map((part) => part.type)).toEqual(['chunk', 'error']);
    expect(lastPart(reset)).toMatchObject({ type: 'error', error: { kind: 'connection' } });

    fake.enqueue({ kind: 'hang' });
    expect(
      await rejectionOf(provider.generate(chatRequest({}, model, 150), neverAborted())),
    ).toMatchObject({ kind: 'timeout', status: 504 });
    await fake.messageRequests().at(-1)?.clientDisconnected;

    fake.enqueue({ kind: 'stall', afterFrames: 3 });
    const stalled = await collect(
      await provider.stream(chatRequest({ stream: true }, model), neverAborted()),
    );
    expect(lastPart(stalled)).toMatchObject({ type: 'error', error: { kind: 'timeout' } });
  });

  it('a client-side translation error is a 400 thrown before any upstream call', async () => {
    const before = fake.messageRequests().length;
    const error = await rejectionOf(
      provider.stream(chatRequest({ stream: true, n: 3 }, model), neverAborted()),
    );
    expect(error).toMatchObject({ status: 400, param: 'n' });
    expect(fake.messageRequests().length).toBe(before);
  });
});
