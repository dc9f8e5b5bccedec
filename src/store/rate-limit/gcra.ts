import type { RateLimitDecision } from './rate-limiter.ts';

/**
 * Generic Cell Rate Algorithm: one number per key, the theoretical arrival time (TAT). With
 * `limit` requests per `windowMs`, each request advances TAT by windowMs / limit; a request passes
 * while TAT stays within one window of now. A fresh key may burst the whole quota, after which
 * requests pass smoothly at the steady rate — no fixed-window edge where 2× the quota gets through.
 */
export interface GcraResult {
  readonly decision: RateLimitDecision;
  /** The key's new TAT (ms), or the old one when refused. */
  readonly theoreticalArrival: number;
}

export function gcra(
  previousArrival: number | undefined,
  now: number,
  limit: number,
  windowMs: number,
): GcraResult {
  const quota = Math.max(1, Math.floor(limit));
  const interval = windowMs / quota;
  const arrival = Math.max(previousArrival ?? now, now);
  const next = arrival + interval;
  const ahead = next - now;
  if (ahead > windowMs + 1e-6) {
    return {
      theoreticalArrival: arrival,
      decision: {
        allowed: false,
        limit: quota,
        remaining: 0,
        resetSeconds: Math.ceil((arrival - now) / 1000),
        retryAfterSeconds: Math.max(1, Math.ceil((ahead - windowMs) / 1000)),
      },
    };
  }
  return {
    theoreticalArrival: next,
    decision: {
      allowed: true,
      limit: quota,
      remaining: Math.max(0, Math.floor((windowMs - ahead) / interval + 1e-9)),
      resetSeconds: Math.ceil(ahead / 1000),
      retryAfterSeconds: 0,
    },
  };
}
