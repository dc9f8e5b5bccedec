import { gcra } from './gcra.ts';
import { defaultWindowMs, type RateLimitDecision, type RateLimiter } from './rate-limiter.ts';

/**
 * GCRA in a Map: synchronous, one number per organization. Per process, so N replicas allow N× the
 * limit — set REDIS_URL to share it. Keys whose TAT has passed carry no state and are swept.
 */
export class MemoryRateLimiter implements RateLimiter {
  readonly kind = 'memory' as const;
  readonly #arrivals = new Map<string, number>();
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #sweeper: NodeJS.Timeout;

  constructor(options: { windowMs?: number; now?: () => number } = {}) {
    this.#windowMs = options.windowMs ?? defaultWindowMs;
    this.#now = options.now ?? Date.now;
    this.#sweeper = setInterval(() => this.sweep(), this.#windowMs);
    this.#sweeper.unref();
  }

  consume(key: string, limit: number): RateLimitDecision {
    const result = gcra(this.#arrivals.get(key), this.#now(), limit, this.#windowMs);
    if (result.decision.allowed) {
      this.#arrivals.set(key, result.theoreticalArrival);
    }
    return result.decision;
  }

  /** Drops keys back at full quota (their state equals no state). */
  sweep(): void {
    const now = this.#now();
    for (const [key, arrival] of this.#arrivals) {
      if (arrival <= now) {
        this.#arrivals.delete(key);
      }
    }
  }

  get trackedKeys(): number {
    return this.#arrivals.size;
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#arrivals.clear();
  }
}
