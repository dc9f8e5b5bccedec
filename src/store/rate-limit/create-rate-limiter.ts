import type { Logger } from '../../metrics/index.ts';
import { MemoryRateLimiter } from './memory-rate-limiter.ts';
import type { FailureCounter, RateLimiter } from './rate-limiter.ts';
import { RedisRateLimiter } from './redis-rate-limiter.ts';
import { RedisWindowRateLimiter } from './redis-window-rate-limiter.ts';
import { WindowRateLimiter } from './window-rate-limiter.ts';

/**
 * Redis when a URL is given (shared across instances), else in memory; `sliding_window` (the
 * default: at most N in any 60 s window) or `gcra` (a burst, then a smooth rate).
 */
export function createRateLimiter(options: {
  redisUrl?: string | undefined;
  algorithm?: 'sliding_window' | 'gcra';
  replicas?: number;
  windowMs?: number;
  logger?: Logger;
  failOpenCounter?: FailureCounter;
  localFallbackCounter?: FailureCounter;
}): RateLimiter {
  const logger = options.logger ? { logger: options.logger } : {};
  if ((options.algorithm ?? 'sliding_window') === 'sliding_window') {
    if (options.redisUrl) {
      return new RedisWindowRateLimiter({
        url: options.redisUrl,
        ...logger,
        ...(options.replicas ? { replicas: options.replicas } : {}),
        ...(options.localFallbackCounter
          ? { localFallbackCounter: options.localFallbackCounter }
          : {}),
      });
    }
    return new WindowRateLimiter();
  }
  if (options.redisUrl) {
    return new RedisRateLimiter({
      url: options.redisUrl,
      ...(options.windowMs ? { windowMs: options.windowMs } : {}),
      ...logger,
      ...(options.failOpenCounter ? { failOpenCounter: options.failOpenCounter } : {}),
    });
  }
  return new MemoryRateLimiter(options.windowMs ? { windowMs: options.windowMs } : {});
}
