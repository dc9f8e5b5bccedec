import { describe, expect, it } from 'vitest';
import { loadConfig, readEnv } from '../../../src/config/index.ts';
import { createMetrics } from '../../../src/metrics/index.ts';
import type { ChatModelProvider, ChatResult } from '../../../src/providers/chat-model.ts';
import { ProviderError } from '../../../src/providers/index.ts';
import {
  ChatRouter,
  deriveRequestNeeds,
  RegistrySnapshot,
  type RequestFeatures,
} from '../../../src/router/index.ts';

/**
 * Issue 13: every model has a capability table (its own, its base model's, its provider type's),
 * and the planner only picks — and falls back to — models whose table covers the request.
 */
function build(file: Record<string, unknown> = {}) {
  const config = loadConfig({
    env: readEnv({ OPENAI_API_KEY: 'k', TOGETHER_API_KEY: 'k', ANTHROPIC_API_KEY: 'k' }),
    file: {
      routes: {
        outreach: {
          models: ['gpt-4o-mini'],
          fallbacks: ['claude-3-5-haiku'],
          retry: { max_attempts: 1, initial_backoff_ms: 1, max_backoff_ms: 1 },
        },
        claude: { models: ['claude-3-5-haiku'] },
        ruled: {
          models: ['gpt-4o-mini'],
          rules: [
            { name: 'tools', match: { has_tools: true }, models: ['llama-3.1-8b-instruct-turbo'] },
          ],
        },
      },
      circuit_breaker: {
        failure_threshold: 0.5,
        min_requests: 1,
        window_ms: 60_000,
        cooldown_ms: 60_000,
      },
      ...file,
    },
  });
  const calls: string[] = [];
  const failing = new Set<string>();
  const provider = (id: string): ChatModelProvider => ({
    id,
    type: 'openai',
    async generate(request): Promise<ChatResult> {
      calls.push(request.upstreamModel);
      if (failing.has(id)) {
        throw new ProviderError('boom', {
          provider: id,
          kind: 'upstream',
          upstreamStatus: 500,
          upstreamType: 'server_error',
        });
      }
      return {
        body: '{}',
        text: 'ok',
        toolCalls: [],
        finishReason: 'stop',
        usage: { promptTokens: 1, completionTokens: 1, cachedPromptTokens: null },
        upstreamModel: request.upstreamModel,
        upstreamLatencyMs: 1,
      };
    },
    async stream() {
      throw new Error('not used');
    },
    async close() {},
  });
  const providers = new Map(['openai', 'anthropic', 'together'].map((id) => [id, provider(id)]));
  const router = new ChatRouter({
    config,
    metrics: createMetrics({ defaultMetrics: false }),
    providers: { get: (id) => providers.get(id) },
    sleep: async () => {},
  });
  return { router, calls, failing };
}

const featuresOf = (body: Record<string, unknown>, promptTokens = 20): RequestFeatures => ({
  metadata: {},
  promptTokens,
  stream: false,
  hasTools: Array.isArray(body.tools),
  assignmentKey: 'lead-1',
  needs: deriveRequestNeeds(body),
});
const names = (plan: { candidates: ReadonlyArray<{ name: string }> }) =>
  plan.candidates.map((t) => t.name);
const messages = [{ role: 'user' as const, content: 'hi' }];
const signal = new AbortController().signal;
const tools = [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }];
const jsonSchema = { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } };

function refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

describe('planning by capability', () => {
  it('keeps a fallback that can serve the request, drops one that cannot', () => {
    const { router } = build();
    expect(names(router.plan('outreach', featuresOf({ response_format: jsonSchema })))).toEqual([
      'gpt-4o-mini',
      'claude-3-5-haiku',
    ]);
    for (const body of [{ logprobs: true }, { top_logprobs: 2 }, { n: 2 }]) {
      const plan = router.plan('outreach', featuresOf(body));
      expect(names(plan)).toEqual(['gpt-4o-mini']);
      expect(plan.refused.map((refused) => refused.target.name)).toEqual(['claude-3-5-haiku']);
    }
  });

  it('answers 400 unsupported_for_provider naming the param and the model when no target can', () => {
    const { router } = build();
    expect(refusal(() => router.plan('claude', featuresOf({ logprobs: true })))).toMatchObject({
      status: 400,
      type: 'invalid_request_error',
      code: 'unsupported_for_provider',
      param: 'logprobs',
      message: expect.stringContaining('claude-3-5-haiku'),
    });
    expect(
      refusal(() => router.plan('anthropic/claude-3-5-haiku-latest', featuresOf({ n: 3 }))),
    ).toMatchObject({ status: 400, param: 'n' });
    const image = {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'x' },
            { type: 'image_url', image_url: { url: 'https://x/y.png' } },
          ],
        },
      ],
    };
    expect(
      refusal(() => router.plan('llama-3.1-8b-instruct-turbo', featuresOf(image))),
    ).toMatchObject({ param: 'messages[0].content[1]' });
    expect(
      refusal(() => router.plan('gpt-4o-mini', featuresOf({ max_completion_tokens: 50_000 }))),
    ).toMatchObject({ param: 'max_completion_tokens' });
    expect(refusal(() => router.plan('gpt-4o-mini', featuresOf({}, 130_000)))).toMatchObject({
      status: 400,
      code: 'context_length_exceeded',
      param: 'messages',
    });
  });

  it('passes over a rule whose models cannot serve the request', () => {
    const { router } = build();
    expect(router.plan('ruled', featuresOf({ tools })).variant).toBe('rule:tools');
    const parallel = router.plan('ruled', featuresOf({ tools, parallel_tool_calls: true }));
    expect(parallel.variant).toBe('baseline');
    expect(names(parallel)).toEqual(['gpt-4o-mini']);
  });

  it('leaves a registry variant that cannot serve the request to the route’s own models', () => {
    const { router } = build();
    router.setRegistry(
      new RegistrySnapshot([
        {
          id: 'v',
          route: 'outreach',
          modelId: 'claude-3-5-haiku-latest',
          provider: 'anthropic',
          modelVersion: 'v2',
          status: 'active',
          isBaseline: true,
          trafficPercentage: 100,
          abTestGroup: null,
        },
      ]),
    );
    expect(router.plan('outreach', featuresOf({})).variant).toBe('baseline');
    expect(router.plan('outreach', featuresOf({})).modelVersion).toBe('v2');
    const plan = router.plan('outreach', featuresOf({ logprobs: true }));
    expect(plan).toMatchObject({
      variant: 'baseline',
      modelVersion: 'gpt-4o-mini',
      registryEntryId: null,
    });
  });
});

describe('capability tables are inherited', () => {
  it('fine-tuned and registered models take their base model’s table', () => {
    const { router } = build();
    const tuned = router.resolveTarget('ft:gpt-4o-mini-2024-07-18:acme:outreach:abc');
    expect(tuned?.capabilities).toEqual(router.resolveTarget('gpt-4o-mini')?.capabilities);
    router.setRegistry(
      new RegistrySnapshot([
        {
          id: 't',
          route: 'outreach',
          modelId: 'acme/Meta-Llama-3.1-8B-Instruct-Reference-outreach-1a2b',
          provider: 'together',
          modelVersion: 'v3',
          status: 'active',
          isBaseline: true,
          trafficPercentage: 100,
          abTestGroup: null,
          baseModel: 'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference',
        },
      ]),
    );
    const plan = router.plan('outreach', featuresOf({ response_format: jsonSchema }));
    expect(plan.candidates[0]).toMatchObject({
      modelVersion: 'v3',
      capabilities: { logprobs: false, image_input: false },
    });
    // Its base (Llama 3.1 8B on Together) returns no logprobs: the variant is left out for them.
    expect(router.plan('outreach', featuresOf({ logprobs: true })).variant).toBe('baseline');
  });

  it('a registered model outside the catalog takes its base model’s table, on any provider', () => {
    const { router } = build({
      providers: { vllm: { type: 'openai-compatible', base_url: 'http://127.0.0.1:1/v1' } },
    });
    const row = {
      id: 'r',
      route: 'outreach',
      modelId: 'outreach-distilled',
      provider: 'vllm',
      modelVersion: 'v4',
      status: 'active' as const,
      isBaseline: true,
      trafficPercentage: 100,
      abTestGroup: null,
    };
    router.setRegistry(
      new RegistrySnapshot([{ ...row, baseModel: 'llama-3.1-8b-instruct-turbo' }]),
    );
    expect(router.plan('outreach', featuresOf({})).candidates[0]).toMatchObject({
      provider: 'vllm',
      capabilities: { logprobs: false, image_input: false },
    });
    // Without a known base, the wire's defaults: an OpenAI-compatible server decides for itself.
    router.setRegistry(new RegistrySnapshot([row]));
    expect(router.plan('outreach', featuresOf({})).candidates[0]?.capabilities).toMatchObject({
      logprobs: true,
      image_input: true,
    });
  });

  it('a catalog entry from the config inherits from its base_model and overrides what it names', () => {
    const { router } = build({
      models: [
        {
          name: 'outreach-tuned',
          provider: 'openai',
          upstream_model: 'ft:gpt-4o-2024-08-06:acme::x',
          input_usd_per_mtok: 1,
          output_usd_per_mtok: 2,
          context_window: 64_000,
          capabilities: { image_input: false },
        },
        {
          name: 'local-llm',
          provider: 'anthropic',
          upstream_model: 'claude-x',
          base_model: 'claude-haiku-4-5',
          input_usd_per_mtok: 1,
          output_usd_per_mtok: 1,
          context_window: 1000,
        },
      ],
    });
    expect(router.resolveTarget('outreach-tuned')?.capabilities).toMatchObject({
      image_input: false,
      logprobs: true,
      max_output_tokens: 16_384,
    });
    expect(router.resolveTarget('local-llm')?.capabilities).toMatchObject({
      json_schema: 'native',
      logprobs: false,
    });
  });
});

describe('running a plan', () => {
  it('a capable target that fails, with no capable fallback: the client gets that upstream’s error', async () => {
    const { router, calls, failing } = build();
    failing.add('openai');
    const plan = router.plan('outreach', featuresOf({ n: 2 }));
    await expect(
      router.generate(plan, { model: 'outreach', messages, n: 2 }, signal),
    ).rejects.toMatchObject({ status: 500, type: 'server_error', provider: 'openai' });
    expect(calls).toEqual(['gpt-4o-mini']);
  });

  it('every capable target behind an open breaker: 400 naming the param and the model left', async () => {
    const { router, failing } = build();
    failing.add('openai');
    await router.generate(
      router.plan('outreach', featuresOf({})),
      { model: 'outreach', messages },
      signal,
    );
    const plan = router.plan('outreach', featuresOf({ logprobs: true }));
    await expect(
      router.generate(plan, { model: 'outreach', messages, logprobs: true }, signal),
    ).rejects.toMatchObject({
      status: 400,
      code: 'unsupported_for_provider',
      param: 'logprobs',
      message: expect.stringMatching(/claude-3-5-haiku.*gpt-4o-mini.*circuit breaker open/s),
    });
  });
});
