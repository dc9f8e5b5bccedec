import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import { type OpenAIFake, startOpenAIFake } from '../../fakes/openai-fake.ts';
import { closeSharedPglite } from '../../helpers/pglite.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';
import { metricValue } from '../router/gateway-probes.ts';

/**
 * Issue 2: "forward the usage chunk only when the client asked with
 * `stream_options.include_usage`". Together puts `usage` on its last content chunk (the fake does
 * as the real API does): a client that did not ask never sees it, one that asked sees it exactly
 * once, in OpenAI's usage chunk; the gateway counts the tokens either way.
 */
const model = 'llama-3.1-70b-instruct-turbo';
const content = 'Hi Dana, congrats on the Initech launch';
const usage = { prompt_tokens: 23, completion_tokens: 9 };

let together: OpenAIFake;
let gateway: RunningGateway;

beforeAll(async () => {
  together = await startOpenAIFake({ style: 'together', usageOnLastContentChunk: true });
  gateway = await startTestGateway({
    env: { TOGETHER_API_KEY: 'together-test', TOGETHER_BASE_URL: together.url },
  });
});

afterAll(async () => {
  await gateway?.shutdown();
  await together?.close();
  await closeSharedPglite();
});

interface Chunk {
  choices: Array<{ delta?: { content?: string | null }; finish_reason?: string | null }>;
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
}

async function stream(body: Record<string, unknown>) {
  together.enqueue({ kind: 'answer', content, usage });
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model,
      stream: true,
      messages: [{ role: 'user', content: 'Write to Dana.' }],
      ...body,
    }),
  });
  expect(response.status).toBe(200);
  const raw = await response.text();
  const frames = raw
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: '))
    .map((frame) => frame.slice('data: '.length));
  expect(frames.at(-1)).toBe('[DONE]');
  const chunks = frames.slice(0, -1).map((frame) => JSON.parse(frame) as Chunk);
  const text = chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('');
  return { raw, chunks, text };
}

const completionTokens = async () =>
  (await metricValue(gateway.url, 'rekindle_tokens_total', { model, type: 'completion' })) ?? 0;

describe('usage in Together streams through the gateway', () => {
  it('asks Together for usage on every stream, whatever the client asked', async () => {
    await stream({});
    // What the fake answered: the gateway always asks upstream for usage.
    expect(together.chatRequests().at(-1)?.body).toMatchObject({
      stream_options: { include_usage: true },
    });
  });

  it('is stripped from the content chunk when the client did not ask, and still counted', async () => {
    const before = await completionTokens();
    const { raw, chunks, text } = await stream({});
    expect(text).toBe(content);
    expect(raw).not.toMatch(/"usage":\{/);
    expect(chunks.every((chunk) => chunk.usage === undefined || chunk.usage === null)).toBe(true);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(await completionTokens()).toBe(before + usage.completion_tokens);
  });

  it('reaches a client that asked exactly once, as a usage chunk before [DONE]', async () => {
    const before = await completionTokens();
    const { chunks, text } = await stream({ stream_options: { include_usage: true } });
    expect(text).toBe(content);
    const withUsage = chunks.filter((chunk) => chunk.usage !== undefined && chunk.usage !== null);
    expect(withUsage).toHaveLength(1);
    expect(chunks.at(-1)).toBe(withUsage[0]);
    expect(withUsage[0]).toMatchObject({ choices: [], usage });
    expect(await completionTokens()).toBe(before + usage.completion_tokens);
  });
});
