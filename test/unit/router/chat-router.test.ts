import { describe, expect, it } from 'vitest';
import { loadConfig, readEnv } from '../../../src/config/index.ts';
import { createMetrics } from '../../../src/metrics/index.ts';
import type {
  ChatModelProvider,
  ChatRequest,
  ChatResult,
  ChatStreamPart,
} from '../../../src/providers/chat-model.ts';
import { ProviderError } from '../../../src/providers/index.ts';
import { ChatRouter, type RequestFeatures } from '../../../src/router/index.ts';

/** A provider double behind the real interface: answers from a script, records what it was asked. */
function scriptedProvider(id: string, script: Array<'ok' | 429 | 500 | 400 | 'timeout'>) {
  const calls: string[] = [];
  const next = (request: ChatRequest) => {
    calls.push(request.upstreamModel);
    const step = script.length > 1 ? script.shift() : script[0];
    if (step === 'ok') {
      return;
    }
    if (step === 'timeout') {
      throw new ProviderError('timed out', { provider: id, kind: 'timeout' });
    }
    throw new ProviderError(`status ${step}`, {
      provider: id,
      kind: 'upstream',
      upstreamStatus: step as number,
      ...(step === 429 ? { retryAfterMs: 10 } : {}),
    });
  };
  const provider: ChatModelProvider = {
    id,
    type: id === 'together' ? 'together' : 'openai',
    async generate(request): Promise<ChatResult> {
      next(request);
      return {
        body: JSON.stringify({ model: request.upstreamModel }),
        text: 'hello',
        toolCalls: [],
        finishReason: 'stop',
        usage: { promptTokens: 10, completionTokens: 5, cachedPromptTokens: null },
        upstreamModel: request.upstreamModel,
        upstreamLatencyMs: 1,
      };
    },
    async stream(request): Promise<AsyncIterable<ChatStreamPart>> {
      next(request);
      return (async function* () {
        yield { type: 'text-delta', delta: 'hi', raw: '{}' } as const;
        yield {
          type: 'finish',
          finishReason: 'stop',
          usage: { promptTokens: 1, completionTokens: 1, cachedPromptTokens: null },
          upstreamModel: request.upstreamModel,
          timeToFirstTokenMs: 1,
          upstreamLatencyMs: 1,
        } as const;
      })();
    },
    async close() {},
  };
  return { provider, calls };
}

const features = (overrides: Partial<RequestFeatures> = {}): RequestFeatures => ({
  metadata: {},
  promptTokens: 100,
  stream: false,
  hasTools: false,
  assignmentKey: 'lead-1',
  ...overrides,
});

function build(
  routeOverrides: Record<string, unknown>,
  scripts: Record<string, Parameters<typeof scriptedProvider>[1]>,
) {
  const config = loadConfig({
    env: readEnv({ OPENAI_API_KEY: 'k', TOGETHER_API_KEY: 'k' }),
    file: {
      routes: {
        outreach: {
          models: ['gpt-4o-mini'],
          fallbacks: ['llama-3.1-70b-instruct-turbo'],
          retry: { max_attempts: 2, initial_backoff_ms: 1, max_backoff_ms: 2 },
          ...routeOverrides,
        },
      },
      circuit_breaker: {
        failure_threshold: 0.5,
        min_requests: 3,
        window_ms: 60_000,
        cooldown_ms: 60_000,
      },
    },
  });
  const doubles = Object.fromEntries(
    Object.entries(scripts).map(([id, script]) => [id, scriptedProvider(id, script)]),
  );
  const metrics = createMetrics({ defaultMetrics: false });
  const router = new ChatRouter({
    config,
    metrics,
    providers: { get: (id) => doubles[id]?.provider },
    sleep: async () => {},
  });
  return { router, doubles, metrics };
}

const body = { model: 'outreach', messages: [{ role: 'user' as const, content: 'hi' }] };
const signal = new AbortController().signal;

describe('ChatRouter', () => {
  it('retries a 500 once, then falls back to the next model', async () => {
    const { router, doubles, metrics } = build({}, { openai: [500], together: ['ok'] });
    const result = await router.generate(router.plan('outreach', features()), body, signal);
    expect(result.target.name).toBe('llama-3.1-70b-instruct-turbo');
    expect(doubles.openai?.calls).toEqual(['gpt-4o-mini', 'gpt-4o-mini']);
    expect(result.attempts).toBe(3);
    const fallbacks = await metrics.fallbacksTotal.get();
    expect(fallbacks.values[0]?.labels).toMatchObject({ from_model: 'gpt-4o-mini', reason: '500' });
  });

  it('leaves a rate-limited model at once when there is a fallback', async () => {
    const { router, doubles } = build({}, { openai: [429], together: ['ok'] });
    await router.generate(router.plan('outreach', features()), body, signal);
    expect(doubles.openai?.calls).toHaveLength(1);
  });

  it('does not retry or fall back on a 400', async () => {
    const { router, doubles } = build({}, { openai: [400], together: ['ok'] });
    await expect(
      router.generate(router.plan('outreach', features()), body, signal),
    ).rejects.toMatchObject({
      status: 400,
    });
    expect(doubles.openai?.calls).toHaveLength(1);
    expect(doubles.together?.calls).toHaveLength(0);
  });

  it('opens the breaker after repeated failures and stops calling the failing model', async () => {
    const { router, doubles } = build(
      { retry: { max_attempts: 1, initial_backoff_ms: 1, max_backoff_ms: 1 } },
      {
        openai: [500],
        together: ['ok'],
      },
    );
    for (let i = 0; i < 10; i += 1) {
      await router.generate(router.plan('outreach', features()), body, signal);
    }
    expect(doubles.openai?.calls).toHaveLength(3);
    expect(doubles.together?.calls).toHaveLength(10);
  });

  it('falls back before the first streamed byte', async () => {
    const { router } = build({}, { openai: ['timeout'], together: ['ok'] });
    const routed = await router.stream(
      router.plan('outreach', features({ stream: true })),
      body,
      signal,
    );
    expect(routed.target.provider).toBe('together');
    const parts = [];
    for await (const part of routed.parts) {
      parts.push(part.type);
    }
    expect(parts).toEqual(['text-delta', 'finish']);
  });

  it('routes by rules: complex to GPT-4o, simple to Llama 70B (the seed hybrid)', () => {
    const { router } = build(
      {
        rules: [
          { name: 'complex', match: { metadata: { complexity: 'complex' } }, models: ['gpt-4o'] },
          {
            name: 'simple',
            match: { metadata: { complexity: 'simple' } },
            models: ['llama-3.1-70b-instruct-turbo'],
          },
        ],
      },
      { openai: ['ok'], together: ['ok'] },
    );
    const complex = router.plan('outreach', features({ metadata: { complexity: 'complex' } }));
    expect(complex.candidates[0]?.name).toBe('gpt-4o');
    expect(complex.variant).toBe('rule:complex');
    const simple = router.plan('outreach', features({ metadata: { complexity: 'simple' } }));
    expect(simple.candidates[0]?.name).toBe('llama-3.1-70b-instruct-turbo');
    expect(router.plan('outreach', features()).candidates[0]?.name).toBe('gpt-4o-mini');
  });

  it('prefers the cheapest candidate and drops those over the price ceiling', () => {
    const { router } = build(
      {
        models: ['gpt-4o', 'gpt-4o-mini', 'llama-3.1-70b-instruct-turbo'],
        prefer: 'cheapest',
        max_cost_per_1k_tokens: 0.005,
        fallbacks: [],
      },
      { openai: ['ok'], together: ['ok'] },
    );
    const names = router.plan('outreach', features()).candidates.map((target) => target.name);
    expect(names).toEqual(['gpt-4o-mini', 'llama-3.1-70b-instruct-turbo']);
  });

  it('resolves catalog names, provider/model and ft: ids; unknown names are model_not_found', () => {
    const { router } = build({}, { openai: ['ok'], together: ['ok'] });
    expect(router.plan('gpt-4o', features()).candidates[0]?.upstreamModel).toBe('gpt-4o');
    const together = router.plan(
      'together/meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo',
      features(),
    );
    expect(together.candidates[0]?.pricing).toEqual({ input: 0.88, output: 0.88 });
    const fineTuned = router.plan('ft:gpt-4o-mini-2024-07-18:acme:rekindle:abc123', features());
    expect(fineTuned.candidates[0]).toMatchObject({
      provider: 'openai',
      pricing: { input: 0.3, output: 1.2 },
    });
    expect(() => router.plan('no-such-model', features())).toThrow(/does not exist/);
    expect(() => router.plan('claude-3-5-haiku', features())).toThrow(/not configured/);
  });
});
