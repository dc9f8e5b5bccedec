import { describe, expect, it } from 'vitest';
import { newOutcomeId } from '../../../../src/gateway/chat/outcome-id.ts';
import { isUuid } from '../../../../src/store/index.ts';

describe('newOutcomeId', () => {
  it('is a UUIDv7 carrying the given time in its first 48 bits', () => {
    const now = Date.UTC(2026, 10, 28, 8, 30, 0, 123);
    const id = newOutcomeId(now);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(now);
    expect(isUuid(id)).toBe(true);
  });

  it('sorts by time across milliseconds and never repeats', () => {
    const earlier = newOutcomeId(1_700_000_000_000);
    const later = newOutcomeId(1_700_000_000_001);
    expect(earlier < later).toBe(true);
    const ids = new Set(Array.from({ length: 20_000 }, () => newOutcomeId(1_700_000_000_000)));
    expect(ids.size).toBe(20_000);
  });
});
