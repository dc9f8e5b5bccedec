import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import { type AnthropicFake, startAnthropicFake } from '../../fakes/anthropic-fake.ts';
import { type OpenAIFake, startOpenAIFake } from '../../fakes/openai-fake.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';

/**
 * Issue 2, Must show 2: with OPENAI_*, TOGETHER_*, ANTHROPIC_* pointed at local fakes, the official
 * `openai` SDK gets correct streaming and non-streaming answers for a model of each provider.
 */
let openaiFake: OpenAIFake;
let togetherFake: OpenAIFake;
let anthropicFake: AnthropicFake;
let gateway: RunningGateway;
let client: OpenAI;

beforeAll(async () => {
  [openaiFake, togetherFake, anthropicFake] = await Promise.all([
    startOpenAIFake({ style: 'openai', apiKey: 'sk-openai-test' }),
    startOpenAIFake({ style: 'together', apiKey: 'together-test' }),
    startAnthropicFake({ apiKey: 'anthropic-test' }),
  ]);
  gateway = await startTestGateway({
    env: {
      OPENAI_API_KEY: 'sk-openai-test',
      OPENAI_BASE_URL: openaiFake.url,
      TOGETHER_API_KEY: 'together-test',
      TOGETHER_BASE_URL: togetherFake.url,
      ANTHROPIC_API_KEY: 'anthropic-test',
      ANTHROPIC_BASE_URL: anthropicFake.url,
    },
  });
  client = new OpenAI({
    apiKey: 'unused-on-an-open-loopback-gateway',
    baseURL: `${gateway.url}/v1`,
    maxRetries: 0,
  });
});

afterAll(async () => {
  await gateway?.shutdown();
  await Promise.all([openaiFake?.close(), togetherFake?.close(), anthropicFake?.close()]);
});

// `provider/model` names resolve to the catalog entry with that upstream id (for its price).
const models = [
  { model: 'gpt-4o-mini', provider: 'openai', upstream: 'gpt-4o-mini', name: 'gpt-4o-mini' },
  {
    model: 'together/meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo',
    provider: 'together',
    upstream: 'meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo',
    name: 'llama-3.1-70b-instruct-turbo',
  },
  {
    model: 'anthropic/claude-3-5-haiku-latest',
    provider: 'anthropic',
    upstream: 'claude-3-5-haiku-latest',
    name: 'claude-3-5-haiku',
  },
] as const;

describe.each(models)('$provider through the gateway', ({ model, provider, upstream, name }) => {
  it('answers a non-streaming request with usage, finish reason and Rekindle headers', async () => {
    const { data, response } = await client.chat.completions
      .create({
        model,
        messages: [
          { role: 'system', content: 'You write short sales emails.' },
          { role: 'user', content: 'Write to Dana at Initech about onboarding.' },
        ],
        max_tokens: 200,
      })
      .withResponse();
    expect(data.object).toBe('chat.completion');
    expect(data.choices[0]?.message.role).toBe('assistant');
    expect(data.choices[0]?.message.content?.length).toBeGreaterThan(0);
    expect(data.choices[0]?.finish_reason).toBe('stop');
    expect(data.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(data.usage?.completion_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-rekindle-provider')).toBe(provider);
    expect(response.headers.get('x-rekindle-model')).toBe(name);
    expect(response.headers.get('x-rekindle-request-id')).toMatch(/[0-9a-f-]{36}/);
    expect(Number(response.headers.get('x-rekindle-cost-usd'))).toBeGreaterThan(0);
    const seen =
      provider === 'anthropic'
        ? anthropicFake.messageRequests()
        : (provider === 'openai' ? openaiFake : togetherFake).chatRequests();
    expect(seen.at(-1)?.body).toMatchObject({ model: upstream });
  });

  it('streams chunk by chunk, ends with [DONE], and sends usage only when asked', async () => {
    const withUsage = await client.chat.completions.create({
      model,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Write to Dana at Initech about onboarding.' }],
      max_tokens: 200,
    });
    let text = '';
    let finish: string | null = null;
    let usageChunks = 0;
    let contentChunks = 0;
    for await (const chunk of withUsage) {
      const choice = chunk.choices[0];
      if (choice?.delta.content) {
        text += choice.delta.content;
        contentChunks += 1;
      }
      finish = choice?.finish_reason ?? finish;
      if (chunk.usage) {
        usageChunks += 1;
        expect(chunk.usage.completion_tokens).toBeGreaterThan(0);
      }
    }
    expect(text.length).toBeGreaterThan(0);
    expect(contentChunks).toBeGreaterThan(1);
    expect(finish).toBe('stop');
    expect(usageChunks).toBe(1);

    const withoutUsage = await client.chat.completions.create({
      model,
      stream: true,
      messages: [{ role: 'user', content: 'Write to Dana at Initech about onboarding.' }],
      max_tokens: 200,
    });
    let sawUsageChunk = false;
    for await (const chunk of withoutUsage) {
      // Together carries usage on its last content chunk; a usage-only chunk must not be relayed.
      if (chunk.choices.length === 0) {
        sawUsageChunk = true;
      }
    }
    expect(sawUsageChunk).toBe(false);
  });
});

describe('Anthropic tool calls through the gateway', () => {
  const tools: OpenAI.Chat.Completions.ChatCompletionFunctionTool[] = [
    {
      type: 'function',
      function: {
        name: 'book_meeting',
        description: 'Book a meeting with a lead',
        parameters: {
          type: 'object',
          properties: { lead: { type: 'string' }, day: { type: 'string' } },
          required: ['lead', 'day'],
        },
      },
    },
  ];

  it('returns tool_use as OpenAI tool_calls, and sends tools and tool results the Anthropic way', async () => {
    anthropicFake.enqueue({
      kind: 'answer',
      content: [
        { type: 'text', text: 'Booking it.' },
        {
          type: 'tool_use',
          id: 'toolu_01',
          name: 'book_meeting',
          input: { lead: 'Dana', day: 'Tuesday' },
        },
      ],
      stopReason: 'tool_use',
    });
    const completion = await client.chat.completions.create({
      model: 'anthropic/claude-3-5-haiku-latest',
      messages: [{ role: 'user', content: 'Book Dana for Tuesday.' }],
      tools,
      tool_choice: 'auto',
    });
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.tool_calls).toEqual([
      {
        id: 'toolu_01',
        type: 'function',
        function: {
          name: 'book_meeting',
          arguments: JSON.stringify({ lead: 'Dana', day: 'Tuesday' }),
        },
      },
    ]);
    const sent = anthropicFake.messageRequests().at(-1)?.body as Record<string, unknown>;
    expect(sent.tools).toEqual([
      {
        name: 'book_meeting',
        description: 'Book a meeting with a lead',
        input_schema: tools[0]?.function.parameters,
      },
    ]);
    expect(sent.tool_choice).toEqual({ type: 'auto' });

    await client.chat.completions.create({
      model: 'anthropic/claude-3-5-haiku-latest',
      messages: [
        { role: 'user', content: 'Book Dana for Tuesday.' },
        { role: 'assistant', content: null, tool_calls: choice?.message.tool_calls ?? [] },
        { role: 'tool', tool_call_id: 'toolu_01', content: 'booked' },
      ],
      tools,
    });
    const followUp = anthropicFake.messageRequests().at(-1)?.body as { messages: unknown[] };
    expect(followUp.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Book Dana for Tuesday.' }] },
      {
        role: 'assistant',
        content: [
          {
            type: 'tool_use',
            id: 'toolu_01',
            name: 'book_meeting',
            input: { lead: 'Dana', day: 'Tuesday' },
          },
        ],
      },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: 'booked' }],
      },
    ]);
  });

  it('streams tool calls as OpenAI tool_call deltas', async () => {
    anthropicFake.enqueue({
      kind: 'answer',
      content: [
        {
          type: 'tool_use',
          id: 'toolu_02',
          name: 'book_meeting',
          input: { lead: 'Ravi', day: 'Friday' },
        },
      ],
      stopReason: 'tool_use',
    });
    const stream = await client.chat.completions.create({
      model: 'anthropic/claude-3-5-haiku-latest',
      stream: true,
      messages: [{ role: 'user', content: 'Book Ravi for Friday.' }],
      tools,
    });
    let name = '';
    let id = '';
    let args = '';
    let finish: string | null = null;
    for await (const chunk of stream) {
      const call = chunk.choices[0]?.delta.tool_calls?.[0];
      name += call?.function?.name ?? '';
      id = call?.id ?? id;
      args += call?.function?.arguments ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect({ id, name, args: JSON.parse(args), finish }).toEqual({
      id: 'toolu_02',
      name: 'book_meeting',
      args: { lead: 'Ravi', day: 'Friday' },
      finish: 'tool_calls',
    });
  });
});
