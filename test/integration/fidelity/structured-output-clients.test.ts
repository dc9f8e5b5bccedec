import { createOpenAI } from '@ai-sdk/openai';
import { ChatOpenAI } from '@langchain/openai';
import { generateObject } from 'ai';
import { Ajv2020 } from 'ajv/dist/2020.js';
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RunningGateway } from '../../../src/main/index.ts';
import { type AnthropicFake, startAnthropicFake } from '../../fakes/anthropic-fake.ts';
import { type OpenAIFake, startOpenAIFake } from '../../fakes/openai-fake.ts';
import { closeSharedPglite } from '../../helpers/pglite.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';

/**
 * Issue 13, Must show 1: `response_format: json_schema` (strict) through
 * `anthropic/claude-3-5-haiku-latest`, streamed and not, returns content valid against the schema,
 * and the Anthropic fake receives the forced-tool request. The openai SDK's `parse` with
 * `zodResponseFormat`, the AI SDK's `generateObject` (chat model) and LangChain's
 * `withStructuredOutput` (default method) all succeed on the sandbox, an OpenAI fake and an
 * Anthropic fake — over real HTTP, through the whole gateway.
 */
const Draft = z.object({
  subject: z.string(),
  body: z.string(),
  follow_up_days: z.number().int().min(1).max(14),
  channel: z.enum(['email', 'linkedin']),
  stakeholders: z.array(z.object({ name: z.string(), role: z.string() })),
});
const draftSchema = z.toJSONSchema(Draft, { target: 'draft-7' });
const ajv = new Ajv2020({ strict: false });
const valid = (value: unknown) => {
  const { $schema: _dialect, ...schema } = draftSchema as Record<string, unknown>;
  return ajv.validate(schema, value) ? '' : ajv.errorsText(ajv.errors);
};
const prompt = 'Draft a first-touch email to Priya Raman, VP Sales at Northwind Traders.';

let openaiFake: OpenAIFake;
let anthropicFake: AnthropicFake;
let gateway: RunningGateway;
let client: OpenAI;
let baseURL: string;

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
});

afterAll(async () => {
  await gateway?.shutdown();
  await Promise.all([openaiFake?.close(), anthropicFake?.close()]);
  await closeSharedPglite();
});

describe('json_schema through anthropic/claude-3-5-haiku-latest (no native structured outputs)', () => {
  const format = zodResponseFormat(Draft, 'draft');

  it('answers content that parses and validates; the fake got one forced tool with the schema', async () => {
    const completion = await client.chat.completions.create({
      model: 'anthropic/claude-3-5-haiku-latest',
      messages: [{ role: 'user', content: prompt }],
      response_format: format,
    });
    const content = completion.choices[0]?.message.content ?? '';
    expect(valid(JSON.parse(content))).toBe('');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.choices[0]?.message.tool_calls).toBeUndefined();
    const sent = anthropicFake.messageRequests().at(-1)?.body as Record<string, unknown>;
    expect(sent.tool_choice).toEqual({
      type: 'tool',
      name: 'draft',
      disable_parallel_tool_use: true,
    });
    expect(sent.tools).toEqual([
      { name: 'draft', description: expect.any(String), input_schema: format.json_schema.schema },
    ]);
    expect(sent).not.toHaveProperty('response_format');
  });

  it('streams the JSON as content deltas', async () => {
    const stream = await client.chat.completions.create({
      model: 'anthropic/claude-3-5-haiku-latest',
      messages: [{ role: 'user', content: prompt }],
      response_format: format,
      stream: true,
    });
    let content = '';
    let deltas = 0;
    let finish: string | null = null;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      expect(choice?.delta.tool_calls).toBeUndefined();
      if (choice?.delta.content) {
        content += choice.delta.content;
        deltas += 1;
      }
      finish = choice?.finish_reason ?? finish;
    }
    expect(deltas).toBeGreaterThan(1);
    expect(valid(JSON.parse(content))).toBe('');
    expect(finish).toBe('stop');
    expect(anthropicFake.messageRequests().at(-1)?.body).toMatchObject({ stream: true });
  });
});

const models = [
  { where: 'the sandbox', model: 'sandbox/outreach-v1', upstream: () => undefined },
  {
    where: 'an OpenAI fake',
    model: 'gpt-4o-mini',
    upstream: () => openaiFake.chatRequests().at(-1),
  },
  {
    where: 'an Anthropic fake',
    model: 'anthropic/claude-3-5-haiku-latest',
    upstream: () => anthropicFake.messageRequests().at(-1),
  },
] as const;

describe.each(models)('structured output clients on $where', ({ model, upstream }) => {
  it('openai SDK: chat.completions.parse with zodResponseFormat', async () => {
    const completion = await client.chat.completions.parse({
      model,
      messages: [{ role: 'user', content: prompt }],
      response_format: zodResponseFormat(Draft, 'draft'),
    });
    const parsed = completion.choices[0]?.message.parsed;
    expect(Draft.parse(parsed)).toEqual(parsed);
    if (model === 'gpt-4o-mini') {
      // Relayed as is: OpenAI gets the client's response_format.
      expect(upstream()?.body).toMatchObject({ response_format: { type: 'json_schema' } });
    }
  });

  it('AI SDK: generateObject on the chat model', async () => {
    const provider = createOpenAI({ baseURL, apiKey: 'unused' });
    const { object } = await generateObject({
      model: provider.chat(model),
      schema: Draft,
      prompt,
      maxRetries: 0,
    });
    expect(Draft.parse(object)).toEqual(object);
  });

  it('LangChain: withStructuredOutput (default method)', async () => {
    const chat = new ChatOpenAI({
      model,
      apiKey: 'unused',
      configuration: { baseURL },
      maxRetries: 0,
    });
    const result = await chat.withStructuredOutput(Draft).invoke(prompt);
    expect(Draft.parse(result)).toEqual(result);
    if (model !== 'sandbox/outreach-v1') {
      const body = upstream()?.body as Record<string, unknown>;
      // LangChain's default is json_schema named `extract`: honoured, never dropped.
      expect(JSON.stringify(body)).toContain('extract');
    }
  });
});
