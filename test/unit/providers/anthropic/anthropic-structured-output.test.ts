import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { providerTypeCapabilities } from '../../../../src/config/index.ts';
import {
  convertToAnthropic,
  createAnthropicProvider,
} from '../../../../src/providers/anthropic/index.ts';
import type {
  ChatModelProvider,
  ChatRequestBody,
  ChatStreamPart,
} from '../../../../src/providers/chat-model.ts';
import { type AnthropicFake, startAnthropicFake } from '../../../fakes/anthropic-fake.ts';
import {
  chatRequest,
  collect,
  lastPart,
  neverAborted,
  rejectionOf,
  textOf,
} from '../stream-helpers.ts';

/**
 * Issue 13: `response_format` on Anthropic is honoured — Anthropic's structured outputs
 * (`output_config.format`) on models that have them, otherwise a forced tool whose input schema
 * is the schema, its input returned as the content (streamed as content deltas) — and streamed
 * tool calls without arguments carry "{}".
 */
const ajv = new Ajv2020({ strict: false });
const schema = z.toJSONSchema(
  z.object({
    subject: z.string(),
    score: z.number().min(0).max(1),
    stage: z.enum(['new', 'won']),
  }),
);
const jsonSchema = { type: 'json_schema', json_schema: { name: 'draft', strict: true, schema } };
const forcedTool = providerTypeCapabilities.anthropic;
const native = { ...providerTypeCapabilities.anthropic, json_schema: 'native' as const };

const convert = (body: Record<string, unknown>, capabilities = forcedTool) =>
  convertToAnthropic(
    { model: 'm', messages: [{ role: 'user', content: 'Hi' }], ...body } as ChatRequestBody,
    {
      upstreamModel: 'claude-3-5-haiku-latest',
      defaultMaxTokens: 512,
      stream: false,
      capabilities,
    },
  );

describe('response_format → Anthropic request', () => {
  it('json_schema without native support: one forced tool whose input_schema is the schema', () => {
    const { request, structured } = convert({ response_format: jsonSchema });
    expect(structured.responseTool).toBe('draft');
    expect(request.tools).toEqual([
      { name: 'draft', description: expect.any(String), input_schema: schema },
    ]);
    expect(request.tool_choice).toEqual({
      type: 'tool',
      name: 'draft',
      disable_parallel_tool_use: true,
    });
    expect(request).not.toHaveProperty('output_config');
  });

  it('json_schema on a model with structured outputs: output_config.format, closed objects', () => {
    const { request, structured } = convert({ response_format: jsonSchema }, native);
    expect(structured.responseTool).toBeNull();
    expect(request.tools).toBeUndefined();
    const format = request.output_config?.format as {
      type: string;
      schema: Record<string, unknown>;
    };
    expect(format.type).toBe('json_schema');
    expect(format.schema).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['subject', 'score', 'stage'],
    });
    // Constraints Anthropic's decoder does not take move into the description.
    expect(format.schema).not.toHaveProperty('$schema');
    const score = (format.schema.properties as Record<string, Record<string, unknown>>).score;
    expect(score).toEqual({ type: 'number', description: '{minimum: 0, maximum: 1}' });
    // The client's body is not edited.
    expect(schema).toHaveProperty('$schema');
  });

  it('json_object: the documented JSON mode, a forced tool taking any object', () => {
    const { request, structured } = convert({ response_format: { type: 'json_object' } }, native);
    expect(structured.responseTool).toBe('json_response');
    expect(request.tools?.[0]?.input_schema).toEqual({
      type: 'object',
      additionalProperties: true,
    });
  });

  it('with the client’s own tools: tool_choice any over both, or no response tool when a tool is required', () => {
    const tools = [
      { type: 'function', function: { name: 'draft', parameters: { type: 'object' } } },
    ];
    const auto = convert({ response_format: jsonSchema, tools });
    expect(auto.structured.responseTool).toBe('draft_resp1');
    expect(auto.request.tools?.map((tool) => tool.name)).toEqual(['draft', 'draft_resp1']);
    expect(auto.request.tool_choice).toEqual({ type: 'any' });
    const none = convert({ response_format: jsonSchema, tools, tool_choice: 'none' });
    expect(none.request.tools?.map((tool) => tool.name)).toEqual(['draft', 'draft_resp1']);
    expect(none.request.tool_choice).toEqual({
      type: 'tool',
      name: 'draft_resp1',
      disable_parallel_tool_use: true,
    });
    const required = convert({ response_format: jsonSchema, tools, tool_choice: 'required' });
    expect(required.structured.responseTool).toBeNull();
    expect(required.request.tools?.map((tool) => tool.name)).toEqual(['draft']);
  });

  it('refuses a response_format the model cannot serve, and what Anthropic lacks, naming the param', () => {
    const refuse = (body: Record<string, unknown>, capabilities = forcedTool) => {
      try {
        convert(body, capabilities);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(
      refuse({ response_format: jsonSchema }, { ...forcedTool, json_schema: 'unsupported' }),
    ).toMatchObject({
      status: 400,
      code: 'unsupported_for_provider',
      param: 'response_format',
    });
    expect(refuse({ logprobs: true })).toMatchObject({ status: 400, param: 'logprobs' });
    expect(refuse({ n: 2 })).toMatchObject({ status: 400, param: 'n' });
  });
});

let fake: AnthropicFake;
let provider: ChatModelProvider;

beforeAll(async () => {
  fake = await startAnthropicFake({ apiKey: 'sk-ant-test' });
  provider = createAnthropicProvider({
    id: 'anthropic',
    baseUrl: fake.url,
    apiKey: 'sk-ant-test',
    timeoutMs: 3_000,
  });
});

afterAll(async () => {
  await provider.close();
  await fake.close();
});

const model = 'claude-3-5-haiku-latest';

describe('structured output through the Anthropic provider', () => {
  it('forced tool: the tool input is the content, finish stop, valid JSON; the fake got the forced tool', async () => {
    const result = await provider.generate(
      { ...chatRequest({ response_format: jsonSchema }, model), capabilities: forcedTool },
      neverAborted(),
    );
    expect(ajv.validate(schema, JSON.parse(result.text))).toBe(true);
    expect(result.toolCalls).toEqual([]);
    expect(result.finishReason).toBe('stop');
    const body = JSON.parse(result.body);
    expect(body.choices[0]).toMatchObject({
      message: { content: result.text },
      finish_reason: 'stop',
    });
    expect(body.choices[0].message.tool_calls).toBeUndefined();
    expect(fake.messageRequests().at(-1)?.body).toMatchObject({
      tool_choice: { type: 'tool', name: 'draft' },
    });
  });

  it('forced tool: whatever tool block answers the forced call is the content', async () => {
    const input = { subject: 'Hi', score: 0.5, stage: 'new' };
    fake.enqueue({
      kind: 'answer',
      content: [{ type: 'tool_use', name: 'renamed_by_a_proxy', input }],
    });
    const result = await provider.generate(
      { ...chatRequest({ response_format: jsonSchema }, model), capabilities: forcedTool },
      neverAborted(),
    );
    expect(JSON.parse(result.text)).toEqual(input);
    expect(result.toolCalls).toEqual([]);
  });

  it('forced tool, streamed: the JSON arrives as content deltas, no tool call chunk', async () => {
    const parts = await collect(
      await provider.stream(
        {
          ...chatRequest({ stream: true, response_format: jsonSchema }, model),
          capabilities: forcedTool,
        },
        neverAborted(),
      ),
    );
    expect(ajv.validate(schema, JSON.parse(textOf(parts)))).toBe(true);
    expect(parts.some((part) => part.type === 'tool-call-delta')).toBe(false);
    for (const part of parts) {
      if ('raw' in part) {
        expect(JSON.parse(part.raw).choices[0]?.delta?.tool_calls).toBeUndefined();
      }
    }
    expect(lastPart(parts)).toMatchObject({ type: 'finish', finishReason: 'stop' });
    const finishChunk = parts.find(
      (part) => 'raw' in part && part.raw.includes('"finish_reason":"stop"'),
    );
    expect(finishChunk).toBeDefined();
  });

  it('native: output_config.format is sent and the JSON text relayed, streamed and not', async () => {
    // Within the subset Anthropic's decoder enforces (no numeric bounds), so the answer is valid.
    const subset = z.toJSONSchema(z.object({ subject: z.string(), stage: z.enum(['new', 'won']) }));
    const format = {
      type: 'json_schema',
      json_schema: { name: 'draft', strict: true, schema: subset },
    };
    const result = await provider.generate(
      { ...chatRequest({ response_format: format }, 'claude-haiku-4-5'), capabilities: native },
      neverAborted(),
    );
    expect(ajv.validate(subset, JSON.parse(result.text))).toBe(true);
    expect(fake.messageRequests().at(-1)?.body).toMatchObject({
      output_config: { format: { type: 'json_schema' } },
    });
    const parts = await collect(
      await provider.stream(
        {
          ...chatRequest({ stream: true, response_format: format }, 'claude-haiku-4-5'),
          capabilities: native,
        },
        neverAborted(),
      ),
    );
    expect(ajv.validate(subset, JSON.parse(textOf(parts)))).toBe(true);
  });

  it('a streamed tool call without arguments carries "{}"; a tool-only turn has no empty content delta', async () => {
    fake.enqueue({
      kind: 'answer',
      content: [{ type: 'tool_use', id: 'toolu_x', name: 'ping', input: {} }],
    });
    const parts = await collect(
      await provider.stream(
        chatRequest(
          { stream: true, tools: [{ type: 'function', function: { name: 'ping' } }] },
          model,
        ),
        neverAborted(),
      ),
    );
    const calls = parts.filter(
      (part): part is Extract<ChatStreamPart, { type: 'tool-call-delta' }> =>
        part.type === 'tool-call-delta',
    );
    expect(calls.map((part) => part.argumentsDelta).join('')).toBe('{}');
    for (const part of parts) {
      if ('raw' in part && part.type !== 'usage') {
        expect(JSON.parse(part.raw).choices[0].delta).not.toHaveProperty('content');
      }
    }
  });
});

describe('Anthropic error mapping', () => {
  it('prompt is too long → 400 context_length_exceeded; 429 keeps retry-after', async () => {
    fake.enqueue({
      kind: 'error',
      status: 400,
      errorType: 'invalid_request_error',
      message: 'prompt is too long: 210000 tokens > 200000 maximum',
    });
    expect(
      await rejectionOf(provider.generate(chatRequest({}, model), neverAborted())),
    ).toMatchObject({
      status: 400,
      type: 'invalid_request_error',
      code: 'context_length_exceeded',
      param: 'messages',
      isRetryable: false,
    });
    fake.enqueue({
      kind: 'error',
      status: 429,
      errorType: 'rate_limit_error',
      headers: { 'retry-after': '7' },
    });
    expect(
      await rejectionOf(provider.generate(chatRequest({}, model), neverAborted())),
    ).toMatchObject({
      status: 429,
      type: 'rate_limit_error',
      headers: { 'retry-after': '7' },
      retryAfterMs: 7_000,
    });
  });
});
