import { describe, expect, it } from 'vitest';
import { gcra } from '../../../../src/store/rate-limit/gcra.ts';
import { MemoryRateLimiter } from '../../../../src/store/rate-limit/memory-rate-limiter.ts';
import {
  formatDuration,
  rateLimitHeaders,
} from '../../../../src/store/rate-limit/rate-limit-headers.ts';

function clock(start = 1_000_000) {
  let now = start;
  return {
    now: () => now,
    advance(milliseconds: number) {
      now += milliseconds;
    },
  };
}

describe('GCRA in memory', () => {
  it('allows the whole quota at once, then refuses with the wait until the next slot', async () => {
    const time = clock();
    const limiter = new MemoryRateLimiter({ now: time.now });
    const decisions = Array.from({ length: 100 }, () => limiter.consume('org_a', 100));
    expect(decisions.every((decision) => decision.allowed)).toBe(true);
    expect(decisions[0]).toEqual({
      allowed: true,
      limit: 100,
      remaining: 99,
      resetSeconds: 1,
      retryAfterSeconds: 0,
    });
    expect(decisions[99]).toMatchObject({ remaining: 0, resetSeconds: 60 });
    const refused = limiter.consume('org_a', 100);
    expect(refused).toEqual({
      allowed: false,
      limit: 100,
      remaining: 0,
      resetSeconds: 60,
      retryAfterSeconds: 1,
    });
    await limiter.close();
  });

  it('refills smoothly: one request per window/limit after the burst', async () => {
    const time = clock();
    const limiter = new MemoryRateLimiter({ now: time.now });
    for (let index = 0; index < 10; index += 1) {
      limiter.consume('org_a', 10);
    }
    expect(limiter.consume('org_a', 10).allowed).toBe(false);
    time.advance(5_999);
    expect(limiter.consume('org_a', 10)).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    time.advance(1);
    expect(limiter.consume('org_a', 10)).toMatchObject({ allowed: true, remaining: 0 });
    expect(limiter.consume('org_a', 10).allowed).toBe(false);
    time.advance(60_000);
    expect(limiter.consume('org_a', 10)).toMatchObject({ allowed: true, remaining: 9 });
    await limiter.close();
  });

  it('keeps organizations apart and honours each caller’s limit', async () => {
    const time = clock();
    const limiter = new MemoryRateLimiter({ now: time.now });
    expect(limiter.consume('org_a', 1).allowed).toBe(true);
    expect(limiter.consume('org_a', 1)).toMatchObject({ allowed: false, retryAfterSeconds: 60 });
    expect(limiter.consume('org_b', 1).allowed).toBe(true);
    expect(limiter.consume('org_c', 1000)).toMatchObject({ limit: 1000, remaining: 999 });
    await limiter.close();
  });

  it('forgets keys that are back at full quota', async () => {
    const time = clock();
    const limiter = new MemoryRateLimiter({ now: time.now });
    limiter.consume('org_a', 60);
    limiter.consume('org_b', 60);
    expect(limiter.trackedKeys).toBe(2);
    time.advance(1_000);
    limiter.sweep();
    expect(limiter.trackedKeys).toBe(0);
    await limiter.close();
  });

  it('never refuses more than the steady rate over a long run (no window-edge double burst)', () => {
    let arrival: number | undefined;
    let allowed = 0;
    // Two requests per second for five minutes against 60/min: the 60 burst plus one per whole
    // second elapsed by the last request (at 299.5 s), never more.
    for (let millisecond = 0; millisecond < 300_000; millisecond += 500) {
      const result = gcra(arrival, millisecond, 60, 60_000);
      if (result.decision.allowed) {
        allowed += 1;
        arrival = result.theoreticalArrival;
      }
    }
    expect(allowed).toBe(60 + 299);
  });
});

describe('rate limit headers', () => {
  it('renders the IETF and OpenAI headers for an allowed request', () => {
    expect(
      rateLimitHeaders({
        allowed: true,
        limit: 100,
        remaining: 99,
        resetSeconds: 1,
        retryAfterSeconds: 0,
      }),
    ).toEqual({
      'RateLimit-Policy': '"rpm";q=100;w=60',
      RateLimit: '"rpm";r=99;t=1',
      'x-ratelimit-limit-requests': '100',
      'x-ratelimit-remaining-requests': '99',
      'x-ratelimit-reset-requests': '1s',
    });
  });

  it('adds Retry-After on a refusal and points RateLimit at the same moment', () => {
    const headers = rateLimitHeaders({
      allowed: false,
      limit: 2,
      remaining: 0,
      resetSeconds: 60,
      retryAfterSeconds: 30,
    });
    expect(headers['Retry-After']).toBe('30');
    expect(headers.RateLimit).toBe('"rpm";r=0;t=30');
    expect(headers['x-ratelimit-reset-requests']).toBe('30s');
  });

  it('formats durations the way OpenAI does', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(59.2)).toBe('1m0s');
    expect(formatDuration(360)).toBe('6m0s');
    expect(formatDuration(3723)).toBe('1h2m3s');
  });
});
