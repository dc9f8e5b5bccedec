import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../../metrics/index.ts';
import type { FailureCounter, RateLimitDecision, RateLimiter } from './rate-limiter.ts';
import { decideWindow, SecondBuckets, type SecondCounts, windowSeconds } from './sliding-window.ts';

/**
 * Per-second buckets in one Redis hash per organization (field: Unix second, value: count),
 * decided atomically with Redis's clock: expired seconds are deleted, the rest summed, and the
 * request counted only when the sum stays within the quota. Returns {allowed, now, second,
 * count, …} — the window as it was before this request, which the gateway keeps as its last
 * view of the organization's traffic.
 */
const windowScript = `
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local now = tonumber(redis.call('TIME')[1])
local fields = redis.call('HGETALL', KEYS[1])
local used = 0
local out = {0, now}
for i = 1, #fields, 2 do
  local second = tonumber(fields[i])
  local count = tonumber(fields[i + 1])
  if second <= now - window then
    redis.call('HDEL', KEYS[1], fields[i])
  else
    used = used + count
    table.insert(out, second)
    table.insert(out, count)
  end
end
if used + 1 <= limit then
  redis.call('HINCRBY', KEYS[1], now, 1)
  redis.call('EXPIRE', KEYS[1], window + 1)
  out[1] = 1
end
return out
`;
const scriptSha = createHash('sha1').update(windowScript).digest('hex');

export interface RedisWindowRateLimiterOptions {
  url: string;
  /** Key prefix (default `rekindle:ratelimit:w:`). */
  prefix?: string;
  /** A Redis call slower than this is decided locally (default 250 ms). */
  timeoutMs?: number;
  /**
   * How many replicas may be admitting requests while Redis is unreachable (default 1): each
   * then counts its own requests that many times, so together they stay within the quota.
   */
  replicas?: number;
  logger?: Logger;
  /** Counted once per request decided locally because Redis failed. */
  localFallbackCounter?: FailureCounter;
  now?: () => number;
}

/**
 * At most N requests in any 60-second window per organization across every replica sharing the
 * Redis. While Redis is unreachable each replica limits locally — from its last view of the
 * organization's window plus its own requests since, each counted `replicas` times — logs it (at
 * most every 30 s) and counts it; once Redis answers again, the requests admitted meanwhile are
 * added to the shared window so nobody gets them twice.
 */
export class RedisWindowRateLimiter implements RateLimiter {
  readonly kind = 'redis' as const;
  readonly redis: Redis;
  readonly #prefix: string;
  readonly #replicas: number;
  readonly #logger: Logger | undefined;
  readonly #counter: FailureCounter | undefined;
  readonly #now: () => number;
  /** Per organization: the window as Redis last showed it (this replica's request included). */
  readonly #lastSeen = new Map<string, SecondBuckets>();
  /** Per organization: requests this replica admitted on its own while Redis was unreachable. */
  readonly #admittedLocally = new Map<string, SecondBuckets>();
  readonly #sweeper: NodeJS.Timeout;
  #lastWarning = 0;

  constructor(options: RedisWindowRateLimiterOptions) {
    this.#prefix = options.prefix ?? 'rekindle:ratelimit:w:';
    this.#replicas = Math.max(1, Math.floor(options.replicas ?? 1));
    this.#logger = options.logger;
    this.#counter = options.localFallbackCounter;
    this.#now = options.now ?? Date.now;
    this.redis = new Redis(options.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.timeoutMs ?? 250,
      connectTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
    });
    this.redis.on('error', (error: Error) => this.#warn(error));
    this.#sweeper = setInterval(() => this.#sweep(), 60_000);
    this.#sweeper.unref();
  }

  /** Resolves once connected (or rejects after timeoutMs); consume() works either way. */
  async ready(timeoutMs = 5_000): Promise<void> {
    if (this.redis.status === 'ready') {
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`redis not ready within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async consume(key: string, limit: number): Promise<RateLimitDecision> {
    const quota = Math.max(1, Math.floor(limit));
    let reply: number[];
    try {
      await this.#handBack(key);
      reply = ((await this.#run(this.#prefix + key, quota)) as unknown[]).map(Number);
    } catch (error) {
      return this.#decideLocally(key, quota, error);
    }
    const [allowed = 0, now = 0] = reply;
    const seen = new SecondBuckets();
    for (let index = 2; index + 1 < reply.length; index += 2) {
      seen.add(reply[index] ?? 0, reply[index + 1] ?? 0);
    }
    sortBuckets(seen);
    const decision = decideWindow(seen, now, quota);
    if (allowed === 1) {
      seen.add(now);
    }
    this.#lastSeen.set(key, seen);
    return { ...decision, allowed: allowed === 1 };
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    this.redis.disconnect(false);
  }

  #decideLocally(key: string, quota: number, error: unknown): RateLimitDecision {
    this.#counter?.inc();
    this.#warn(error);
    const second = Math.floor(this.#now() / 1000);
    let local = this.#admittedLocally.get(key);
    if (local === undefined) {
      local = new SecondBuckets();
      this.#admittedLocally.set(key, local);
    }
    local.prune(second);
    const decision = decideWindow(
      merged(this.#lastSeen.get(key), local, this.#replicas, second),
      second,
      quota,
      this.#replicas,
    );
    if (decision.allowed) {
      local.add(second);
    }
    return decision;
  }

  /** Adds what this replica admitted on its own to the shared window, once Redis is back. */
  async #handBack(key: string): Promise<void> {
    const local = this.#admittedLocally.get(key);
    if (local === undefined || local.empty) {
      this.#admittedLocally.delete(key);
      return;
    }
    const redisKey = this.#prefix + key;
    const pipeline = this.redis.multi();
    local.seconds.forEach((second, index) => {
      pipeline.hincrby(redisKey, String(second), local.counts[index] ?? 0);
    });
    pipeline.expire(redisKey, windowSeconds + 1);
    await pipeline.exec();
    this.#admittedLocally.delete(key);
  }

  async #run(key: string, limit: number): Promise<unknown> {
    try {
      return await this.redis.evalsha(scriptSha, 1, key, limit, windowSeconds);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) {
        return this.redis.eval(windowScript, 1, key, limit, windowSeconds);
      }
      throw error;
    }
  }

  #sweep(): void {
    const second = Math.floor(this.#now() / 1000);
    for (const map of [this.#lastSeen, this.#admittedLocally]) {
      for (const [key, buckets] of map) {
        buckets.prune(second);
        if (buckets.empty) {
          map.delete(key);
        }
      }
    }
  }

  #warn(error: unknown): void {
    const now = Date.now();
    if (now - this.#lastWarning < 30_000) {
      return;
    }
    this.#lastWarning = now;
    this.#logger?.warn('redis rate limiter unavailable; limiting on this replica alone', {
      error,
      replicas: this.#replicas,
    });
  }
}

function sortBuckets(buckets: SecondBuckets): void {
  const order = buckets.seconds.map(
    (second, index) => [second, buckets.counts[index] ?? 0] as const,
  );
  order.sort((left, right) => left[0] - right[0]);
  buckets.seconds.splice(0, buckets.seconds.length, ...order.map(([second]) => second));
  buckets.counts.splice(0, buckets.counts.length, ...order.map(([, count]) => count));
}

/** The last shared view plus this replica's own requests since, each counted `weight` times. */
function merged(
  seen: SecondBuckets | undefined,
  local: SecondBuckets,
  weight: number,
  nowSecond: number,
): SecondCounts {
  const counts = new Map<number, number>();
  seen?.prune(nowSecond);
  seen?.seconds.forEach((second, index) => {
    counts.set(second, (counts.get(second) ?? 0) + (seen.counts[index] ?? 0));
  });
  local.seconds.forEach((second, index) => {
    counts.set(second, (counts.get(second) ?? 0) + (local.counts[index] ?? 0) * weight);
  });
  const seconds = [...counts.keys()].sort((left, right) => left - right);
  return { seconds, counts: seconds.map((second) => counts.get(second) ?? 0) };
}
