import { createOpenAI } from '@ai-sdk/openai';
import { ChatOpenAI } from '@langchain/openai';
import { generateObject, generateText, stepCountIs, streamText, tool } from 'ai';
import OpenAI from 'openai';
import { zodTextFormat } from 'openai/helpers/zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RunningGateway } from '../../../src/main/index.ts';
import { type AnthropicFake, startAnthropicFake } from '../../fakes/anthropic-fake.ts';
import { type OpenAIFake, startOpenAIFake } from '../../fakes/openai-fake.ts';
import { closeSharedPglite } from '../../helpers/pglite.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';

/**
 * Issue 12, Must show 1: the clients' Responses defaults through the gateway, over real HTTP, on
 * the keyless sandbox, an OpenAI fake and an Anthropic fake — the openai SDK's
 * `responses.create` (streamed and not), `retrieve` and a second turn by `previous_response_id`;
 * the AI SDK's default factory (`createOpenAI({ baseURL })(model)` speaks /v1/responses) with
 * `generateText`, `streamText`, a multi-step tool loop and `generateObject`; LangChain's
 * `ChatOpenAI` with `useResponsesApi`.
 */
const Draft = z.object({
  subject: z.string(),
  body: z.string(),
  follow_up_days: z.number().int().min(1).max(14),
});
const LeadLookup = z.object({ email: z.string() });
const leadRecord = { name: 'Priya Raman', company: 'Northwind Traders', title: 'VP Sales' };
const prompt = 'Write a first-touch email to Priya Raman, VP Sales at Northwind Traders.';

let openaiFake: OpenAIFake;
let anthropicFake: AnthropicFake;
let gateway: RunningGateway;
let baseURL: string;
let client: OpenAI;

beforeAll(async () => {
  [openaiFake, anthropicFake] = await Promise.all([startOpenAIFake(), startAnthropicFake()]);
  gateway = await startTestGateway({
    env: {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: openaiFake.url,
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: anthropicFake.url,
    },
  });
  baseURL = `${gateway.url}/v1`;
  client = new OpenAI({ apiKey: 'unused', baseURL, maxRetries: 0 });
}, 240_000);

afterAll(async () => {
  await gateway?.shutdown();
  await Promise.all([openaiFake?.close(), anthropicFake?.close()]);
  await closeSharedPglite();
});

const targets = [
  { where: 'the sandbox', model: 'sandbox/outreach-v1', provider: 'sandbox' },
  { where: 'an OpenAI fake', model: 'gpt-4o-mini', provider: 'openai' },
  {
    where: 'an Anthropic fake',
    model: 'anthropic/claude-3-5-haiku-latest',
    provider: 'anthropic',
  },
] as const;

/** Makes the fake behind `provider` answer the next request with one call of `lookup_lead`. */
function scriptToolCall(provider: string): void {
  const input = { email: 'priya@northwind.example' };
  if (provider === 'openai') {
    openaiFake.enqueue({
      kind: 'answer',
      toolCalls: [{ id: 'call_lookup_1', name: 'lookup_lead', arguments: JSON.stringify(input) }],
      finishReason: 'tool_calls',
    });
  } else if (provider === 'anthropic') {
    anthropicFake.enqueue({
      kind: 'answer',
      content: [{ type: 'tool_use', id: 'toolu_lookup_1', name: 'lookup_lead', input }],
      stopReason: 'tool_use',
    });
  }
}

describe.each(targets)('Responses clients on $where', ({ model, provider }) => {
  it('openai SDK: create, retrieve, then a second turn by previous_response_id', async () => {
    const first = await client.responses.create({
      model,
      input: prompt,
      instructions: 'Be brief.',
    });
    expect(first.object).toBe('response');
    expect(first.id).toMatch(/^resp_/);
    expect(first.status).toBe('completed');
    expect(first.output_text.length).toBeGreaterThan(0);
    expect(first.output[0]).toMatchObject({ type: 'message', role: 'assistant' });
    expect(first.usage?.total_tokens).toBe(
      (first.usage?.input_tokens ?? 0) + (first.usage?.output_tokens ?? 0),
    );
    expect(first.usage?.output_tokens).toBeGreaterThan(0);

    const again = await client.responses.retrieve(first.id);
    expect(again.id).toBe(first.id);
    expect(again.output_text).toBe(first.output_text);

    const second = await client.responses.create({
      model,
      input: 'Now make it shorter.',
      previous_response_id: first.id,
    });
    expect(second.previous_response_id).toBe(first.id);
    expect(second.status).toBe('completed');
    if (provider === 'openai') {
      const sent = openaiFake.chatRequests().at(-1)?.body as { messages: unknown[] };
      expect(sent.messages).toEqual([
        { role: 'user', content: prompt },
        { role: 'assistant', content: first.output_text },
        { role: 'user', content: 'Now make it shorter.' },
      ]);
    }
  });

  it('openai SDK: a streamed response gives the typed events in order, then the same text', async () => {
    const stream = await client.responses.create({ model, input: prompt, stream: true });
    const types: string[] = [];
    const sequence: number[] = [];
    let text = '';
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      sequence.push(event.sequence_number);
      if (event.type === 'response.output_text.delta') {
        text += event.delta;
      }
      if (event.type === 'response.completed') {
        completed = event.response;
      }
    }
    expect(sequence).toEqual(types.map((_, index) => index));
    const deltas = types.filter((type) => type === 'response.output_text.delta').length;
    expect(deltas).toBeGreaterThan(0);
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...Array<string>(deltas).fill('response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(completed?.status).toBe('completed');
    expect(completed?.usage?.output_tokens).toBeGreaterThan(0);
    expect(completed?.output[0]).toMatchObject({
      type: 'message',
      content: [{ type: 'output_text', text }],
    });
    const stored = await client.responses.retrieve(completed?.id ?? '');
    expect(stored.output_text).toBe(text);
  });

  it('openai SDK: responses.parse with zodTextFormat', async () => {
    const response = await client.responses.parse({
      model,
      input: prompt,
      text: { format: zodTextFormat(Draft, 'draft') },
    });
    expect(Draft.parse(response.output_parsed)).toEqual(response.output_parsed);
  });

  it('AI SDK default factory: generateText and streamText', async () => {
    const openai = createOpenAI({ baseURL, apiKey: 'unused' });
    const generated = await generateText({ model: openai(model), prompt, maxRetries: 0 });
    expect(generated.text.length).toBeGreaterThan(0);
    expect(generated.finishReason).toBe('stop');
    expect(generated.usage.outputTokens).toBeGreaterThan(0);

    const streamed = streamText({ model: openai(model), prompt, maxRetries: 0 });
    const chunks: string[] = [];
    for await (const chunk of streamed.textStream) {
      chunks.push(chunk);
    }
    expect(chunks.length).toBeGreaterThan(0);
    expect(await streamed.finishReason).toBe('stop');
    expect((await streamed.usage).outputTokens).toBeGreaterThan(0);
  });

  it('AI SDK default factory: a multi-step tool loop with streamText', async () => {
    const openai = createOpenAI({ baseURL, apiKey: 'unused' });
    scriptToolCall(provider);
    const inputs: unknown[] = [];
    const result = streamText({
      model: openai(model),
      prompt: `Look up the lead priya@northwind.example first. ${prompt}`,
      tools: {
        lookup_lead: tool({
          description: 'Find a lead by email',
          inputSchema: LeadLookup,
          execute: async (input) => {
            inputs.push(input);
            return leadRecord;
          },
        }),
      },
      stopWhen: stepCountIs(4),
      maxRetries: 0,
    });
    const text = await result.text;
    const steps = await result.steps;
    expect(inputs).toHaveLength(1);
    expect(steps.map((step) => step.finishReason)).toEqual(['tool-calls', 'stop']);
    expect(text.length).toBeGreaterThan(0);
  });

  it('AI SDK default factory: generateObject with a zod schema', async () => {
    const openai = createOpenAI({ baseURL, apiKey: 'unused' });
    const { object } = await generateObject({
      model: openai(model),
      schema: Draft,
      prompt,
      maxRetries: 0,
    });
    expect(Draft.parse(object)).toEqual(object);
  });

  it('LangChain: ChatOpenAI with useResponsesApi, invoke and stream', async () => {
    const chat = new ChatOpenAI({
      model,
      apiKey: 'unused',
      configuration: { baseURL },
      useResponsesApi: true,
      maxRetries: 0,
    });
    const answer = await chat.invoke(prompt);
    expect(answer.text.length).toBeGreaterThan(0);
    const usage = answer.usage_metadata as { output_tokens?: number } | undefined;
    expect(usage?.output_tokens).toBeGreaterThan(0);
    let streamed = '';
    for await (const chunk of await chat.stream(prompt)) {
      streamed += chunk.text;
    }
    expect(streamed.length).toBeGreaterThan(0);
  });
});
