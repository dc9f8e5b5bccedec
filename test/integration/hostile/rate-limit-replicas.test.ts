import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import { sharedStore } from '../../helpers/pglite.ts';
import { type RedisServer, startRedisServer } from '../../helpers/redis-server.ts';
import { describeWithServices, redisService } from '../../helpers/services.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';

/**
 * Issue 15, finding 8 and must-show 4: an rpm-100 organization behind two replicas sharing Redis
 * gets at most 100 requests through in any 60 s window — also when Redis stops mid-run, where each
 * replica limits locally (its share, counted in rekindle_rate_limit_local_fallback_total).
 */
describeWithServices([redisService()], 'rate limit across two replicas', () => {
  let redis: RedisServer;
  let replicas: RunningGateway[] = [];
  const keys: Record<'steady' | 'outage', string> = { steady: '', outage: '' };

  beforeAll(async () => {
    redis = await startRedisServer();
    const store = await sharedStore();
    for (const name of ['steady', 'outage'] as const) {
      keys[name] = (
        await store.apiKeys.create({ organizationId: `rpm100_${name}`, rpmLimit: 100 })
      ).key;
    }
    const options = {
      env: { REDIS_URL: redis.url },
      file: { rate_limit: { replicas: 2 } },
    };
    replicas = [await startTestGateway(options), await startTestGateway(options)];
  }, 300_000);
  afterAll(async () => {
    await Promise.all(replicas.map((gateway) => gateway.shutdown()));
    await redis?.stop();
  }, 120_000);

  async function burst(key: string, count: number): Promise<number> {
    let passed = 0;
    for (let index = 0; index < count; index += 1) {
      const gateway = replicas[index % 2];
      const response = await fetch(`${gateway?.url}/v1/models`, {
        headers: { authorization: `Bearer ${key}` },
      });
      await response.arrayBuffer();
      if (response.status === 200) {
        passed += 1;
      } else {
        expect(response.status).toBe(429);
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      }
    }
    return passed;
  }

  const localDecisions = async () => {
    let total = 0;
    for (const gateway of replicas) {
      total += (await gateway.metrics.rateLimitLocalFallbackTotal.get()).values[0]?.value ?? 0;
    }
    return total;
  };

  it('with Redis up: 200 requests over both replicas within a minute, exactly 100 pass', async () => {
    const started = Date.now();
    expect(await burst(keys.steady, 200)).toBe(100);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(await localDecisions()).toBe(0);
  }, 120_000);

  it('Redis stopped mid-run: each replica limits locally and the window still holds at most 100', async () => {
    const started = Date.now();
    expect(await burst(keys.outage, 60)).toBe(60);
    await redis.stop();
    const afterOutage = await burst(keys.outage, 140);
    // Everything ran within one 60 s window, so that window holds every request that passed.
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(60 + afterOutage).toBeLessThanOrEqual(100);
    // A limit, not an outage: the replicas still shared out what was left of the quota.
    expect(afterOutage).toBeGreaterThanOrEqual(30);
    expect(await localDecisions()).toBe(140);
  }, 120_000);
});
