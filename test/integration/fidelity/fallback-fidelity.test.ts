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
import { metricValue } from '../router/gateway-probes.ts';

/**
 * Issue 13, Must show 2: the `outreach` route (gpt-4o-mini, falling back to claude-3-5-haiku) with
 * OpenAI failing — answering 500, then with its breaker open:
 * - a `json_schema` request is served by the capable fallback (Claude, through a forced tool);
 * - an `n: 2` request gets OpenAI's own error, not a 400 about a model the client never asked for;
 * - a `logprobs` request gets OpenAI's error while OpenAI is tried, and a 400 naming `logprobs`
 *   (and the model) once only Claude is left.
 */
const Draft = z.object({ subject: z.string(), body: z.string() });
const format = zodResponseFormat(Draft, 'draft');
const ajv = new Ajv2020({ strict: false });
const openAIError = {
  kind: 'status',
  status: 500,
  body: {
    error: {
      message: 'The server had an error while processing your request.',
      type: 'server_error',
      param: null,
      code: 'upstream_overheated',
    },
  },
} as const;
const messages = [{ role: 'user' as const, content: 'Write to Dana at Initech.' }];

let openai: OpenAIFake;
let anthropic: AnthropicFake;

beforeAll(async () => {
  [openai, anthropic] = await Promise.all([startOpenAIFake(), startAnthropicFake()]);
  openai.setDefault(openAIError);
});

afterAll(async () => {
  await Promise.all([openai?.close(), anthropic?.close()]);
  await closeSharedPglite();
});

function startGateway(minRequests: number) {
  return startTestGateway({
    env: {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: openai.url,
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: anthropic.url,
    },
    file: {
      routes: {
        outreach: {
          models: ['gpt-4o-mini'],
          fallbacks: ['claude-3-5-haiku'],
          retry: { max_attempts: 2, initial_backoff_ms: 5, max_backoff_ms: 10 },
        },
      },
      circuit_breaker: {
        failure_threshold: 0.5,
        min_requests: minRequests,
        window_ms: 60_000,
        cooldown_ms: 600_000,
      },
      rate_limit: { default_rpm: 1_000_000 },
    },
  });
}

async function failureOf(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OpenAI.APIError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected the request to fail');
}

function validDraft(content: string | null | undefined): boolean {
  const { $schema: _dialect, ...schema } = format.json_schema.schema as Record<string, unknown>;
  return ajv.validate(schema, JSON.parse(content ?? ''));
}

const calls = () => ({
  openai: openai.chatRequests().length,
  anthropic: anthropic.messageRequests().length,
});

describe('OpenAI answers 500 (its breaker still closed)', () => {
  let gateway: RunningGateway;
  let client: OpenAI;

  beforeAll(async () => {
    gateway = await startGateway(10_000);
    client = new OpenAI({ apiKey: 'unused', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await gateway?.shutdown();
  });

  it('json_schema: served by the capable fallback, streamed and not, through its forced tool', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'outreach', messages, response_format: format })
      .withResponse();
    expect(response.headers.get('x-rekindle-model')).toBe('claude-3-5-haiku');
    expect(validDraft(data.choices[0]?.message.content)).toBe(true);
    expect(anthropic.messageRequests().at(-1)?.body).toMatchObject({
      tool_choice: { type: 'tool', name: 'draft' },
    });

    const stream = await client.chat.completions.create({
      model: 'outreach',
      messages,
      response_format: format,
      stream: true,
    });
    let content = '';
    for await (const chunk of stream) {
      content += chunk.choices[0]?.delta.content ?? '';
    }
    expect(validDraft(content)).toBe(true);
  });

  it('n: 2: the OpenAI error (status, type, code), and Claude is never asked', async () => {
    const before = calls();
    const error = await failureOf(
      client.chat.completions.create({ model: 'outreach', messages, n: 2 }),
    );
    expect(error.status).toBe(500);
    expect(error.type).toBe('server_error');
    expect(error.code).toBe('upstream_overheated');
    expect(error.message).not.toMatch(/anthropic|claude|n must be 1/i);
    expect(calls()).toEqual({ openai: before.openai + 2, anthropic: before.anthropic });

    const streamed = await failureOf(
      client.chat.completions.create({ model: 'outreach', messages, n: 2, stream: true }),
    );
    expect(streamed).toMatchObject({ status: 500, code: 'upstream_overheated' });
  });

  it('logprobs: the OpenAI error while OpenAI can still be tried', async () => {
    const error = await failureOf(
      client.chat.completions.create({ model: 'outreach', messages, logprobs: true }),
    );
    expect(error).toMatchObject({ status: 500, type: 'server_error', code: 'upstream_overheated' });
  });
});

describe('OpenAI’s breaker open', () => {
  let gateway: RunningGateway;
  let client: OpenAI;

  beforeAll(async () => {
    gateway = await startGateway(2);
    client = new OpenAI({ apiKey: 'unused', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    // Two failed attempts on gpt-4o-mini open its breaker; the request itself is served by Claude.
    await client.chat.completions.create({ model: 'outreach', messages });
    expect(await metricValue(gateway.url, 'rekindle_circuit_open', { model: 'gpt-4o-mini' })).toBe(
      1,
    );
  });

  afterAll(async () => {
    await gateway?.shutdown();
  });

  it('json_schema: Claude serves it, OpenAI is not called', async () => {
    const before = calls();
    const completion = await client.chat.completions.create({
      model: 'outreach',
      messages,
      response_format: format,
    });
    expect(validDraft(completion.choices[0]?.message.content)).toBe(true);
    expect(calls()).toEqual({ openai: before.openai, anthropic: before.anthropic + 1 });
  });

  it('logprobs: 400 naming logprobs and the model left, with no upstream call', async () => {
    const before = calls();
    const error = await failureOf(
      client.chat.completions.create({ model: 'outreach', messages, logprobs: true }),
    );
    expect(error.status).toBe(400);
    expect(error.type).toBe('invalid_request_error');
    expect(error.code).toBe('unsupported_for_provider');
    expect(error.param).toBe('logprobs');
    expect(error.message).toContain('claude-3-5-haiku');
    expect(error.message).toContain('gpt-4o-mini');
    expect(calls()).toEqual(before);
    // A refused request says nothing about Claude's health: its breaker stays closed.
    expect(
      await metricValue(gateway.url, 'rekindle_circuit_open', { model: 'claude-3-5-haiku' }),
    ).toBe(0);
  });
});
