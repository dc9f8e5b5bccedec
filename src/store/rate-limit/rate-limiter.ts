/**
 * Per-organization request limits. One decision per request, with what the response headers need.
 * The in-memory limiter answers synchronously (no await on the hot path); the Redis one, shared by
 * every gateway instance, answers with a promise.
 */
export interface RateLimitDecision {
  readonly allowed: boolean;
  /** Requests per window (the policy's quota). */
  readonly limit: number;
  /** Requests that could still be made right now. */
  readonly remaining: number;
  /** Seconds until the whole quota is available again. */
  readonly resetSeconds: number;
  /** Seconds to wait before the next request can pass; 0 when allowed. */
  readonly retryAfterSeconds: number;
}

export interface RateLimiter {
  readonly kind: 'memory' | 'redis';
  /** Counts one request against `key` (an organization id) with `limit` requests per window. */
  consume(key: string, limit: number): RateLimitDecision | Promise<RateLimitDecision>;
  close(): Promise<void>;
}

/** Something with inc(): the prom-client Counter for store failures, or a test double. */
export interface FailureCounter {
  inc(): void;
}

export const defaultWindowMs = 60_000;
