import { ContextOverflowError } from '@langchain/core/errors';
import { ChatOpenAI } from '@langchain/openai';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import { type AnthropicFake, startAnthropicFake } from '../../fakes/anthropic-fake.ts';
import { closeSharedPglite } from '../../helpers/pglite.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';

/**
 * Issue 13, Must show 4: through the Anthropic translation, "prompt is too long" arrives as 400
 * `context_length_exceeded` (LangChain raises `ContextOverflowError`), and a 529 as 503 with
 * `Retry-After`; rate limits keep their Retry-After, and Anthropic refusing the gateway's own key is
 * a 502 `upstream_auth_error`, not a 401 about the client's key.
 */
const model = 'anthropic/claude-3-5-haiku-latest';
const messages = [{ role: 'user' as const, content: 'Write to Dana at Initech.' }];
const tooLong = {
  kind: 'error',
  status: 400,
  errorType: 'invalid_request_error',
  message: 'prompt is too long: 210344 tokens > 200000 maximum',
} as const;
const overloaded = {
  kind: 'error',
  status: 529,
  errorType: 'overloaded_error',
  message: 'Overloaded',
} as const;

let fake: AnthropicFake;
let gateway: RunningGateway;
let client: OpenAI;

beforeAll(async () => {
  fake = await startAnthropicFake({ apiKey: 'sk-ant-test' });
  gateway = await startTestGateway({
    env: { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: fake.url },
    // The breaker would open after a few of these failures (as it should); kept closed here so
    // every case reaches the upstream.
    file: {
      rate_limit: { default_rpm: 1_000_000 },
      circuit_breaker: { min_requests: 1_000_000 },
    },
  });
  client = new OpenAI({ apiKey: 'unused', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
});

afterEach(() => {
  fake.setDefault({ kind: 'answer' });
});

afterAll(async () => {
  await gateway?.shutdown();
  await fake?.close();
  await closeSharedPglite();
});

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

describe('Anthropic errors through the gateway', () => {
  it('a context overflow is 400 context_length_exceeded, streamed and not', async () => {
    fake.setDefault(tooLong);
    for (const stream of [false, true]) {
      const error = await failureOf(client.chat.completions.create({ model, messages, stream }));
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error).toMatchObject({
        status: 400,
        type: 'invalid_request_error',
        code: 'context_length_exceeded',
        param: 'messages',
      });
      expect(error.message).toContain('prompt is too long');
    }
  });

  it('LangChain raises ContextOverflowError for it', async () => {
    fake.setDefault(tooLong);
    const chat = new ChatOpenAI({
      model,
      apiKey: 'unused',
      configuration: { baseURL: `${gateway.url}/v1` },
      maxRetries: 0,
    });
    let caught: unknown;
    try {
      await chat.invoke('Write to Dana at Initech.');
    } catch (error) {
      caught = error;
    }
    expect(ContextOverflowError.isInstance(caught)).toBe(true);
  });

  it('529 overloaded arrives as 503 overloaded with Retry-After, streamed and not', async () => {
    fake.setDefault(overloaded);
    for (const stream of [false, true]) {
      const error = await failureOf(client.chat.completions.create({ model, messages, stream }));
      expect(error).toBeInstanceOf(OpenAI.InternalServerError);
      expect(error).toMatchObject({ status: 503, type: 'server_error', code: 'overloaded' });
      expect(Number(error.headers?.get('retry-after'))).toBeGreaterThan(0);
    }
  });

  it('an overloaded error event mid-stream ends the stream with an `overloaded` error frame', async () => {
    fake.setDefault({
      kind: 'error-event',
      afterFrames: 4,
      errorType: 'overloaded_error',
      message: 'Overloaded',
    });
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages, stream: true }),
    });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).not.toContain('[DONE]');
    const last = text.trim().split('\n\n').at(-1) ?? '';
    expect(JSON.parse(last.replace(/^data: /, ''))).toMatchObject({
      error: { type: 'server_error', code: 'overloaded' },
    });
  });

  it('a rate limit is 429 with the upstream’s Retry-After kept', async () => {
    fake.setDefault({
      kind: 'error',
      status: 429,
      errorType: 'rate_limit_error',
      message: 'slow down',
      headers: { 'retry-after': '1' },
    });
    const error = await failureOf(client.chat.completions.create({ model, messages }));
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.headers?.get('retry-after')).toBe('1');
  });

  it('Anthropic refusing the gateway’s key is 502 upstream_auth_error, not 401', async () => {
    fake.setDefault({
      kind: 'error',
      status: 401,
      errorType: 'authentication_error',
      message: 'invalid x-api-key',
    });
    const error = await failureOf(client.chat.completions.create({ model, messages }));
    expect(error).toMatchObject({ status: 502, code: 'upstream_auth_error' });
    expect(error).not.toBeInstanceOf(OpenAI.AuthenticationError);
  });
});
