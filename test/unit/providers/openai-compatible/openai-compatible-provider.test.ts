import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatModelProvider, ChatStreamPart } from '../../../../src/providers/chat-model.ts';
import { createOpenAICompatibleProvider } from '../../../../src/providers/openai-compatible/index.ts';
import {
  defaultOpenAIAnswerText,
  type OpenAIFake,
  startOpenAIFake,
} from '../../../fakes/openai-fake.ts';
import { chatRequest, collect, lastPart, neverAborted, textOf } from '../stream-helpers.ts';

let fake: OpenAIFake;
let together: OpenAIFake;
let provider: ChatModelProvider;
let togetherProvider: ChatModelProvider;

beforeAll(async () => {
  fake = await startOpenAIFake();
  together = await startOpenAIFake({ style: 'together' });
  provider = createOpenAICompatibleProvider({
    id: 'openai',
    type: 'openai',
    baseUrl: fake.url,
    apiKey: 'sk-test',
    headers: { 'OpenAI-Organization': 'org-test' },
    connections: 4,
    timeoutMs: 5_000,
  });
  togetherProvider = createOpenAICompatibleProvider({
    id: 'together',
    type: 'together',
    baseUrl: together.url,
    apiKey: 'tg-test',
    connections: 2,
    timeoutMs: 5_000,
  });
});

afterAll(async () => {
  await provider.close();
  await togetherProvider.close();
  await fake.close();
  await together.close();
});

describe('OpenAI-compatible provider: generate', () => {
  it('forwards the body with model rewritten and unknown fields kept, and relays the answer bytes', async () => {
    fake.enqueue({
      kind: 'answer',
      usage: { prompt_tokens: 21, completion_tokens: 9, cached_tokens: 5 },
    });
    const result = await provider.generate(
      chatRequest({
        temperature: 0.3,
        seed: 7,
        vendor_extension: { keep: true },
        metadata: { lead_id: 'lead-1' },
        stream_options: { include_usage: true },
      }),
      neverAborted(),
    );

    const sent = fake.chatRequests().at(-1);
    expect(sent?.headers.authorization).toBe('Bearer sk-test');
    expect(sent?.headers['openai-organization']).toBe('org-test');
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(sent?.body).toEqual({
      model: 'gpt-4o-mini-upstream',
      messages: [{ role: 'user', content: 'Hi there' }],
      temperature: 0.3,
      seed: 7,
      vendor_extension: { keep: true },
      stream: false,
    });

    const relayed = JSON.parse(result.body);
    expect(relayed.system_fingerprint).toBe('fp_fake');
    expect(relayed.service_tier).toBe('default');
    expect(relayed.model).toBe('gpt-4o-mini-upstream');
    const expectedText = defaultOpenAIAnswerText('gpt-4o-mini-upstream', [
      { role: 'user', content: 'Hi there' },
    ]);
    expect(relayed.choices[0].message.content).toBe(expectedText);
    expect(result.text).toBe(expectedText);
    expect(result.toolCalls).toEqual([]);
    expect(result.finishReason).toBe('stop');
    expect(result.usage).toEqual({ promptTokens: 21, completionTokens: 9, cachedPromptTokens: 5 });
    expect(result.upstreamModel).toBe('gpt-4o-mini-upstream');
    expect(result.upstreamLatencyMs).toBeGreaterThan(0);
  });

  it('reads tool calls and the upstream model id it reports', async () => {
    fake.enqueue({
      kind: 'answer',
      model: 'gpt-4o-mini-2024-07-18',
      toolCalls: [
        { id: 'call_a', name: 'lookup_lead', arguments: '{"lead_id":"L1"}' },
        { id: 'call_b', name: 'send_email', arguments: '{"to":"a@b.c"}' },
      ],
    });
    const result = await provider.generate(chatRequest({ tools: [] }), neverAborted());
    expect(result.finishReason).toBe('tool_calls');
    expect(result.text).toBe('');
    expect(result.upstreamModel).toBe('gpt-4o-mini-2024-07-18');
    expect(result.toolCalls).toEqual([
      { id: 'call_a', name: 'lookup_lead', arguments: '{"lead_id":"L1"}' },
      { id: 'call_b', name: 'send_email', arguments: '{"to":"a@b.c"}' },
    ]);
  });

  it('maps length and unknown finish reasons', async () => {
    fake.enqueue({ kind: 'answer', content: 'cut', finishReason: 'length' });
    fake.enqueue({ kind: 'answer', content: 'odd', finishReason: 'something_new' });
    expect((await provider.generate(chatRequest({}), neverAborted())).finishReason).toBe('length');
    expect((await provider.generate(chatRequest({}), neverAborted())).finishReason).toBe('other');
  });
});

describe('OpenAI-compatible provider: stream', () => {
  it('relays each upstream chunk as one part and reads usage, finish reason and time to first token', async () => {
    fake.enqueue({
      kind: 'answer',
      content: 'Dear Ada, quick idea.',
      usage: { prompt_tokens: 30, completion_tokens: 6, cached_tokens: 10 },
    });
    const parts = await collect(
      await provider.stream(
        chatRequest({ stream: true, stream_options: { continuous_usage_stats: false } }),
        neverAborted(),
      ),
    );

    const sent = fake.chatRequests().at(-1);
    expect(sent?.headers.accept).toBe('text/event-stream');
    expect(sent?.body).toMatchObject({
      model: 'gpt-4o-mini-upstream',
      stream: true,
      stream_options: { continuous_usage_stats: false, include_usage: true },
    });

    expect(parts.map((part) => part.type)).toEqual([
      'chunk',
      'text-delta',
      'text-delta',
      'text-delta',
      'text-delta',
      'chunk',
      'usage',
      'finish',
    ]);
    expect(textOf(parts)).toBe('Dear Ada, quick idea.');
    for (const part of parts) {
      if ('raw' in part) {
        expect(JSON.parse(part.raw).object).toBe('chat.completion.chunk');
      }
    }
    const first = parts[0] as Extract<ChatStreamPart, { type: 'chunk' }>;
    expect(JSON.parse(first.raw).choices[0].delta.role).toBe('assistant');
    const usagePart = parts[6] as Extract<ChatStreamPart, { type: 'usage' }>;
    expect(JSON.parse(usagePart.raw).choices).toEqual([]);
    expect(usagePart.usage).toEqual({
      promptTokens: 30,
      completionTokens: 6,
      cachedPromptTokens: 10,
    });
    const finish = lastPart(parts);
    expect(finish).toMatchObject({
      type: 'finish',
      finishReason: 'stop',
      usage: { promptTokens: 30, completionTokens: 6, cachedPromptTokens: 10 },
      upstreamModel: 'gpt-4o-mini-upstream',
    });
    if (finish.type === 'finish') {
      expect(finish.timeToFirstTokenMs).not.toBeNull();
      expect(finish.timeToFirstTokenMs ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(
        finish.upstreamLatencyMs,
      );
    }
  });

  it('measures time to first token from the request to the first content delta', async () => {
    fake.enqueue({ kind: 'answer', content: 'one', frameDelayMs: 40 });
    const parts = await collect(
      await provider.stream(chatRequest({ stream: true }), neverAborted()),
    );
    const finish = lastPart(parts);
    expect(finish.type).toBe('finish');
    if (finish.type === 'finish') {
      // Role chunk after 40 ms, first text after 80 ms.
      expect(finish.timeToFirstTokenMs).toBeGreaterThanOrEqual(75);
      expect(finish.upstreamLatencyMs).toBeGreaterThanOrEqual(finish.timeToFirstTokenMs ?? 0);
    }
  });

  it('emits tool-call deltas with index, id and name, then argument pieces', async () => {
    fake.enqueue({
      kind: 'answer',
      toolCalls: [
        { id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { id: 'call_2', name: 'get_time', arguments: '{"tz":"CET"}' },
      ],
    });
    const parts = await collect(
      await provider.stream(chatRequest({ stream: true }), neverAborted()),
    );
    const toolParts = parts.filter(
      (part): part is Extract<ChatStreamPart, { type: 'tool-call-delta' }> =>
        part.type === 'tool-call-delta',
    );
    expect(toolParts[0]).toMatchObject({
      index: 0,
      id: 'call_1',
      name: 'get_weather',
      argumentsDelta: '',
    });
    const byIndex = new Map<number, string>();
    for (const part of toolParts) {
      byIndex.set(part.index, (byIndex.get(part.index) ?? '') + part.argumentsDelta);
    }
    expect(Object.fromEntries(byIndex)).toEqual({ 0: '{"city":"Paris"}', 1: '{"tz":"CET"}' });
    expect(toolParts.find((part) => part.index === 1)).toMatchObject({
      id: 'call_2',
      name: 'get_time',
    });
    expect(lastPart(parts)).toMatchObject({ type: 'finish', finishReason: 'tool_calls' });
  });

  it('keeps the keep-alive connection after a complete stream', async () => {
    const single = createOpenAICompatibleProvider({
      id: 'openai',
      type: 'openai',
      baseUrl: fake.url,
      connections: 1,
      timeoutMs: 5_000,
    });
    try {
      for (let round = 0; round < 3; round++) {
        // The end of the body arrives after [DONE]: dropping the connection at [DONE] would show.
        fake.enqueue({ kind: 'answer', endDelayMs: 30 });
        await collect(await single.stream(chatRequest({ stream: true }), neverAborted()));
      }
      await single.generate(chatRequest({}), neverAborted());
    } finally {
      await single.close();
    }
    const ports = fake
      .chatRequests()
      .slice(-4)
      .map((request) => request.remotePort);
    expect(ports[0]).toBeDefined();
    expect(new Set(ports).size).toBe(1);
  });

  it('parses frames split across TCP chunks, CRLF line ends and keep-alive comments', async () => {
    const chunk = (delta: object, finish: string | null = null) =>
      JSON.stringify({
        id: 'c1',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'llama-local',
        choices: [{ index: 0, delta, finish_reason: finish }],
      });
    const stream =
      `: keep-alive\r\n\r\ndata: ${chunk({ role: 'assistant', content: '' })}\r\n\r\n` +
      `data: ${chunk({ content: 'Héllo' })}\r\n\r\n: ping\r\n\r\n` +
      `data: ${chunk({ content: ' wörld' })}\r\n\r\n` +
      `data: ${chunk({}, 'stop')}\r\n\r\n` +
      `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'llama-local', choices: [], usage: { prompt_tokens: 3, completion_tokens: 2 } })}\r\n\r\n` +
      'data: [DONE]\r\n\r\n';
    const pieces: string[] = [];
    for (let start = 0; start < stream.length; start += 17) {
      pieces.push(stream.slice(start, start + 17));
    }
    fake.enqueue({ kind: 'raw-stream', pieces, pauseMs: 1 });
    const parts = await collect(
      await provider.stream(chatRequest({ stream: true }), neverAborted()),
    );
    expect(textOf(parts)).toBe('Héllo wörld');
    expect(lastPart(parts)).toMatchObject({
      type: 'finish',
      finishReason: 'stop',
      upstreamModel: 'llama-local',
      usage: { promptTokens: 3, completionTokens: 2, cachedPromptTokens: null },
    });
  });
});

describe('Together (same wire, usage on the last chunk with choices)', () => {
  it('generate answers like OpenAI', async () => {
    const result = await togetherProvider.generate(
      chatRequest({}, 'meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo'),
      neverAborted(),
    );
    expect(result.upstreamModel).toBe('meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo');
    expect(result.usage.promptTokens).toBeGreaterThan(0);
    expect(together.chatRequests().at(-1)?.headers.authorization).toBe('Bearer tg-test');
  });

  it('reads usage from the finish chunk and maps eos to stop', async () => {
    together.enqueue({
      kind: 'answer',
      content: 'Hello Bo',
      finishReason: 'eos',
      usage: { prompt_tokens: 12, completion_tokens: 2 },
    });
    const parts = await collect(
      await togetherProvider.stream(
        chatRequest({ stream: true }, 'meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo'),
        neverAborted(),
      ),
    );
    // The finish chunk goes on without its usage, which follows as OpenAI's usage chunk (relayed
    // only to clients that asked for it).
    const finishChunk = parts[parts.length - 3];
    expect(finishChunk?.type).toBe('chunk');
    if (finishChunk !== undefined && 'raw' in finishChunk) {
      expect(JSON.parse(finishChunk.raw)).not.toHaveProperty('usage');
    }
    const usagePart = parts[parts.length - 2];
    expect(usagePart?.type).toBe('usage');
    if (usagePart !== undefined && 'raw' in usagePart) {
      expect(JSON.parse(usagePart.raw)).toMatchObject({
        choices: [],
        usage: { prompt_tokens: 12 },
      });
    }
    expect(textOf(parts)).toBe('Hello Bo');
    expect(lastPart(parts)).toMatchObject({
      type: 'finish',
      finishReason: 'stop',
      usage: { promptTokens: 12, completionTokens: 2 },
      upstreamModel: 'meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo',
    });
  });
});
