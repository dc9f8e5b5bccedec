import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../../../../src/providers/anthropic/index.ts';
import type { ChatModelProvider, ChatStreamPart } from '../../../../src/providers/chat-model.ts';
import {
  type AnthropicFake,
  defaultAnthropicAnswerText,
  startAnthropicFake,
} from '../../../fakes/anthropic-fake.ts';
import { chatRequest, collect, lastPart, neverAborted, textOf } from '../stream-helpers.ts';

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

type ToolDelta = Extract<ChatStreamPart, { type: 'tool-call-delta' }>;

describe('Anthropic provider: generate', () => {
  it('sends a Messages request and answers an OpenAI chat.completion', async () => {
    const result = await provider.generate(
      chatRequest(
        {
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: 'Write to Ada at Acme' },
          ],
          temperature: 1.5,
          stop: 'END',
        },
        model,
      ),
      neverAborted(),
    );
    const sent = fake.messageRequests().at(-1);
    expect(sent?.path).toBe('/v1/messages');
    expect(sent?.headers['x-api-key']).toBe('sk-ant-test');
    expect(sent?.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent?.headers.authorization).toBeUndefined();
    expect(sent?.body).toEqual({
      model,
      max_tokens: 1024,
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Write to Ada at Acme' }] }],
      temperature: 1,
      stop_sequences: ['END'],
    });

    const expectedText = defaultAnthropicAnswerText(model, [
      { role: 'user', content: 'Write to Ada at Acme' },
    ]);
    expect(result.text).toBe(expectedText);
    expect(result.finishReason).toBe('stop');
    expect(result.upstreamModel).toBe(model);
    const body = JSON.parse(result.body);
    expect(body).toMatchObject({
      object: 'chat.completion',
      model,
      choices: [
        { index: 0, message: { role: 'assistant', content: expectedText }, finish_reason: 'stop' },
      ],
    });
    expect(body.id).toMatch(/^chatcmpl-fake\d+$/);
    expect(typeof body.created).toBe('number');
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
  });

  it('turns tool_use blocks into OpenAI tool_calls with JSON-string arguments', async () => {
    fake.enqueue({
      kind: 'answer',
      content: [
        { type: 'text', text: 'Let me check.' },
        {
          type: 'tool_use',
          id: 'toolu_01',
          name: 'lookup_lead',
          input: { lead_id: 'L-9', fields: ['email'] },
        },
      ],
      usage: {
        input_tokens: 50,
        output_tokens: 20,
        cache_read_input_tokens: 30,
        cache_creation_input_tokens: 10,
      },
    });
    const result = await provider.generate(
      chatRequest(
        {
          tools: [
            { type: 'function', function: { name: 'lookup_lead', parameters: { type: 'object' } } },
          ],
        },
        model,
      ),
      neverAborted(),
    );
    expect(result.finishReason).toBe('tool_calls');
    expect(result.toolCalls).toEqual([
      { id: 'toolu_01', name: 'lookup_lead', arguments: '{"lead_id":"L-9","fields":["email"]}' },
    ]);
    expect(result.usage).toEqual({
      promptTokens: 90,
      completionTokens: 20,
      cachedPromptTokens: 30,
    });
    const message = JSON.parse(result.body).choices[0].message;
    expect(message.content).toBe('Let me check.');
    expect(message.tool_calls).toEqual([
      {
        id: 'toolu_01',
        type: 'function',
        function: { name: 'lookup_lead', arguments: '{"lead_id":"L-9","fields":["email"]}' },
      },
    ]);
    expect(JSON.parse(result.body).usage).toMatchObject({
      prompt_tokens: 90,
      completion_tokens: 20,
      prompt_tokens_details: { cached_tokens: 30 },
    });
  });

  it('sends a tool conversation the Messages API accepts (tool results in a user turn)', async () => {
    const result = await provider.generate(
      chatRequest(
        {
          messages: [
            { role: 'user', content: 'Find L-9' },
            {
              role: 'assistant',
              content: null,
              tool_calls: [
                {
                  id: 'toolu_01',
                  type: 'function',
                  function: { name: 'lookup_lead', arguments: '{"lead_id":"L-9"}' },
                },
              ],
            },
            { role: 'tool', tool_call_id: 'toolu_01', content: '{"email":"ada@acme.test"}' },
          ],
        },
        model,
      ),
      neverAborted(),
    );
    expect(result.finishReason).toBe('stop');
    const sent = fake.messageRequests().at(-1)?.body as {
      messages: Array<{ role: string; content: Array<{ type: string }> }>;
    };
    expect(sent.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(sent.messages[2]?.content[0]?.type).toBe('tool_result');
  });

  it('maps stop reasons: max_tokens → length, refusal → content_filter, stop_sequence → stop', async () => {
    fake.enqueue(
      { kind: 'answer', stopReason: 'max_tokens' },
      { kind: 'answer', stopReason: 'refusal' },
      { kind: 'answer', stopReason: 'stop_sequence' },
    );
    const reasons = [];
    for (let index = 0; index < 3; index++) {
      reasons.push((await provider.generate(chatRequest({}, model), neverAborted())).finishReason);
    }
    expect(reasons).toEqual(['length', 'content_filter', 'stop']);
  });
});

describe('Anthropic provider: stream', () => {
  it('translates text events into OpenAI chunks with usage and finish', async () => {
    fake.enqueue({
      kind: 'answer',
      content: [{ type: 'text', text: 'Hi Ada, quick note.' }],
      usage: { input_tokens: 40, output_tokens: 5, cache_read_input_tokens: 8 },
    });
    const parts = await collect(
      await provider.stream(chatRequest({ stream: true }, model), neverAborted()),
    );
    expect((fake.messageRequests().at(-1)?.body as { stream?: boolean } | undefined)?.stream).toBe(
      true,
    );
    expect(fake.messageRequests().at(-1)?.headers.accept).toBe('text/event-stream');

    expect(parts[0]?.type).toBe('chunk');
    const first = parts[0] as Extract<ChatStreamPart, { type: 'chunk' }>;
    const firstChunk = JSON.parse(first.raw);
    expect(firstChunk).toMatchObject({
      object: 'chat.completion.chunk',
      model,
      choices: [{ index: 0, delta: { role: 'assistant' }, finish_reason: null }],
    });
    expect(firstChunk.id).toMatch(/^chatcmpl-fake\d+$/);
    expect(textOf(parts)).toBe('Hi Ada, quick note.');
    for (const part of parts) {
      if (part.type === 'text-delta') {
        expect(JSON.parse(part.raw).choices[0].delta.content).toBe(part.delta);
      }
      if ('raw' in part) {
        expect(JSON.parse(part.raw).id).toBe(firstChunk.id);
      }
    }
    const types = parts.map((part) => part.type);
    expect(types.slice(-3)).toEqual(['chunk', 'usage', 'finish']);
    const finishChunk = parts[parts.length - 3] as Extract<ChatStreamPart, { type: 'chunk' }>;
    expect(JSON.parse(finishChunk.raw).choices[0]).toMatchObject({
      delta: {},
      finish_reason: 'stop',
    });
    const usage = parts[parts.length - 2] as Extract<ChatStreamPart, { type: 'usage' }>;
    expect(JSON.parse(usage.raw)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 48, completion_tokens: 5, total_tokens: 53 },
    });
    expect(lastPart(parts)).toMatchObject({
      type: 'finish',
      finishReason: 'stop',
      usage: { promptTokens: 48, completionTokens: 5, cachedPromptTokens: 8 },
      upstreamModel: model,
    });
    const finish = lastPart(parts);
    if (finish.type === 'finish') {
      expect(finish.timeToFirstTokenMs).not.toBeNull();
    }
  });

  it('streams tool_use blocks as OpenAI tool_calls deltas numbered per tool call', async () => {
    fake.enqueue({
      kind: 'answer',
      content: [
        { type: 'text', text: 'Checking both.' },
        { type: 'tool_use', id: 'toolu_a', name: 'weather', input: { city: 'Paris' } },
        { type: 'tool_use', id: 'toolu_b', name: 'weather', input: { city: 'Rome' } },
      ],
    });
    const parts = await collect(
      await provider.stream(chatRequest({ stream: true }, model), neverAborted()),
    );
    const tools = parts.filter((part): part is ToolDelta => part.type === 'tool-call-delta');
    expect(tools[0]).toMatchObject({
      index: 0,
      id: 'toolu_a',
      name: 'weather',
      argumentsDelta: '',
    });
    expect(JSON.parse(tools[0]?.raw ?? '{}').choices[0].delta.tool_calls).toEqual([
      { index: 0, id: 'toolu_a', type: 'function', function: { name: 'weather', arguments: '' } },
    ]);
    const start1 = tools.find((part) => part.index === 1 && part.id !== undefined);
    expect(start1).toMatchObject({ id: 'toolu_b', name: 'weather' });
    const argumentsByIndex = [0, 1].map((index) =>
      tools
        .filter((part) => part.index === index)
        .map((part) => part.argumentsDelta)
        .join(''),
    );
    expect(argumentsByIndex.map((text) => JSON.parse(text))).toEqual([
      { city: 'Paris' },
      { city: 'Rome' },
    ]);
    for (const part of tools.filter((part) => part.id === undefined)) {
      expect(JSON.parse(part.raw).choices[0].delta.tool_calls).toEqual([
        { index: part.index, function: { arguments: part.argumentsDelta } },
      ]);
    }
    expect(textOf(parts)).toBe('Checking both.');
    expect(lastPart(parts)).toMatchObject({ type: 'finish', finishReason: 'tool_calls' });
  });
});
