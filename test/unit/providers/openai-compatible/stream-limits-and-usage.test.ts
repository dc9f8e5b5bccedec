import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatModelProvider, ChatStreamPart } from '../../../../src/providers/chat-model.ts';
import { createOpenAICompatibleProvider } from '../../../../src/providers/openai-compatible/index.ts';
import { type OpenAIFake, startOpenAIFake } from '../../../fakes/openai-fake.ts';
import { chatRequest, collect, lastPart, neverAborted, textOf } from '../stream-helpers.ts';

/**
 * A stream's own limits, per request (what the router passes): the time between two chunks, and
 * the whole stream's time budget however steadily chunks arrive. And Together's usage on its last
 * content chunk: split into a usage part, the content chunk relayed without it.
 */
let fake: OpenAIFake;
let together: OpenAIFake;
let provider: ChatModelProvider;
let togetherProvider: ChatModelProvider;

beforeAll(async () => {
  fake = await startOpenAIFake();
  together = await startOpenAIFake({ style: 'together', usageOnLastContentChunk: true });
  // The provider's own idle limit is long: a shorter one can only come from the request.
  provider = createOpenAICompatibleProvider({
    id: 'openai',
    type: 'openai',
    baseUrl: fake.url,
    apiKey: 'sk-test',
    timeoutMs: 5_000,
    streamIdleTimeoutMs: 30_000,
  });
  togetherProvider = createOpenAICompatibleProvider({
    id: 'together',
    type: 'together',
    baseUrl: together.url,
    apiKey: 'together-test',
  });
});

afterAll(async () => {
  await provider.close();
  await togetherProvider.close();
  await fake.close();
  await together.close();
});

function streamRequest(limits: { streamIdleTimeoutMs?: number; streamTimeoutMs?: number }) {
  return { ...chatRequest({ stream: true }), timeoutMs: 5_000, ...limits };
}

describe('stream limits', () => {
  it('the request’s idle limit ends a stalled stream, and closes the upstream request', async () => {
    fake.enqueue({ kind: 'stall', afterFrames: 2 });
    const started = performance.now();
    const parts = await collect(
      await provider.stream(streamRequest({ streamIdleTimeoutMs: 200 }), neverAborted()),
    );
    const elapsed = performance.now() - started;
    expect(parts.map((part) => part.type)).toEqual(['chunk', 'text-delta', 'error']);
    expect(lastPart(parts)).toMatchObject({
      type: 'error',
      error: { kind: 'timeout', status: 504, code: 'upstream_timeout' },
    });
    expect((lastPart(parts) as { error: Error }).error.message).toMatch(/stalled/);
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(2_000);
    await fake.chatRequests().at(-1)?.clientDisconnected;
    expect(fake.chatRequests().at(-1)?.disconnectedEarly()).toBe(true);
  });

  it('the total budget ends a stream whose chunks keep coming, well before its end', async () => {
    // 30 words, one every 60 ms (≈ 1.9 s in all): never idle for long, over a 500 ms budget.
    const content = Array.from({ length: 30 }, (_, index) => `w${index}`).join(' ');
    fake.enqueue({ kind: 'answer', content, frameDelayMs: 60 });
    const started = performance.now();
    const parts = await collect(
      await provider.stream(
        streamRequest({ streamIdleTimeoutMs: 300, streamTimeoutMs: 500 }),
        neverAborted(),
      ),
    );
    const elapsed = performance.now() - started;
    expect(lastPart(parts)).toMatchObject({ type: 'error', error: { kind: 'timeout' } });
    expect((lastPart(parts) as { error: Error }).error.message).toMatch(/total timeout/);
    expect(textOf(parts).length).toBeGreaterThan(0);
    expect(textOf(parts)).not.toBe(content);
    expect(elapsed).toBeGreaterThanOrEqual(480);
    expect(elapsed).toBeLessThan(1_500);
    await fake.chatRequests().at(-1)?.clientDisconnected;
  });

  it('a stream that finishes within both limits is not cut afterwards', async () => {
    fake.enqueue({ kind: 'answer', content: 'a b c', frameDelayMs: 20 });
    const parts = await collect(
      await provider.stream(
        streamRequest({ streamIdleTimeoutMs: 300, streamTimeoutMs: 400 }),
        neverAborted(),
      ),
    );
    expect(parts.filter((part) => part.type === 'error')).toEqual([]);
    expect(lastPart(parts).type).toBe('finish');
    expect(textOf(parts)).toBe('a b c');
  });
});

describe('Together’s usage on its last content chunk', () => {
  it('becomes a usage part after the chunk, which is relayed without it', async () => {
    together.enqueue({
      kind: 'answer',
      content: 'Hi Dana, quick note',
      usage: { prompt_tokens: 12, completion_tokens: 5 },
    });
    const parts = await collect(
      await togetherProvider.stream(
        chatRequest({ stream: true }, 'meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo'),
        neverAborted(),
      ),
    );
    expect(textOf(parts)).toBe('Hi Dana, quick note');
    const deltas = parts.filter(
      (part): part is Extract<ChatStreamPart, { type: 'text-delta' }> => part.type === 'text-delta',
    );
    const last = deltas.at(-1);
    const lastIndex = parts.indexOf(last as ChatStreamPart);
    const lastChunk = JSON.parse(last?.raw ?? '{}');
    expect(lastChunk).not.toHaveProperty('usage');
    expect(lastChunk.choices[0]).toMatchObject({
      delta: { content: 'note' },
      finish_reason: 'stop',
    });
    // Earlier chunks keep their bytes, `"usage":null` included.
    expect(deltas[0]?.raw).toContain('"usage":null');

    const usagePart = parts[lastIndex + 1];
    expect(usagePart?.type).toBe('usage');
    const usageChunk = JSON.parse((usagePart as { raw: string }).raw);
    expect(usageChunk).toMatchObject({
      id: lastChunk.id,
      object: 'chat.completion.chunk',
      model: lastChunk.model,
      choices: [],
      usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 },
    });
    expect(parts.filter((part) => part.type === 'usage')).toHaveLength(1);
    expect(lastPart(parts)).toMatchObject({
      type: 'finish',
      finishReason: 'stop',
      usage: { promptTokens: 12, completionTokens: 5 },
    });
  });
});
