export { createRateLimiter } from './create-rate-limiter.ts';

export { createTenantRateLimit } from './tenant-rate-limit.ts';
