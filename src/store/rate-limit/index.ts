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
export {
  RedisWindowRateLimiter,
  type RedisWindowRateLimiterOptions,
} from './redis-window-rate-limiter.ts';
export { decideWindow, SecondBuckets, windowSeconds } from './sliding-window.ts';
export { createTenantRateLimit, type TenantRateDecision } from './tenant-rate-limit.ts';
export { WindowRateLimiter } from './window-rate-limiter.ts';
