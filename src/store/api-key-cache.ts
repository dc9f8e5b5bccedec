import type { Logger } from '../metrics/index.ts';
import { hashApiKey, looksLikeApiKey } from './api-keys/api-key-material.ts';
import type { ApiKeysStore } from './api-keys/api-keys-store.ts';
import type { ChannelListener } from './store-transport.ts';

/** Who a valid key belongs to; the shape the gateway's tenant auth expects. */
export interface AuthenticatedKey {
  readonly organizationId: string;
  readonly keyId: string;
  /** The key's own requests-per-minute limit; null = the organization default. */
  readonly rpmLimit: number | null;
}

export interface ApiKeyCacheOptions {
  apiKeys: Pick<ApiKeysStore, 'listActive' | 'markUsed'>;
  /** For LISTEN rekindle_api_keys (the store); without listen() the cache only refreshes on its timer. */
  notifications?: ChannelListener;
  logger?: Logger;
}

const apiKeysChannel = 'rekindle_api_keys';

/**
 * Tenant keys in memory: authenticate() is a hash and a Map lookup, never a database round trip.
 * Loaded from the store, refreshed on a timer and at once when a key is created or revoked on any
 * instance (NOTIFY rekindle_api_keys). If a refresh fails the last good set stays in force. Keys
 * seen in use are written back as last_used_at in one batch per refresh.
 */
export class ApiKeyCache {
  readonly #apiKeys: ApiKeyCacheOptions['apiKeys'];
  readonly #notifications: ApiKeyCacheOptions['notifications'];
  readonly #logger: Logger | undefined;
  #byHash = new Map<string, AuthenticatedKey>();
  #revokedCount = 0;
  #loaded = false;
  #used = new Set<string>();
  #refreshing: Promise<void> | null = null;
  #refreshAgain = false;
  #timer: NodeJS.Timeout | null = null;
  #unlisten: (() => Promise<void>) | null = null;

  constructor(options: ApiKeyCacheOptions) {
    this.#apiKeys = options.apiKeys;
    this.#notifications = options.notifications;
    this.#logger = options.logger;
  }

  /** The raw key (or `Bearer <key>`); null when unknown, revoked or malformed. */
  authenticate(bearer: string): AuthenticatedKey | null {
    const key = bearer.startsWith('Bearer ') ? bearer.slice(7).trim() : bearer;
    if (!looksLikeApiKey(key)) {
      return null;
    }
    const found = this.#byHash.get(hashApiKey(key)) ?? null;
    if (found) {
      this.#used.add(found.keyId);
    }
    return found;
  }

  /** True once any key exists in the store, live or revoked (then the gateway is never open). */
  hasKeys(): boolean {
    return this.#byHash.size > 0 || this.#revokedCount > 0;
  }

  /** True after the first successful load. */
  get loaded(): boolean {
    return this.#loaded;
  }

  get size(): number {
    return this.#byHash.size;
  }

  /** Reloads the keys; concurrent calls share one load (and one more runs if asked meanwhile). */
  refresh(): Promise<void> {
    if (this.#refreshing) {
      this.#refreshAgain = true;
      return this.#refreshing;
    }
    this.#refreshing = this.#load().finally(() => {
      this.#refreshing = null;
      if (this.#refreshAgain) {
        this.#refreshAgain = false;
        this.refresh().catch((error: unknown) => {
          this.#logger?.warn('api key refresh failed; keeping the last loaded keys', { error });
        });
      }
    });
    return this.#refreshing;
  }

  /** First load (throws if it fails), then LISTEN and a timer. */
  async start(intervalMs = 30_000): Promise<void> {
    await this.refresh();
    if (this.#notifications?.listen && !this.#unlisten) {
      try {
        this.#unlisten = await this.#notifications.listen(apiKeysChannel, () => {
          this.refresh().catch((error: unknown) => {
            this.#logger?.warn('api key refresh after notify failed', { error });
          });
        });
      } catch (error) {
        this.#logger?.warn('cannot LISTEN for api key changes; refreshing on the timer only', {
          error,
        });
      }
    }
    if (!this.#timer) {
      this.#timer = setInterval(() => {
        this.refresh().catch((error: unknown) => {
          this.#logger?.warn('api key refresh failed; keeping the last loaded keys', { error });
        });
      }, intervalMs);
      this.#timer.unref();
    }
  }

  async stop(): Promise<void> {
    if (this.#timer) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
    const unlisten = this.#unlisten;
    this.#unlisten = null;
    await unlisten?.().catch(() => undefined);
    await this.#refreshing?.catch(() => undefined);
    await this.#flushUsage();
  }

  async #load(): Promise<void> {
    const { keys, revokedCount } = await this.#apiKeys.listActive();
    const next = new Map<string, AuthenticatedKey>();
    for (const key of keys) {
      next.set(key.key_hash, {
        organizationId: key.organization_id,
        keyId: key.id,
        rpmLimit: key.rpm_limit,
      });
    }
    this.#byHash = next;
    this.#revokedCount = revokedCount;
    this.#loaded = true;
    await this.#flushUsage();
  }

  async #flushUsage(): Promise<void> {
    if (this.#used.size === 0) {
      return;
    }
    const ids = [...this.#used];
    this.#used = new Set();
    try {
      await this.#apiKeys.markUsed(ids);
    } catch (error) {
      this.#logger?.debug('could not record api key usage', { error });
    }
  }
}
