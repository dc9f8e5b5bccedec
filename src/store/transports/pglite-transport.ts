import { join, resolve } from 'node:path';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { rpcStatement } from '../rpc-call.ts';
import type { SqlExecutor } from '../sql-executor.ts';
import { toStoreError } from '../store-errors.ts';
import type { StoreTransport } from '../store-transport.ts';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.ts';

export interface PgliteTransportOptions {
  /** A directory (the database lives in `<dir>/pgdata`), or `memory://` for a throwaway one. */
  dataDir: string;
}

/** Embedded PostgreSQL (WASM). One process owns a data directory; see data-dir-lock.ts. */
export class PgliteTransport implements StoreTransport {
  readonly kind = 'pglite' as const;
  readonly executor: SqlExecutor;
  readonly database: PGlite;
  readonly #lock: DataDirLock | null;
  #closed = false;

  private constructor(database: PGlite, lock: DataDirLock | null) {
    this.database = database;
    this.#lock = lock;
    this.executor = pgliteExecutor(database);
  }

  static async open(options: PgliteTransportOptions): Promise<PgliteTransport> {
    const { PGlite } = await import('@electric-sql/pglite');
    if (options.dataDir.startsWith('memory://')) {
      return new PgliteTransport(await PGlite.create(options.dataDir), null);
    }
    const root = resolve(options.dataDir);
    const lock = acquireDataDirLock(root);
    try {
      return new PgliteTransport(await PGlite.create(join(root, 'pgdata')), lock);
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /** Wraps an instance someone else opened (tests share one per file); close() closes it. */
  static wrap(database: PGlite): PgliteTransport {
    return new PgliteTransport(database, null);
  }

  async rpc<T = unknown>(name: string, args?: Readonly<Record<string, unknown>>): Promise<T> {
    const statement = rpcStatement(name, args);
    try {
      const result = await this.database.query<{ result: T }>(statement.sql, statement.params);
      return (result.rows[0]?.result ?? null) as T;
    } catch (error) {
      throw toStoreError(error, name);
    }
  }

  async listen(channel: string, onPayload: (payload: string) => void) {
    const unlisten = await this.database.listen(channel, onPayload);
    return async () => {
      if (!this.#closed) {
        await unlisten();
      }
    };
  }

  async close(): Promise<void> {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    try {
      await this.database.close();
    } finally {
      this.#lock?.release();
    }
  }
}

function pgliteExecutor(database: PGlite | Transaction): SqlExecutor {
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await database.query<Row>(sql, [...params]);
      return result.rows;
    },
    async exec(sql: string) {
      await database.exec(sql);
    },
    async transaction<T>(work: (executor: SqlExecutor) => Promise<T>): Promise<T> {
      if ('transaction' in database) {
        return database.transaction((transaction) => work(pgliteExecutor(transaction)));
      }
      return work(pgliteExecutor(database));
    },
  };
}
