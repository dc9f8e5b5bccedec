import { afterAll, beforeAll, expect, it } from 'vitest';
import { RedisRateLimiter } from '../../../src/store/rate-limit/redis-rate-limiter.ts';
import { freePort } from '../../helpers/postgres-server.ts';
import { type RedisServer, startRedisServer } from '../../helpers/redis-server.ts';
import { describeWithServices, redisService } from '../../helpers/services.ts';

describeWithServices([redisService()], 'rate limiting shared through a real redis-server', () => {
  let server: RedisServer;
  let first: RedisRateLimiter;
  let second: RedisRateLimiter;

  beforeAll(async () => {
    server = await startRedisServer();
    first = new RedisRateLimiter({ url: server.url });
    second = new RedisRateLimiter({ url: server.url });
    await Promise.all([first.ready(), second.ready()]);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await server?.stop();
  });

  it('two gateway instances share one quota per organization', async () => {
    const decisions = [];
    for (let index = 0; index < 10; index += 1) {
      const limiter = index % 2 === 0 ? first : second;
      decisions.push(await limiter.consume('org_shared', 10));
    }
    expect(decisions.every((decision) => decision.allowed)).toBe(true);
    expect(decisions.map((decision) => decision.remaining)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    const refusedFirst = await first.consume('org_shared', 10);
    const refusedSecond = await second.consume('org_shared', 10);
    expect(refusedFirst).toMatchObject({ allowed: false, remaining: 0, limit: 10 });
    expect(refusedFirst.retryAfterSeconds).toBeGreaterThanOrEqual(5);
    expect(refusedFirst.retryAfterSeconds).toBeLessThanOrEqual(6);
    expect(refusedSecond.allowed).toBe(false);
    expect((await second.consume('org_other', 10)).allowed).toBe(true);
  });

  it('is atomic under concurrency: exactly the quota passes', async () => {
    const attempts = Array.from({ length: 60 }, (_, index) =>
      (index % 2 === 0 ? first : second).consume('org_race', 25),
    );
    const decisions = await Promise.all(attempts);
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(25);
  });

  it('expires idle keys by themselves', async () => {
    await first.consume('org_ttl', 100);
    const ttl = await first.redis.pttl('rekindle:ratelimit:org_ttl');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(2_600);
  });
});

describeWithServices([redisService()], 'rate limiting when Redis is down', () => {
  it('fails open, counts it and warns', async () => {
    const port = await freePort();
    const warnings: string[] = [];
    let failures = 0;
    const limiter = new RedisRateLimiter({
      url: `redis://127.0.0.1:${port}`,
      failOpenCounter: { inc: () => (failures += 1) },
      logger: {
        debug: () => undefined,
        info: () => undefined,
        warn: (message) => warnings.push(message),
        error: () => undefined,
        child() {
          return this;
        },
      },
    });
    try {
      const started = Date.now();
      const decision = await limiter.consume('org_a', 5);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(decision).toEqual({
        allowed: true,
        limit: 5,
        remaining: 5,
        resetSeconds: 0,
        retryAfterSeconds: 0,
      });
      expect((await limiter.consume('org_a', 5)).allowed).toBe(true);
      expect(failures).toBe(2);
      expect(warnings.some((message) => message.includes('fail open'))).toBe(true);
    } finally {
      await limiter.close();
    }
  });
});
