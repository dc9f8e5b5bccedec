import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayConfigInput, gatewayConfigSchema } from '../../../src/config/index.ts';
import { createProviders } from '../../../src/providers/index.ts';
import { type AnthropicFake, startAnthropicFake } from '../../fakes/anthropic-fake.ts';
import { type OpenAIFake, startOpenAIFake } from '../../fakes/openai-fake.ts';
import { chatRequest, collect, lastPart, neverAborted } from './stream-helpers.ts';

let openai: OpenAIFake;
let together: OpenAIFake;
let anthropic: AnthropicFake;
let vllm: OpenAIFake;

beforeAll(async () => {
  [openai, together, anthropic, vllm] = await Promise.all([
    startOpenAIFake(),
    startOpenAIFake({ style: 'together' }),
    startAnthropicFake(),
    startOpenAIFake(),
  ]);
});

afterAll(async () => {
  await Promise.all([openai.close(), together.close(), anthropic.close(), vllm.close()]);
});

const config = (input: GatewayConfigInput) => gatewayConfigSchema.parse(input);

describe('createProviders', () => {
  it('builds one provider per enabled entry, by type, each talking to its own upstream', async () => {
    const registry = createProviders(
      config({
        providers: {
          openai: { type: 'openai', base_url: openai.url, api_key: 'sk-o' },
          together: { type: 'together', base_url: together.url, api_key: 'tg' },
          anthropic: {
            type: 'anthropic',
            base_url: anthropic.url,
            api_key: 'sk-a',
            anthropic_version: '2023-01-01',
            anthropic_default_max_tokens: 77,
          },
          vllm: { type: 'openai-compatible', base_url: vllm.url, headers: { 'X-Tenant': 'lab' } },
          disabled: { type: 'openai', base_url: openai.url, enabled: false },
          sandbox: { type: 'sandbox', sandbox_latency_ms: 0 },
        },
      }),
    );
    try {
      expect(registry.all().map((provider) => [provider.id, provider.type])).toEqual([
        ['openai', 'openai'],
        ['together', 'together'],
        ['anthropic', 'anthropic'],
        ['vllm', 'openai-compatible'],
        ['sandbox', 'sandbox'],
      ]);
      expect(registry.get('disabled')).toBeUndefined();

      await registry.get('openai')?.generate(chatRequest({}, 'gpt-4o-mini'), neverAborted());
      expect(openai.chatRequests().at(-1)?.headers.authorization).toBe('Bearer sk-o');
      await registry.get('together')?.generate(chatRequest({}, 'meta-llama/x'), neverAborted());
      expect(together.chatRequests().at(-1)?.headers.authorization).toBe('Bearer tg');
      const vllmResult = await registry
        .get('vllm')
        ?.generate(chatRequest({}, 'local-model'), neverAborted());
      expect(vllmResult?.upstreamModel).toBe('local-model');
      expect(vllm.chatRequests().at(-1)?.headers.authorization).toBeUndefined();
      expect(vllm.chatRequests().at(-1)?.headers['x-tenant']).toBe('lab');

      const claude = registry.get('anthropic');
      if (claude === undefined) {
        throw new Error('anthropic provider missing');
      }
      const parts = await collect(
        await claude.stream(
          chatRequest({ stream: true }, 'claude-3-5-haiku-latest'),
          neverAborted(),
        ),
      );
      expect(lastPart(parts).type).toBe('finish');
      const sent = anthropic.messageRequests().at(-1);
      expect(sent?.headers['anthropic-version']).toBe('2023-01-01');
      expect((sent?.body as { max_tokens?: number } | undefined)?.max_tokens).toBe(77);

      const sandbox = await registry
        .get('sandbox')
        ?.generate(chatRequest({}, 'outreach-v1'), neverAborted());
      expect(sandbox?.upstreamModel).toBe('sandbox/outreach-v1');
    } finally {
      await registry.close();
      await registry.close();
    }
  });

  it('always has a sandbox, with the sandbox settings of its entry', async () => {
    const bare = createProviders(config({}));
    expect(bare.all().map((provider) => provider.id)).toEqual(['sandbox']);
    await bare.close();

    const failing = createProviders(
      config({ providers: { sandbox: { type: 'sandbox', sandbox_error_rate: 0.5 } } }),
      { random: () => 0.25 },
    );
    await expect(
      failing.get('sandbox')?.generate(chatRequest({}, 'outreach-v1'), neverAborted()),
    ).rejects.toMatchObject({ status: 503 });
    await failing.close();
  });

  it('refuses an openai-compatible provider without a base URL', () => {
    // The config schema refuses it with its other errors; createProviders still checks.
    expect(() => config({ providers: { ollama: { type: 'openai-compatible' } } })).toThrow(
      /required for an openai-compatible provider/,
    );
    const parsed = config({
      providers: { ollama: { type: 'openai-compatible', base_url: 'http://127.0.0.1:9/v1' } },
    });
    const { base_url: _baseUrl, ...ollama } = parsed.providers.ollama ?? { type: 'sandbox' };
    expect(() => createProviders({ ...parsed, providers: { ollama } } as typeof parsed)).toThrow(
      /providers\.ollama\.base_url/,
    );
  });
});
