import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../../metrics/index.ts';
import {
  defaultWindowMs,
  type FailureCounter,
  type RateLimitDecision,
  type RateLimiter,
} from './rate-limiter.ts';

/**
 * GCRA in Redis, shared by every gateway instance: one Lua script reads the TAT, decides and writes
 * it back atomically, with Redis's own clock (TIME) so instance clocks do not matter. TAT is kept in
 * microseconds with a TTL of its distance from now, so idle keys expire by themselves.
 * Returns {allowed, remaining, reset_ms, retry_after_ms}.
 */
const gcraScript = `
local period = tonumber(ARGV[1]) * 1000
local limit = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = period / limit
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local next_tat = tat + interval
local ahead = next_tat - now
if ahead > period then
  return {0, 0, math.ceil((tat - now) / 1000), math.ceil((ahead - period) / 1000)}
end
redis.call('SET', KEYS[1], string.format('%.0f', next_tat), 'PX', math.ceil(ahead / 1000) + 1000)
return {1, math.floor((period - ahead) / interval + 0.000001), math.ceil(ahead / 1000), 0}
`;
const scriptSha = createHash('sha1').update(gcraScript).digest('hex');

export interface RedisRateLimiterOptions {
  url: string;
  windowMs?: number;
  /** Key prefix (default `rekindle:ratelimit:`). */
  prefix?: string;
  /** A Redis call slower than this fails open (default 250 ms). */
  timeoutMs?: number;
  logger?: Logger;
  /** Counted once per request let through because Redis failed. */
  failOpenCounter?: FailureCounter;
}

/**
 * If Redis is unreachable, slow or errors, requests are allowed (fail open): a rate limiter outage
 * must not become a gateway outage. Each such request is counted, and a warning is logged at most
 * every 30 s. Commands are never queued while disconnected, so an outage costs no latency.
 */
export class RedisRateLimiter implements RateLimiter {
  readonly kind = 'redis' as const;
  readonly redis: Redis;
  readonly #windowMs: number;
  readonly #prefix: string;
  readonly #logger: Logger | undefined;
  readonly #failOpenCounter: FailureCounter | undefined;
  /** Per message: when it was last logged and how many repeats were held back since. */
  readonly #warnings = new Map<string, { at: number; suppressed: number }>();

  constructor(options: RedisRateLimiterOptions) {
    this.#windowMs = options.windowMs ?? defaultWindowMs;
    this.#prefix = options.prefix ?? 'rekindle:ratelimit:';
    this.#logger = options.logger;
    this.#failOpenCounter = options.failOpenCounter;
    this.redis = new Redis(options.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.timeoutMs ?? 250,
      connectTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
    });
    this.redis.on('error', (error: Error) =>
      this.#warn('redis rate limiter connection error', error),
    );
  }

  /** Resolves once connected (or rejects after timeoutMs); consume() works either way. */
  ready(timeoutMs = 5_000): Promise<void> {
    if (this.redis.status === 'ready') {
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.redis.off('ready', onReady);
        reject(new Error(`redis not ready within ${timeoutMs} ms`));
      }, timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      this.redis.once('ready', onReady);
    });
  }

  async consume(key: string, limit: number): Promise<RateLimitDecision> {
    const quota = Math.max(1, Math.floor(limit));
    try {
      const reply = (await this.#run(`${this.#prefix}${key}`, quota)) as number[];
      const [allowed = 1, remaining = 0, resetMs = 0, retryAfterMs = 0] = reply.map(Number);
      return {
        allowed: allowed === 1,
        limit: quota,
        remaining,
        resetSeconds: Math.ceil(resetMs / 1000),
        retryAfterSeconds: allowed === 1 ? 0 : Math.max(1, Math.ceil(retryAfterMs / 1000)),
      };
    } catch (error) {
      this.#failOpenCounter?.inc();
      this.#warn('redis rate limiter unavailable; allowing the request (fail open)', error);
      return {
        allowed: true,
        limit: quota,
        remaining: quota,
        resetSeconds: 0,
        retryAfterSeconds: 0,
      };
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect(false);
  }

  async #run(key: string, limit: number): Promise<unknown> {
    try {
      return await this.redis.evalsha(scriptSha, 1, key, this.#windowMs, limit);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) {
        return this.redis.eval(gcraScript, 1, key, this.#windowMs, limit);
      }
      throw error;
    }
  }

  #warn(message: string, error: unknown): void {
    const now = Date.now();
    const last = this.#warnings.get(message);
    if (last && now - last.at < 30_000) {
      last.suppressed += 1;
      return;
    }
    this.#logger?.warn(message, { error, suppressed: last?.suppressed ?? 0 });
    this.#warnings.set(message, { at: now, suppressed: 0 });
  }
}
