import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../metrics/index.ts';
import type { BreakerBroadcast, BreakerOpened } from './breaker-broadcast.ts';

export interface RedisBreakerBroadcastOptions {
  readonly url: string;
  readonly logger?: Logger;
  /** Key and channel prefix (default `rekindle:breaker`). */
  readonly prefix?: string;
}

export interface RedisBreakerBroadcast extends BreakerBroadcast {
  close(): Promise<void>;
}

interface Message extends BreakerOpened {
  readonly from: string;
}

/**
 * Open breakers over Redis: `SET <prefix>:<key> <model> PX <remaining>` (so a replica that starts
 * later finds them, and they expire with the cooldown) and `PUBLISH <prefix>` (so running replicas
 * hear at once). Redis being down only costs the sharing: each replica's own breakers keep working.
 */
export async function startRedisBreakerBroadcast(
  options: RedisBreakerBroadcastOptions,
): Promise<RedisBreakerBroadcast> {
  const prefix = options.prefix ?? 'rekindle:breaker';
  const instance = randomUUID();
  const connection = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 1_000,
    connectTimeout: 2_000,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 5_000),
  };
  const commands = new Redis(options.url, connection);
  // A subscriber connection may only subscribe; it queues its SUBSCRIBE until connected.
  const subscriber = new Redis(options.url, { ...connection, enableOfflineQueue: true });
  let lastWarning = 0;
  const warn = (message: string, error: unknown) => {
    if (Date.now() - lastWarning > 30_000) {
      lastWarning = Date.now();
      options.logger?.warn(message, { error });
    }
  };
  commands.on('error', (error: Error) => warn('redis breaker broadcast connection error', error));
  subscriber.on('error', (error: Error) => warn('redis breaker broadcast connection error', error));

  const listeners: Array<(opened: BreakerOpened) => void> = [];
  const deliver = (opened: BreakerOpened) => {
    for (const listener of listeners) {
      listener(opened);
    }
  };
  subscriber.on('message', (_channel: string, text: string) => {
    const message = parseMessage(text);
    if (message && message.from !== instance) {
      deliver({ key: message.key, model: message.model, remainingMs: message.remainingMs });
    }
  });

  const stillOpen: BreakerOpened[] = [];
  // Subscribed on every (re)connection, so a Redis that was down at start is joined later; at
  // start Redis gets a few seconds before the gateway goes on without it.
  const subscribe = () => subscriber.subscribe(prefix);
  subscriber.on('ready', () => {
    subscribe().catch((error: unknown) => warn('redis breaker broadcast subscribe failed', error));
  });
  const subscribed = subscribe();
  subscribed.catch((error: unknown) => warn('redis breaker broadcast subscribe failed', error));
  try {
    await withTimeout(Promise.all([subscribed, ready(commands)]), 3_000);
    stillOpen.push(...(await readOpen(commands, prefix)));
  } catch (error) {
    warn('redis breaker broadcast unavailable at start; breakers are per replica for now', error);
  }

  return {
    publish(opened) {
      const message: Message = { ...opened, from: instance };
      const remaining = Math.max(1, Math.round(opened.remainingMs));
      commands
        .multi()
        .set(`${prefix}:${opened.key}`, opened.model, 'PX', remaining)
        .publish(prefix, JSON.stringify(message))
        .exec()
        .catch((error: unknown) => warn('announcing an open breaker over redis failed', error));
    },
    onOpened(listener) {
      listeners.push(listener);
      for (const opened of stillOpen) {
        listener(opened);
      }
    },
    async close() {
      subscriber.disconnect(false);
      commands.disconnect(false);
    },
  };
}

function ready(redis: Redis): Promise<void> {
  return redis.status === 'ready'
    ? Promise.resolve()
    : new Promise((resolve) => redis.once('ready', () => resolve()));
}

async function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`redis not ready within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Breakers open on other replicas right now, with what is left of their cooldown. */
async function readOpen(redis: Redis, prefix: string): Promise<BreakerOpened[]> {
  const found: BreakerOpened[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 100);
    cursor = next;
    for (const redisKey of keys) {
      const [model, remainingMs] = await Promise.all([redis.get(redisKey), redis.pttl(redisKey)]);
      if (model !== null && remainingMs > 0) {
        found.push({ key: redisKey.slice(prefix.length + 1), model, remainingMs });
      }
    }
  } while (cursor !== '0');
  return found;
}

function parseMessage(text: string): Message | null {
  try {
    const value = JSON.parse(text) as Partial<Message>;
    return typeof value.key === 'string' &&
      typeof value.model === 'string' &&
      typeof value.remainingMs === 'number' &&
      typeof value.from === 'string'
      ? (value as Message)
      : null;
  } catch {
    return null;
  }
}
