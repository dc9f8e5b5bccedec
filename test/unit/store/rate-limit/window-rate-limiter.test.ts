import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WindowRateLimiter } from '../../../../src/store/rate-limit/window-rate-limiter.ts';

/** Issue 15, finding 8: at most N requests in ANY 60-second window, not about twice that. */
function maxInAnyWindow(times: readonly number[], windowMs = 60_000): number {
  let most = 0;
  let start = 0;
  for (let end = 0; end < times.length; end += 1) {
    while ((times[end] ?? 0) - (times[start] ?? 0) >= windowMs) {
      start += 1;
    }
    most = Math.max(most, end - start + 1);
  }
  return most;
}

function run(arrivals: readonly number[], limit: number) {
  let now = 0;
  const limiter = new WindowRateLimiter({ now: () => now });
  const passed: number[] = [];
  for (const at of arrivals) {
    now = at;
    if (limiter.consume('org', limit).allowed) {
      passed.push(at);
    }
  }
  void limiter.close();
  return passed;
}

describe('sliding-window rate limit (per-second buckets)', () => {
  it('the finding: 200 requests within 59 s at rpm 100 let at most 100 through', () => {
    const arrivals = Array.from({ length: 200 }, (_, index) => 1_000_000 + index * 295);
    const passed = run(arrivals, 100);
    expect(passed).toHaveLength(100);
    expect(maxInAnyWindow(passed)).toBe(100);
  });

  it('property: whatever the arrivals, no 60 s window holds more than the quota', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 300_000 }), { minLength: 1, maxLength: 400 }),
        fc.integer({ min: 1, max: 120 }),
        (raw, limit) => {
          const arrivals = [...raw].sort((left, right) => left - right);
          const passed = run(arrivals, limit);
          expect(maxInAnyWindow(passed)).toBeLessThanOrEqual(limit);
          // And it is not a refusal machine: the first `limit` requests always pass.
          expect(passed.length).toBeGreaterThanOrEqual(Math.min(limit, arrivals.length));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses with Retry-After until the oldest counted second leaves the window', async () => {
    let now = 10_000;
    const limiter = new WindowRateLimiter({ now: () => now });
    expect(limiter.consume('org', 2)).toMatchObject({ allowed: true, remaining: 1 });
    now = 40_000;
    expect(limiter.consume('org', 2)).toMatchObject({ allowed: true, remaining: 0 });
    const refused = limiter.consume('org', 2);
    expect(refused).toMatchObject({ allowed: false, remaining: 0 });
    // Second 10 is counted until second 71 (61 buckets): 31 s from second 40.
    expect(refused.retryAfterSeconds).toBe(31);
    now = 71_000;
    expect(limiter.consume('org', 2).allowed).toBe(true);
    expect(limiter.consume('other', 2).allowed).toBe(true);
    await limiter.close();
  });
});
