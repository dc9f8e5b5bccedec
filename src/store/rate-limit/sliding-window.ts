import type { RateLimitDecision } from './rate-limiter.ts';

/**
 * Requests per second over the last minute, for one key. A request at second `s` is counted against
 * the seconds s-60…s (61 buckets): any 60-second window [a, a+60) touches at most those 61 seconds,
 * so when their sum stays below the quota, no 60-second window — wherever it starts — holds more
 * than the quota. (GCRA, before this, let a fresh key burst the whole quota and then go on at the
 * steady rate: 198 of 200 passed within 59 s at rpm 100.)
 */
export const windowSeconds = 61;

export interface SecondCounts {
  /** Requests counted per whole second (Unix seconds), oldest first. */
  readonly seconds: readonly number[];
  readonly counts: readonly number[];
}

/**
 * Decides one request given the counts of the window ending at `nowSecond`. `cost`: what the new
 * request counts for (1; the Redis limiter's local fallback counts each of its own requests once
 * per replica that may be admitting at the same time).
 */
export function decideWindow(
  window: SecondCounts,
  nowSecond: number,
  limit: number,
  cost = 1,
): RateLimitDecision {
  const quota = Math.max(1, Math.floor(limit));
  const used = usedIn(window, nowSecond);
  const allowed = used + cost <= quota;
  const after = allowed ? used + cost : used;
  return {
    allowed,
    limit: quota,
    remaining: Math.max(0, Math.floor((quota - after) / cost)),
    resetSeconds: secondsUntil(window, nowSecond, 0, after - used),
    retryAfterSeconds: allowed ? 0 : Math.max(1, secondsUntil(window, nowSecond, quota - cost, 0)),
  };
}

function usedIn(window: SecondCounts, nowSecond: number): number {
  let used = 0;
  for (let index = 0; index < window.seconds.length; index += 1) {
    if ((window.seconds[index] ?? 0) > nowSecond - windowSeconds) {
      used += window.counts[index] ?? 0;
    }
  }
  return used;
}

/**
 * Seconds until the window's requests fall to `target` or below as old seconds leave it; `added`
 * is the request just counted at `nowSecond` (not yet in `window`).
 */
function secondsUntil(
  window: SecondCounts,
  nowSecond: number,
  target: number,
  added: number,
): number {
  let used = usedIn(window, nowSecond) + added;
  if (used <= target) {
    return 0;
  }
  for (let index = 0; index < window.seconds.length; index += 1) {
    const second = window.seconds[index] ?? 0;
    if (second > nowSecond - windowSeconds) {
      used -= window.counts[index] ?? 0;
      if (used <= target) {
        return second + windowSeconds - nowSecond;
      }
    }
  }
  return windowSeconds;
}

/** One key's per-second counts in memory (a ring of `windowSeconds` buckets). */
export class SecondBuckets implements SecondCounts {
  readonly seconds: number[] = [];
  readonly counts: number[] = [];

  /** Drops seconds that left the window ending at `nowSecond`. */
  prune(nowSecond: number): void {
    let drop = 0;
    while (drop < this.seconds.length && (this.seconds[drop] ?? 0) <= nowSecond - windowSeconds) {
      drop += 1;
    }
    if (drop > 0) {
      this.seconds.splice(0, drop);
      this.counts.splice(0, drop);
    }
  }

  add(nowSecond: number, count = 1): void {
    const last = this.seconds.length - 1;
    if (last >= 0 && this.seconds[last] === nowSecond) {
      this.counts[last] = (this.counts[last] ?? 0) + count;
      return;
    }
    this.seconds.push(nowSecond);
    this.counts.push(count);
  }

  get empty(): boolean {
    return this.seconds.length === 0;
  }
}
