import { describe, expect, it } from 'vitest';
import { cachedCheck } from '../../../src/gateway/routes/health.ts';

/** The store probe behind /readyz: cached for a short time, shared, bounded in time. */
describe('cachedCheck', () => {
  it('runs one probe for concurrent callers and reuses its outcome until the TTL passes', async () => {
    let clock = 0;
    let probes = 0;
    const check = cachedCheck(
      async () => {
        probes += 1;
      },
      { ttlMs: 1_000, now: () => clock },
    );
    const answers = await Promise.all(Array.from({ length: 50 }, () => check()));
    expect(answers.every((ok) => ok)).toBe(true);
    expect(probes).toBe(1);
    clock = 999;
    expect(await check()).toBe(true);
    expect(probes).toBe(1);
    clock = 1_000;
    expect(await check()).toBe(true);
    expect(probes).toBe(2);
  });

  it('is false while the probe fails, and true again once it succeeds', async () => {
    let clock = 0;
    let reachable = true;
    const check = cachedCheck(
      async () => {
        if (!reachable) {
          throw new Error('connection refused');
        }
      },
      { ttlMs: 100, now: () => clock },
    );
    expect(await check()).toBe(true);
    reachable = false;
    expect(await check()).toBe(true); // cached
    clock = 100;
    expect(await check()).toBe(false);
    reachable = true;
    clock = 150;
    expect(await check()).toBe(false); // cached failure
    clock = 200;
    expect(await check()).toBe(true);
  });

  it('fails a probe that hangs past the timeout instead of hanging the caller', async () => {
    const check = cachedCheck(() => new Promise(() => {}), { timeoutMs: 50 });
    const started = performance.now();
    expect(await check()).toBe(false);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
