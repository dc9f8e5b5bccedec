import type { Logger } from '../../metrics/index.ts';
import { MemoryRateLimiter } from './memory-rate-limiter.ts';
import type { FailureCounter, RateLimiter } from './rate-limiter.ts';
import { RedisRateLimiter } from './redis-rate-limiter.ts';

/** Redis when a URL is given (shared across instances), else in memory. */
export function createRateLimiter(options: {
  redisUrl?: string | undefined;
  windowMs?: number;
  logger?: Logger;
  failOpenCounter?: FailureCounter;
}): RateLimiter {
  if (options.redisUrl) {
    return new RedisRateLimiter({
      url: options.redisUrl,
      ...(options.windowMs ? { windowMs: options.windowMs } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.failOpenCounter ? { failOpenCounter: options.failOpenCounter } : {}),
    });
  }
  return new MemoryRateLimiter(options.windowMs ? { windowMs: options.windowMs } : {});
}
