import type { RateLimitDecision, RateLimiter } from './rate-limiter.ts';
import { decideWindow, SecondBuckets } from './sliding-window.ts';

/**
 * At most `limit` requests in any 60-second window per key (per-second buckets, see
 * sliding-window.ts), in this process: N replicas without Redis allow N× the limit.
 */
export class WindowRateLimiter implements RateLimiter {
  readonly kind = 'memory' as const;
  readonly #buckets = new Map<string, SecondBuckets>();
  readonly #now: () => number;
  readonly #sweeper: NodeJS.Timeout;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#sweeper = setInterval(() => this.sweep(), 60_000);
    this.#sweeper.unref();
  }

  consume(key: string, limit: number): RateLimitDecision {
    const second = Math.floor(this.#now() / 1000);
    let buckets = this.#buckets.get(key);
    if (buckets === undefined) {
      buckets = new SecondBuckets();
      this.#buckets.set(key, buckets);
    }
    buckets.prune(second);
    const decision = decideWindow(buckets, second, limit);
    if (decision.allowed) {
      buckets.add(second);
    }
    return decision;
  }

  /** Drops keys with nothing left in their window. */
  sweep(): void {
    const second = Math.floor(this.#now() / 1000);
    for (const [key, buckets] of this.#buckets) {
      buckets.prune(second);
      if (buckets.empty) {
        this.#buckets.delete(key);
      }
    }
  }

  get trackedKeys(): number {
    return this.#buckets.size;
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#buckets.clear();
  }
}
