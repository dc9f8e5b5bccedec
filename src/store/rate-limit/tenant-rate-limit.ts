import { rateLimitHeaders } from './rate-limit-headers.ts';
import type { RateLimitDecision, RateLimiter } from './rate-limiter.ts';

export interface TenantRateDecision {
  readonly allowed: boolean;
  /** Every rate-limit header to send (Retry-After included when refused). */
  readonly headers: Readonly<Record<string, string>>;
  readonly decision: RateLimitDecision;
}

/**
 * The gateway's per-request check: the organization's bucket, at the key's own requests-per-minute
 * when it has one, else the configured default. Synchronous with the in-memory limiter.
 */
export function createTenantRateLimit(
  limiter: RateLimiter,
  options: { defaultRpm: number; windowSeconds?: number },
) {
  const render = (decision: RateLimitDecision): TenantRateDecision => ({
    allowed: decision.allowed,
    headers: rateLimitHeaders(
      decision,
      options.windowSeconds ? { windowSeconds: options.windowSeconds } : {},
    ),
    decision,
  });
  return {
    check(tenant: {
      readonly organizationId: string;
      readonly rpmLimit: number | null;
    }): TenantRateDecision | Promise<TenantRateDecision> {
      const decision = limiter.consume(
        tenant.organizationId,
        tenant.rpmLimit ?? options.defaultRpm,
      );
      return decision instanceof Promise ? decision.then(render) : render(decision);
    },
  };
}
