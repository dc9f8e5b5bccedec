import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AnthropicSimulator,
  type OpenAIChatSimulator,
  sendJson,
  startAnthropicSimulator,
  startOpenAIChatSimulator,
} from '../../../../src/cli/simulators/index.ts';

/** The simulators are only useful if the vendors' own SDKs accept what they send. */
let openaiFake: OpenAIChatSimulator;
let anthropicFake: AnthropicSimulator;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  openaiFake = await startOpenAIChatSimulator({
    routes: [
      (request, response, body) => {
        if (request.url !== '/v1/fine_tuning/jobs' || request.method !== 'POST') {
          return false;
        }
        const parsed = JSON.parse(body.toString('utf8')) as { model: string };
        sendJson(response, 200, {
          id: 'ftjob-1',
          object: 'fine_tuning.job',
          model: parsed.model,
          status: 'queued',
        });
        return true;
      },
    ],
  });
  anthropicFake = await startAnthropicSimulator();
  openai = new OpenAI({ apiKey: 'sk-test', baseURL: openaiFake.url, maxRetries: 0 });
  anthropic = new Anthropic({ apiKey: 'sk-ant-test', baseURL: anthropicFake.url, maxRetries: 0 });
});

afterAll(async () => {
  await openaiFake.close();
  await anthropicFake.close();
});

describe('OpenAI chat simulator against the openai SDK', () => {
  it('answers chat completions, streams with usage, lists models and mounts extra routes', async () => {
    const completion = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Say hi to Ada' }],
    });
    expect(completion.model).toBe('gpt-4o-mini');
    expect(completion.choices[0]?.message.content).toContain('Say hi to Ada');

    openaiFake.enqueue({
      kind: 'answer',
      toolCalls: [{ name: 'lookup', arguments: '{"q":"Ada"}' }],
    });
    const stream = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Find Ada' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let argumentsText = '';
    let finishReason: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      argumentsText += chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? '';
      finishReason = chunk.choices[0]?.finish_reason ?? finishReason;
      usage = chunk.usage ?? usage;
    }
    expect(JSON.parse(argumentsText)).toEqual({ q: 'Ada' });
    expect(finishReason).toBe('tool_calls');
    expect(usage?.prompt_tokens).toBeGreaterThan(0);

    const models = await openai.models.list();
    expect(models.data.map((model) => model.id)).toContain('gpt-4o-mini');

    const job = await openai.fineTuning.jobs.create({
      model: 'gpt-4o-mini-2024-07-18',
      training_file: 'file-1',
    });
    expect(job).toMatchObject({ id: 'ftjob-1', status: 'queued' });
  });

  it('scripted errors reach the SDK as its typed errors', async () => {
    openaiFake.enqueue({
      kind: 'status',
      status: 429,
      headers: { 'retry-after': '1' },
      body: {
        error: { message: 'slow down', type: 'requests', param: null, code: 'rate_limit_exceeded' },
      },
    });
    await expect(
      openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toBeInstanceOf(OpenAI.RateLimitError);

    openaiFake.enqueue({ kind: 'error-frame', afterFrames: 2 });
    const stream = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    await expect(
      (async () => {
        for await (const _chunk of stream) {
          // drain until the error frame
        }
      })(),
    ).rejects.toBeInstanceOf(OpenAI.APIError);
  });
});

describe('Anthropic simulator against the @anthropic-ai/sdk', () => {
  it('answers messages and streams events the SDK accumulates into the same message', async () => {
    const message = await anthropic.messages.create({
      model: 'claude-3-5-haiku-latest',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Say hi to Ada' }],
    });
    expect(message.content[0]).toMatchObject({ type: 'text' });
    expect(message.stop_reason).toBe('end_turn');

    anthropicFake.enqueue({
      kind: 'answer',
      content: [
        { type: 'text', text: 'Looking up.' },
        { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { q: 'Ada', limit: 2 } },
      ],
    });
    const final = await anthropic.messages
      .stream({
        model: 'claude-3-5-haiku-latest',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'Find Ada' }],
      })
      .finalMessage();
    expect(final.content).toEqual([
      expect.objectContaining({ type: 'text', text: 'Looking up.' }),
      expect.objectContaining({
        type: 'tool_use',
        id: 'toolu_1',
        name: 'lookup',
        input: { q: 'Ada', limit: 2 },
      }),
    ]);
    expect(final.stop_reason).toBe('tool_use');
    expect(final.usage.output_tokens).toBeGreaterThan(0);
  });

  it('errors come in Anthropic’s envelope, including 529 overloaded', async () => {
    anthropicFake.enqueue({
      kind: 'error',
      status: 529,
      errorType: 'overloaded_error',
      message: 'Overloaded',
    });
    const error = await anthropic.messages
      .create({
        model: 'claude-3-5-haiku-latest',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'x' }],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error).toMatchObject({
      status: 529,
      error: { type: 'error', error: { type: 'overloaded_error' } },
    });
  });
});
