import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import { type OpenAIFake, startOpenAIFake } from '../../fakes/openai-fake.ts';
import { closeSharedPglite } from '../../helpers/pglite.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';
import { openaiClient, requestedModel } from './gateway-probes.ts';

/**
 * The seed's hybrid routing, configured exactly as docs/routing.md shows it (the JSON block after
 * the `hybrid-config` marker), through real HTTP: complex → GPT-4o, simple → Llama 70B on Together.
 */
function documentedHybridConfig(): Record<string, unknown> {
  const doc = readFileSync(join(import.meta.dirname, '../../../docs/routing.md'), 'utf8');
  const afterMarker = doc.slice(doc.indexOf('<!-- hybrid-config'));
  const block = /```json\n([\s\S]*?)\n```/.exec(afterMarker)?.[1];
  if (!block) {
    throw new Error('docs/routing.md lost its hybrid-config block');
  }
  return JSON.parse(block) as Record<string, unknown>;
}

describe('the documented hybrid rules', () => {
  let openai: OpenAIFake;
  let together: OpenAIFake;
  let gateway: RunningGateway;
  let client: OpenAI;

  beforeAll(async () => {
    openai = await startOpenAIFake();
    together = await startOpenAIFake({ style: 'together' });
    gateway = await startTestGateway({
      env: {
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: openai.url,
        TOGETHER_API_KEY: 'together-test',
        TOGETHER_BASE_URL: together.url,
      },
      file: documentedHybridConfig(),
    });
    client = openaiClient(gateway.url);
  });

  afterAll(async () => {
    await gateway?.shutdown();
    await openai?.close();
    await together?.close();
    await closeSharedPglite();
  });

  async function ask(metadata: Record<string, string> | undefined, content = 'Write an opener.') {
    const { response } = await client.chat.completions
      .create({
        model: 'outreach',
        messages: [{ role: 'user', content }],
        ...(metadata ? { metadata } : {}),
      })
      .withResponse();
    return {
      model: response.headers.get('x-rekindle-model'),
      provider: response.headers.get('x-rekindle-provider'),
      variant: response.headers.get('x-rekindle-variant'),
    };
  }

  it('sends complex requests to GPT-4o and simple ones to Llama 70B on Together', async () => {
    expect(await ask({ complexity: 'complex' })).toEqual({
      model: 'gpt-4o',
      provider: 'openai',
      variant: 'rule:complex',
    });
    expect(requestedModel(openai.chatRequests().at(-1))).toBe('gpt-4o');
    expect(await ask({ complexity: 'high' })).toMatchObject({ model: 'gpt-4o' });

    expect(await ask({ complexity: 'simple' })).toEqual({
      model: 'llama-3.1-70b-instruct-turbo',
      provider: 'together',
      variant: 'rule:simple',
    });
    expect(requestedModel(together.chatRequests().at(-1))).toBe(
      'meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo',
    );
  });

  it('sends long prompts to GPT-4o and unlabelled short ones to the route models', async () => {
    expect(await ask(undefined, 'Background: '.repeat(1_100))).toMatchObject({
      model: 'gpt-4o',
      variant: 'rule:long',
    });
    expect(await ask(undefined)).toEqual({
      model: 'llama-3.1-70b-instruct-turbo',
      provider: 'together',
      variant: 'baseline',
    });
  });

  it('keeps the route fallbacks under a rule', async () => {
    openai.enqueue(
      { kind: 'status', status: 503, body: { error: { message: 'busy', type: 'server_error' } } },
      { kind: 'status', status: 503, body: { error: { message: 'busy', type: 'server_error' } } },
    );
    expect(await ask({ complexity: 'complex' })).toMatchObject({
      model: 'gpt-4o-mini',
      variant: 'rule:complex',
    });
    expect(openai.chatRequests().slice(-3).map(requestedModel)).toEqual([
      'gpt-4o',
      'gpt-4o',
      'gpt-4o-mini',
    ]);
  });
});
