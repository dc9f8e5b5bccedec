/**
 * How long a run waits before its next step. Vendor jobs are polled at the configured interval,
 * growing 1.5× per poll that saw no change up to `maxMs` (a job that sits in one status for hours
 * costs a handful of calls, not thousands); a status change starts again at the base interval.
 * Transient failures back off the same way, per attempt.
 */
export interface PollBackoff {
  readonly baseMs: number;
  readonly maxMs: number;
}

/** Default ceiling: 8 × the base interval, between 1 s and 10 minutes (2 minutes for 15 s). */
export function pollBackoff(baseMs: number, maxMs?: number): PollBackoff {
  const ceiling = maxMs ?? Math.min(Math.max(baseMs * 8, 1_000), 600_000);
  return { baseMs, maxMs: Math.max(baseMs, ceiling) };
}

/** The delay after the `count`-th unchanged poll (0 → the base interval). */
export function pollDelayMs(backoff: PollBackoff, count: number): number {
  const exponent = Math.min(Math.max(count, 0), 50);
  return Math.round(Math.min(backoff.baseMs * 1.5 ** exponent, backoff.maxMs));
}
