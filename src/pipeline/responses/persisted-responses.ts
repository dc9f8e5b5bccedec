import type { ResponsesConfig } from '../../config/index.ts';
import type { Logger } from '../../metrics/index.ts';
import type { StoredResponseRow, StoredResponsesStore } from '../../store/index.ts';
import { MemoryResponseStore, type ResponseStore, type StoredResponse } from './response-store.ts';

export interface PersistedResponsesOptions {
  readonly store: Pick<StoredResponsesStore, 'put' | 'get' | 'delete' | 'purgeExpired'>;
  readonly config: ResponsesConfig;
  readonly logger: Logger;
  readonly now: () => number;
}

/**
 * Stored responses in the database (`stored_responses`, one row per response, RLS per
 * organization), written behind the answer in batches like tracked messages. Responses not yet
 * written are always readable from memory, and the newest `recent_cache_size` stay there, so a
 * `previous_response_id` right after a response needs no database read. Expired rows are purged
 * every `purge_interval_ms`. Every replica reads the same table, so a second turn may land on
 * another replica.
 */
export class PersistedResponses implements ResponseStore {
  private readonly recent: MemoryResponseStore;
  private readonly pending = new Map<string, StoredResponse>();
  private flushTimer: NodeJS.Timeout | undefined;
  private purgeTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(private readonly options: PersistedResponsesOptions) {
    this.recent = new MemoryResponseStore(options.config.recent_cache_size, options.now);
  }

  start(): this {
    const { config } = this.options;
    this.flushTimer = setInterval(() => void this.flush(), config.flush_interval_ms);
    this.flushTimer.unref();
    if (config.purge_interval_ms > 0) {
      this.purgeTimer = setInterval(() => void this.purge(), config.purge_interval_ms);
      this.purgeTimer.unref();
    }
    return this;
  }

  put(stored: StoredResponse): boolean {
    if (this.pending.size >= this.options.config.buffer_size) {
      this.options.logger.warn('stored response dropped: the write buffer is full', {
        buffer_size: this.options.config.buffer_size,
      });
      return false;
    }
    this.pending.set(pendingKey(stored.organizationId, stored.id), stored);
    this.recent.put(stored);
    return true;
  }

  async get(organizationId: string, id: string): Promise<StoredResponse | undefined> {
    const waiting = this.pending.get(pendingKey(organizationId, id));
    if (waiting && waiting.expiresAt > this.options.now()) {
      return waiting;
    }
    const cached = this.recent.peek(organizationId, id);
    if (cached) {
      return cached;
    }
    const row = await this.options.store.get(organizationId, id);
    return row ? fromRow(row) : undefined;
  }

  async delete(organizationId: string, id: string): Promise<boolean> {
    const key = pendingKey(organizationId, id);
    const waiting = this.pending.get(key);
    this.pending.delete(key);
    const cached = this.recent.forget(organizationId, id);
    const deleted = await this.options.store.delete(organizationId, id);
    return deleted || cached || (waiting !== undefined && waiting.expiresAt > this.options.now());
  }

  /** Writes what is waiting, a batch at a time; a failed batch stays for the next flush. */
  flush(): Promise<void> {
    this.flushing ??= this.writePending().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async writePending(): Promise<void> {
    const { batch_size: batchSize } = this.options.config;
    while (this.pending.size > 0) {
      const batch = [...this.pending.entries()].slice(0, batchSize);
      try {
        await this.options.store.put(batch.map(([, stored]) => toRow(stored)));
      } catch (error) {
        this.options.logger.warn('stored responses not written yet; retrying', {
          error: error instanceof Error ? error.message : String(error),
          pending: this.pending.size,
        });
        return;
      }
      for (const [key, stored] of batch) {
        // A delete during the write removed it from pending already; the row is gone with it.
        if (this.pending.get(key) === stored) {
          this.pending.delete(key);
        }
      }
    }
  }

  async purge(): Promise<number> {
    let total = 0;
    try {
      for (;;) {
        const deleted = await this.options.store.purgeExpired(1000);
        total += deleted;
        if (deleted < 1000) {
          return total;
        }
      }
    } catch (error) {
      this.options.logger.warn('purge of expired stored responses failed', {
        error: error instanceof Error ? error.message : String(error),
      });
      return total;
    }
  }

  /** Stops the timers and writes what is still waiting. */
  async close(): Promise<void> {
    clearInterval(this.flushTimer);
    clearInterval(this.purgeTimer);
    await this.flush();
  }
}

function pendingKey(organizationId: string, id: string): string {
  return `${organizationId}\u0000${id}`;
}

function toRow(stored: StoredResponse): StoredResponseRow {
  return {
    id: stored.id,
    organization_id: stored.organizationId,
    response: stored.response,
    input_items: stored.inputItems,
    created_at: new Date(stored.createdAt).toISOString(),
    expires_at: new Date(stored.expiresAt).toISOString(),
  };
}

function fromRow(row: StoredResponseRow): StoredResponse {
  return {
    id: row.id,
    organizationId: row.organization_id,
    response: row.response,
    inputItems: row.input_items,
    createdAt: Date.parse(row.created_at),
    expiresAt: Date.parse(row.expires_at),
  };
}
