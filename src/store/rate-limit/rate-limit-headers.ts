import type { RateLimitDecision } from './rate-limiter.ts';

/**
 * Response headers for a decision:
 * - IETF draft-ietf-httpapi-ratelimit-headers: `RateLimit-Policy: "rpm";q=100;w=60` and
 *   `RateLimit: "rpm";r=99;t=1` (t = seconds until the quota is whole again, or until the next
 *   request can pass when refused),
 * - what OpenAI clients read: `x-ratelimit-limit-requests`, `x-ratelimit-remaining-requests`,
 *   `x-ratelimit-reset-requests` (a duration such as `1s` or `1m0s`),
 * - `Retry-After` (integer seconds) on a refusal; it takes precedence over `RateLimit`.
 */
export function rateLimitHeaders(
  decision: RateLimitDecision,
  options: { policy?: string; windowSeconds?: number } = {},
): Record<string, string> {
  const policy = options.policy ?? 'rpm';
  const windowSeconds = options.windowSeconds ?? 60;
  const until = decision.allowed ? decision.resetSeconds : decision.retryAfterSeconds;
  const headers: Record<string, string> = {
    'RateLimit-Policy': `"${policy}";q=${decision.limit};w=${windowSeconds}`,
    RateLimit: `"${policy}";r=${decision.remaining};t=${until}`,
    'x-ratelimit-limit-requests': String(decision.limit),
    'x-ratelimit-remaining-requests': String(decision.remaining),
    'x-ratelimit-reset-requests': formatDuration(
      decision.allowed ? decision.resetSeconds : decision.retryAfterSeconds,
    ),
  };
  if (!decision.allowed) {
    headers['Retry-After'] = String(decision.retryAfterSeconds);
  }
  return headers;
}

/** OpenAI's duration style: `0s`, `45s`, `1m0s`, `1h2m3s`. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.ceil(totalSeconds));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) {
    return `${hours}h${minutes}m${rest}s`;
  }
  if (minutes > 0) {
    return `${minutes}m${rest}s`;
  }
  return `${rest}s`;
}
