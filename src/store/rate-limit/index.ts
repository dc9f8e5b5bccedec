export { createRateLimiter } from './create-rate-limiter.ts';
export { type GcraResult, gcra } from './gcra.ts';
export { MemoryRateLimiter } from './memory-rate-limiter.ts';
export { formatDuration, rateLimitHeaders } from './rate-limit-headers.ts';
export {
  defaultWindowMs,
  type FailureCounter,
  type RateLimitDecision,
  type RateLimiter,
} from './rate-limiter.ts';
export { RedisRateLimiter, type RedisRateLimiterOptions } from './redis-rate-limiter.ts';
export { createTenantRateLimit, type TenantRateDecision } from './tenant-rate-limit.ts';
