import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig, readEnv } from '../../../src/config/index.ts';
import { createMetrics } from '../../../src/metrics/index.ts';
import { createProviders } from '../../../src/providers/index.ts';
import {
  ChatRouter,
  type RedisBreakerBroadcast,
  type RequestFeatures,
  startRedisBreakerBroadcast,
} from '../../../src/router/index.ts';
import { type OpenAIFake, startOpenAIFake } from '../../fakes/openai-fake.ts';
import { type RedisServer, startRedisServer } from '../../helpers/redis-server.ts';
import { describeWithServices, redisService } from '../../helpers/services.ts';
import { waitFor } from './gateway-probes.ts';

/**
 * Breaker state across replicas (ARCHITECTURE §8): two routers — two replicas — with their own
 * providers to the same failing upstream and one real Redis. When replica A's breaker opens,
 * replica B stops calling that upstream without failing on it first; a replica started later
 * learns of the open breaker at start; with Redis gone each replica still has its own breakers.
 */
const features: RequestFeatures = {
  metadata: {},
  promptTokens: 10,
  stream: false,
  hasTools: false,
  assignmentKey: 'lead-1',
};
const body = { model: 'outreach', messages: [{ role: 'user' as const, content: 'hi' }] };

describeWithServices([redisService()], 'circuit breakers shared through Redis', () => {
  let redis: RedisServer;
  let openai: OpenAIFake;
  let together: OpenAIFake;
  const closers: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    openai = await startOpenAIFake();
    together = await startOpenAIFake({ style: 'together' });
    openai.setDefault({ kind: 'status', status: 500, body: { error: { message: 'down' } } });
  });

  afterAll(async () => {
    for (const close of closers.reverse()) {
      await close();
    }
    await openai?.close();
    await together?.close();
    await redis?.stop();
  });

  async function replica(redisUrl: string) {
    const config = loadConfig({
      env: readEnv({
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: openai.url,
        TOGETHER_API_KEY: 'together-test',
        TOGETHER_BASE_URL: together.url,
      }),
      file: {
        routes: {
          outreach: {
            models: ['gpt-4o-mini'],
            fallbacks: ['llama-3.1-70b-instruct-turbo'],
            retry: { max_attempts: 1, initial_backoff_ms: 1, max_backoff_ms: 1 },
          },
        },
        circuit_breaker: {
          failure_threshold: 0.5,
          min_requests: 3,
          window_ms: 60_000,
          cooldown_ms: 5_000,
        },
      },
    });
    const broadcast: RedisBreakerBroadcast = await startRedisBreakerBroadcast({ url: redisUrl });
    const providers = createProviders(config);
    const metrics = createMetrics({ defaultMetrics: false });
    const router = new ChatRouter({ config, providers, metrics, breakerBroadcast: broadcast });
    closers.push(async () => {
      await broadcast.close();
      await providers.close();
    });
    const ask = async () => {
      const routed = await router.generate(
        router.plan('outreach', features),
        body,
        new AbortController().signal,
      );
      return routed.target.name;
    };
    const circuitOpen = async () =>
      (await metrics.circuitOpen.get()).values.find((value) => value.labels.model === 'gpt-4o-mini')
        ?.value ?? 0;
    return { router, ask, circuitOpen };
  }

  it('opens the breaker on every replica when one of them sees the failures', async () => {
    const a = await replica(redis.url);
    const b = await replica(redis.url);
    for (let index = 0; index < 3; index += 1) {
      expect(await a.ask()).toBe('llama-3.1-70b-instruct-turbo');
    }
    expect(openai.chatRequests()).toHaveLength(3);
    expect(await a.circuitOpen()).toBe(1);
    await waitFor(
      async () => (await b.circuitOpen()) === 1,
      2_000,
      'replica B to hear of the open breaker',
    );

    // B has never called the failing upstream, and does not now.
    for (let index = 0; index < 5; index += 1) {
      expect(await b.ask()).toBe('llama-3.1-70b-instruct-turbo');
    }
    expect(openai.chatRequests()).toHaveLength(3);
    expect(b.router.breakers.snapshot(Date.now())).toMatchObject({ 'openai/gpt-4o-mini': 'open' });

    // A replica that starts while the breaker is open finds it in Redis.
    const late = await replica(redis.url);
    expect(await late.circuitOpen()).toBe(1);
    expect(await late.ask()).toBe('llama-3.1-70b-instruct-turbo');
    expect(openai.chatRequests()).toHaveLength(3);
  });

  it('keeps per-replica breakers when Redis cannot be reached', async () => {
    const before = openai.chatRequests().length;
    const alone = await replica('redis://127.0.0.1:9');
    for (let index = 0; index < 6; index += 1) {
      expect(await alone.ask()).toBe('llama-3.1-70b-instruct-turbo');
    }
    // Three failures open its own breaker; the next three skip the upstream.
    expect(openai.chatRequests().length - before).toBe(3);
    expect(await alone.circuitOpen()).toBe(1);
  }, 20_000);
});
