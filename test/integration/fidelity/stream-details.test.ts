import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import { type AnthropicFake, startAnthropicFake } from '../../fakes/anthropic-fake.ts';
import { type OpenAIFake, startOpenAIFake } from '../../fakes/openai-fake.ts';
import { closeSharedPglite } from '../../helpers/pglite.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';

/**
 * Issue 13, stream details, through the gateway over real HTTP: a streamed Anthropic tool call
 * without arguments carries "{}" (so the openai SDK's `runTools` works), a tool-only Anthropic turn
 * starts with no empty content delta, and relayed OpenAI chunks carry no `usage` key unless the
 * client asked for usage.
 */
let openai: OpenAIFake;
let together: OpenAIFake;
let anthropic: AnthropicFake;
let gateway: RunningGateway;
let client: OpenAI;

beforeAll(async () => {
  [openai, together, anthropic] = await Promise.all([
    startOpenAIFake(),
    startOpenAIFake({ style: 'together' }),
    startAnthropicFake(),
  ]);
  gateway = await startTestGateway({
    env: {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: openai.url,
      TOGETHER_API_KEY: 'together-test',
      TOGETHER_BASE_URL: together.url,
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: anthropic.url,
    },
  });
  client = new OpenAI({ apiKey: 'unused', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await gateway?.shutdown();
  await Promise.all([openai?.close(), together?.close(), anthropic?.close()]);
  await closeSharedPglite();
});

/** The raw `data:` payloads of a streamed completion, as the client receives them. */
async function rawChunks(body: Record<string, unknown>): Promise<string[]> {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      messages: [{ role: 'user', content: 'Hi Dana' }],
      stream: true,
      ...body,
    }),
  });
  expect(response.status).toBe(200);
  const text = await response.text();
  return text
    .split('\n\n')
    .map((frame) => frame.replace(/^data: /, '').trim())
    .filter((data) => data.length > 0 && data !== '[DONE]');
}

describe('relayed OpenAI-compatible streams', () => {
  it('carry no usage key unless the client asked for usage', async () => {
    for (const model of ['gpt-4o-mini', 'llama-3.1-70b-instruct-turbo']) {
      const chunks = await rawChunks({ model });
      expect(chunks.length).toBeGreaterThan(2);
      for (const chunk of chunks) {
        expect(chunk).not.toContain('"usage"');
      }
      const withUsage = await rawChunks({ model, stream_options: { include_usage: true } });
      expect(withUsage.filter((chunk) => JSON.parse(chunk).usage?.total_tokens > 0)).toHaveLength(
        1,
      );
    }
  });
});

describe('Anthropic tool calls, streamed', () => {
  it('a call without arguments carries "{}" and the turn starts without an empty content delta', async () => {
    anthropic.enqueue({
      kind: 'answer',
      content: [{ type: 'tool_use', name: 'list_campaigns', input: {} }],
    });
    const chunks = (
      await rawChunks({
        model: 'anthropic/claude-3-5-haiku-latest',
        tools: [
          {
            type: 'function',
            function: { name: 'list_campaigns', parameters: { type: 'object', properties: {} } },
          },
        ],
      })
    ).map((chunk) => JSON.parse(chunk));
    const deltas = chunks.flatMap((chunk) => chunk.choices).map((choice) => choice.delta);
    expect(deltas.some((delta) => delta.content === '')).toBe(false);
    const args = deltas
      .flatMap((delta) => delta.tool_calls ?? [])
      .map((call) => call.function?.arguments ?? '')
      .join('');
    expect(args).toBe('{}');
  });

  it('the openai SDK’s runTools completes a loop over Claude with an argument-less tool', async () => {
    anthropic.enqueue(
      { kind: 'answer', content: [{ type: 'tool_use', name: 'list_campaigns', input: {} }] },
      { kind: 'answer', content: [{ type: 'text', text: 'You have two campaigns running.' }] },
    );
    let called = 0;
    const runner = client.chat.completions.runTools({
      model: 'anthropic/claude-3-5-haiku-latest',
      stream: true,
      messages: [{ role: 'user', content: 'Which campaigns are running?' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'list_campaigns',
            description: 'List the running campaigns',
            parameters: { type: 'object', properties: {} },
            parse: JSON.parse,
            function: () => {
              called += 1;
              return ['spring-launch', 'q3-renewals'];
            },
          },
        },
      ],
    });
    expect(await runner.finalContent()).toBe('You have two campaigns running.');
    expect(called).toBe(1);
    const second = anthropic.messageRequests().at(-1)?.body as {
      messages: Array<{ content: unknown[] }>;
    };
    expect(JSON.stringify(second.messages)).toContain('tool_result');
  });
});
