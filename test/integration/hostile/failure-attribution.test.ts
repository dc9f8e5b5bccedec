import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import { type AnthropicFake, startAnthropicFake } from '../../fakes/anthropic-fake.ts';
import { type OpenAIFake, startOpenAIFake } from '../../fakes/openai-fake.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';

/**
 * Issue 15, finding 1: a request that fails inside the gateway (here a field nested 10,000 levels,
 * which JSON.stringify cannot serialize) is that request's own 4xx. It never counts against the
 * upstream's breaker, so it can never cut the route off for every other organization.
 */
let openai: OpenAIFake;
let anthropic: AnthropicFake;
let gateway: RunningGateway;

beforeAll(async () => {
  [openai, anthropic] = await Promise.all([startOpenAIFake(), startAnthropicFake()]);
  gateway = await startTestGateway({
    env: {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: openai.url,
      ANTHROPIC_API_KEY: 'anthropic-test',
      ANTHROPIC_BASE_URL: anthropic.url,
    },
    file: {
      routes: {
        outreach: { models: ['gpt-4o-mini'], retry: { max_attempts: 2, initial_backoff_ms: 1 } },
        claude: {
          models: ['claude-3-5-haiku'],
          retry: { max_attempts: 2, initial_backoff_ms: 1 },
        },
      },
      // Two counted failures would open it.
      circuit_breaker: { min_requests: 2, failure_threshold: 0.5, cooldown_ms: 60_000 },
    },
  });
}, 300_000);

afterAll(async () => {
  await gateway?.shutdown();
  await Promise.all([openai?.close(), anthropic?.close()]);
}, 120_000);

function nested(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

async function chat(model: string, extra = '', stream = false) {
  const body = `{"model":"${model}","stream":${stream},"messages":[{"role":"user","content":"hi"}]${extra}}`;
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('failure attribution', () => {
  for (const [route, upstreamCalls] of [
    ['outreach', () => openai.chatRequests().length],
    ['claude', () => anthropic.messageRequests().length],
  ] as const) {
    it(`a 10,000-level nested field on ${route} is the request's own 400 and opens no breaker`, async () => {
      const before = upstreamCalls();
      for (const stream of [false, true, false, true]) {
        const deep = await chat(route, `,"x":${nested(10_000)}`, stream);
        expect(deep.status).toBe(400);
        expect(deep.json.error).toMatchObject({ type: 'invalid_request_error' });
      }
      expect(upstreamCalls()).toBe(before);
      const snapshot = gateway.router.breakers.snapshot(Date.now());
      expect(Object.values(snapshot).filter((state) => state !== 'closed')).toEqual([]);
      const healthy = await chat(route);
      expect(healthy.status).toBe(200);
      expect(upstreamCalls()).toBe(before + 1);
    });
  }
});
