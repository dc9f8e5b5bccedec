import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, readEnv } from '../../../src/config/index.ts';
import type { RunningGateway } from '../../../src/main/index.ts';
import { type OpenAIFake, startOpenAIFake } from '../../fakes/openai-fake.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';

/**
 * Issue 15, finding 10: a hung upstream held a client 240 s with the default config (120 s × 2
 * attempts) and the breaker never counted it. Defaults now: connect 5 s, first byte 30 s, the
 * whole request 120 s with retries only inside what is left; a timeout counts against the breaker.
 */
describe('time budgets', () => {
  it('the defaults: connect 5 s, first byte 30 s, total 120 s', () => {
    const config = loadConfig({ env: readEnv({ OPENAI_API_KEY: 'sk-test' }), file: {} });
    const openai = config.providers.openai;
    expect(openai).toMatchObject({ connect_timeout_ms: 5_000, timeout_ms: 30_000 });
    for (const route of Object.values(config.routes)) {
      expect(route.total_timeout_ms).toBe(120_000);
    }
  });

  describe('a hung upstream', () => {
    let openai: OpenAIFake;
    let gateway: RunningGateway;

    beforeAll(async () => {
      openai = await startOpenAIFake();
      openai.setDefault({ kind: 'hang' });
      gateway = await startTestGateway({
        env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: openai.url },
        file: {
          routes: {
            outreach: {
              models: ['gpt-4o-mini'],
              attempt_timeout_ms: 400,
              total_timeout_ms: 1_000,
              retry: { max_attempts: 5, initial_backoff_ms: 1, max_backoff_ms: 1 },
            },
          },
          circuit_breaker: { min_requests: 2, failure_threshold: 0.5, cooldown_ms: 60_000 },
        },
      });
    }, 300_000);
    afterAll(async () => {
      await gateway?.shutdown();
      await openai?.close();
    }, 120_000);

    it('answers 504 within the total budget (retries only in what is left) and opens the breaker', async () => {
      const started = Date.now();
      const response = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'outreach', messages: [{ role: 'user', content: 'hi' }] }),
      });
      const elapsed = Date.now() - started;
      const body = (await response.json()) as { error?: { type?: string } };
      expect(response.status).toBe(504);
      expect(body.error).toBeDefined();
      expect(elapsed).toBeLessThan(2_000);
      // Two attempts of 400 ms fit in the 1 s budget, a third only partly: never five.
      expect(openai.chatRequests().length).toBeLessThanOrEqual(3);
      const states = Object.values(gateway.router.breakers.snapshot(Date.now()));
      expect(states).toContain('open');
    }, 30_000);
  });
});
