import { describe, expect, it } from 'vitest';
import { CircuitBreakers } from '../../../src/router/circuit-breaker.ts';

const settings = { failure_threshold: 0.5, min_requests: 4, window_ms: 10_000, cooldown_ms: 5_000 };

describe('CircuitBreakers', () => {
  it('stays closed below the minimum volume even when every call fails', () => {
    const breakers = new CircuitBreakers(settings);
    for (let i = 0; i < 3; i += 1) {
      breakers.recordFailure('a', 1_000 + i);
    }
    expect(breakers.allow('a', 1_010)).toBe(true);
    expect(breakers.isOpen('a', 1_010)).toBe(false);
  });

  it('opens at the failure share, lets one probe through after the cooldown, and closes on success', () => {
    const changes: Array<[string, boolean]> = [];
    const breakers = new CircuitBreakers(settings, (key, open) => changes.push([key, open]));
    breakers.recordSuccess('a', 0);
    breakers.recordSuccess('a', 1);
    breakers.recordFailure('a', 2);
    expect(breakers.isOpen('a', 3)).toBe(false);
    breakers.recordFailure('a', 3);
    expect(breakers.isOpen('a', 4)).toBe(true);
    expect(breakers.allow('a', 4_000)).toBe(false);
    expect(breakers.allow('a', 5_003)).toBe(true);
    expect(breakers.allow('a', 5_004)).toBe(false);
    breakers.recordSuccess('a', 5_010);
    expect(breakers.allow('a', 5_011)).toBe(true);
    expect(changes).toEqual([
      ['a', true],
      ['a', false],
    ]);
  });

  it('re-opens when the half-open probe fails', () => {
    const breakers = new CircuitBreakers(settings);
    for (let i = 0; i < 4; i += 1) {
      breakers.recordFailure('a', i);
    }
    expect(breakers.allow('a', 5_004)).toBe(true);
    breakers.recordFailure('a', 5_005);
    expect(breakers.allow('a', 5_006)).toBe(false);
    expect(breakers.allow('a', 10_006)).toBe(true);
  });

  it('forgets failures of an old window', () => {
    const breakers = new CircuitBreakers(settings);
    for (let i = 0; i < 3; i += 1) {
      breakers.recordFailure('a', i);
    }
    breakers.recordFailure('a', 20_000);
    expect(breakers.isOpen('a', 20_001)).toBe(false);
  });
});
