import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig, readEnv } from '../../../src/config/index.ts';
import { GatewayError } from '../../../src/errors/index.ts';
import { createMetrics } from '../../../src/metrics/index.ts';
import type { ChatModelProvider, ChatResult } from '../../../src/providers/chat-model.ts';
import { ProviderError } from '../../../src/providers/index.ts';
import { ChatRouter, type RequestFeatures } from '../../../src/router/index.ts';

/**
 * Issue 15, finding 1: only upstream failures (connect, reset, timeout, 5xx, 429) count against a
 * breaker or move a request to a fallback; what fails inside the gateway is the request's own.
 */
type Step = 'ok' | 'range-error' | 'type-error' | 'local-400' | 'aborted' | 503 | 'timeout';

function build() {
  const config = loadConfig({
    env: readEnv({ OPENAI_API_KEY: 'k', TOGETHER_API_KEY: 'k' }),
    file: {
      routes: {
        outreach: {
          models: ['gpt-4o-mini'],
          fallbacks: ['llama-3.1-70b-instruct-turbo'],
          retry: { max_attempts: 2, initial_backoff_ms: 1, max_backoff_ms: 2 },
        },
      },
      circuit_breaker: { failure_threshold: 0.5, min_requests: 2, cooldown_ms: 60_000 },
    },
  });
  const calls: Record<string, number> = { openai: 0, together: 0 };
  let next: Step = 'ok';
  const result = (model: string): ChatResult => ({
    body: '{}',
    text: 'hi',
    toolCalls: [],
    finishReason: 'stop',
    usage: { promptTokens: 1, completionTokens: 1, cachedPromptTokens: null },
    upstreamModel: model,
    upstreamLatencyMs: 1,
  });
  const provider = (id: string): ChatModelProvider => ({
    id,
    type: id === 'together' ? 'together' : 'openai',
    async generate(request) {
      calls[id] = (calls[id] ?? 0) + 1;
      if (id === 'together') {
        return result(request.upstreamModel);
      }
      switch (next) {
        case 'ok':
          return result(request.upstreamModel);
        case 'range-error':
          throw new RangeError('Maximum call stack size exceeded');
        case 'type-error':
          throw new TypeError("Cannot read properties of undefined (reading 'x')");
        case 'local-400':
          throw new GatewayError('invalid_value', 'refused before sending');
        case 'aborted':
          throw new ProviderError('aborted', { provider: id, kind: 'aborted' });
        case 'timeout':
          throw new ProviderError('timed out', { provider: id, kind: 'timeout' });
        case 503:
          throw new ProviderError('503', { provider: id, kind: 'upstream', upstreamStatus: 503 });
      }
    },
    async stream() {
      throw new Error('not used');
    },
    async close() {},
  });
  const providers: Record<string, ChatModelProvider> = {
    openai: provider('openai'),
    together: provider('together'),
  };
  const router = new ChatRouter({
    config,
    metrics: createMetrics({ defaultMetrics: false }),
    providers: { get: (id) => providers[id] },
    sleep: async () => {},
  });
  return {
    router,
    calls,
    setNext(step: Step) {
      next = step;
    },
  };
}

const features: RequestFeatures = {
  metadata: {},
  promptTokens: 10,
  stream: false,
  hasTools: false,
  assignmentKey: 'lead-1',
};
const body = { model: 'outreach', messages: [{ role: 'user' as const, content: 'hi' }] };
const signal = new AbortController().signal;

async function send(context: ReturnType<typeof build>, step: Step) {
  context.setNext(step);
  try {
    const routed = await context.router.generate(
      context.router.plan('outreach', features),
      body,
      signal,
    );
    return { ok: true as const, model: routed.target.name, attempts: routed.attempts };
  } catch (error) {
    return { ok: false as const, error: error as GatewayError };
  }
}

const openBreakers = (router: ChatRouter) =>
  Object.values(router.breakers.snapshot(Date.now())).filter((state) => state !== 'closed');

describe('failure attribution in the router', () => {
  it('a local failure is the request’s own error: one attempt, no fallback, no breaker count', async () => {
    const context = build();
    for (const step of ['range-error', 'type-error', 'range-error', 'type-error'] as const) {
      const outcome = await send(context, step);
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) {
        expect(outcome.error.status).toBe(500);
        expect(outcome.error.code).toBe('internal_error');
      }
    }
    const refused = await send(context, 'local-400');
    expect(refused.ok || refused.error.status).toBe(400);
    expect(context.calls).toEqual({ openai: 5, together: 0 });
    expect(openBreakers(context.router)).toEqual([]);
    expect(await send(context, 'ok')).toMatchObject({ ok: true, model: 'gpt-4o-mini' });
  });

  it('upstream failures still count and fall back: two 503s open the breaker', async () => {
    const context = build();
    expect(await send(context, 503)).toMatchObject({
      ok: true,
      model: 'llama-3.1-70b-instruct-turbo',
    });
    expect(openBreakers(context.router)).toEqual(['open']);
  });

  it('a timeout counts against the breaker', async () => {
    const context = build();
    await send(context, 'timeout');
    expect(openBreakers(context.router)).toEqual(['open']);
  });

  it('property: no sequence of requests opens a breaker while the upstream is healthy', async () => {
    const local: Step[] = ['ok', 'range-error', 'type-error', 'local-400', 'aborted'];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...local), { maxLength: 40 }), async (steps) => {
        const context = build();
        for (const step of steps) {
          const outcome = await send(context, step);
          if (outcome.ok) {
            expect(outcome.model).toBe('gpt-4o-mini');
          }
        }
        expect(openBreakers(context.router)).toEqual([]);
        expect(context.calls.together).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
