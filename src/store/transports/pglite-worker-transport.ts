import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { rpcStatement } from '../rpc-call.ts';
import type { SqlExecutor } from '../sql-executor.ts';
import { StoreError, toStoreError } from '../store-errors.ts';
import type { StoreTransport } from '../store-transport.ts';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.ts';
import { pgliteWorkerSource } from './pglite-worker-source.ts';

export interface PgliteWorkerTransportOptions {
  /** A directory (the database lives in `<dir>/pgdata`), or `memory://` for a throwaway one. */
  dataDir: string;
}

interface Pending {
  resolve(value: WorkerReply): void;
  reject(error: unknown): void;
}

interface WorkerReply {
  id?: number;
  op?: string;
  ok: boolean;
  rows?: unknown[];
  error?: { message: string; code?: string };
  channel?: string;
  payload?: string;
}

type Request =
  | { op: 'query'; sql: string; params: unknown[]; tx?: number }
  | { op: 'exec'; sql: string; tx?: number }
  | { op: 'begin' }
  | { op: 'commit' | 'rollback'; tx: number }
  | { op: 'listen' | 'unlisten'; channel: string }
  | { op: 'close' };

/**
 * Embedded PostgreSQL (WASM) on its own thread. PGlite executes SQL synchronously on whatever thread
 * owns it: on the gateway's thread every tracking write (≈0.3 ms of CPU per message) would hold
 * requests off. Here the gateway thread only posts the statement and its parameters (one string for
 * a batch) and awaits the rows, so requests are served while SQL runs and a second core can do the
 * writing. Same rpc and SQL as the in-thread PgliteTransport, which tests still use to share one
 * instance across a file.
 */
export class PgliteWorkerTransport implements StoreTransport {
  readonly kind = 'pglite' as const;
  readonly executor: SqlExecutor;
  readonly #worker: Worker;
  readonly #lock: DataDirLock | null;
  readonly #pending = new Map<number, Pending>();
  readonly #listeners = new Map<string, Set<(payload: string) => void>>();
  #nextId = 1;
  #failure: Error | null = null;
  #closed: Promise<void> | null = null;

  private constructor(worker: Worker, lock: DataDirLock | null) {
    this.#worker = worker;
    this.#lock = lock;
    this.executor = this.#executor(undefined);
    worker.on('message', (reply: WorkerReply) => this.#onReply(reply));
    worker.on('error', (error) => this.#fail(error));
    worker.on('exit', (code) => {
      this.#fail(new Error(`the PGlite worker thread exited (code ${code})`));
      this.#lock?.release();
    });
  }

  static async open(options: PgliteWorkerTransportOptions): Promise<PgliteWorkerTransport> {
    const memory = options.dataDir.startsWith('memory://');
    const root = memory ? null : resolve(options.dataDir);
    const lock = root === null ? null : acquireDataDirLock(root);
    const pgliteUrl = pathToFileURL(
      createRequire(import.meta.url).resolve('@electric-sql/pglite'),
    ).href;
    const worker = new Worker(pgliteWorkerSource, {
      eval: true,
      workerData: { pgliteUrl, dataPath: root === null ? options.dataDir : join(root, 'pgdata') },
    });
    try {
      await new Promise<void>((opened, failed) => {
        const onMessage = (reply: WorkerReply) => {
          if (reply.op !== 'opened') {
            return;
          }
          worker.off('message', onMessage);
          worker.off('exit', onExit);
          if (reply.ok) {
            opened();
          } else {
            failed(remoteError(reply.error));
          }
        };
        const onExit = (code: number) =>
          failed(new Error(`the PGlite worker thread exited while opening (code ${code})`));
        worker.on('message', onMessage);
        worker.once('error', failed);
        worker.once('exit', onExit);
      });
    } catch (error) {
      await worker.terminate();
      lock?.release();
      throw toStoreError(error, null);
    }
    return new PgliteWorkerTransport(worker, lock);
  }

  async rpc<T = unknown>(name: string, args?: Readonly<Record<string, unknown>>): Promise<T> {
    const statement = rpcStatement(name, args);
    try {
      const reply = await this.#send({ op: 'query', sql: statement.sql, params: statement.params });
      const row = reply.rows?.[0] as { result?: T } | undefined;
      return (row?.result ?? null) as T;
    } catch (error) {
      throw toStoreError(error, name);
    }
  }

  async listen(channel: string, onPayload: (payload: string) => void) {
    let callbacks = this.#listeners.get(channel);
    if (!callbacks) {
      callbacks = new Set();
      this.#listeners.set(channel, callbacks);
      await this.#send({ op: 'listen', channel });
    }
    callbacks.add(onPayload);
    return async () => {
      const current = this.#listeners.get(channel);
      current?.delete(onPayload);
      if (current?.size === 0 && this.#closed === null) {
        this.#listeners.delete(channel);
        await this.#send({ op: 'unlisten', channel });
      }
    };
  }

  close(): Promise<void> {
    this.#closed ??= (async () => {
      try {
        if (this.#failure === null) {
          await this.#send({ op: 'close' });
        }
      } finally {
        await this.#worker.terminate();
        this.#lock?.release();
      }
    })();
    return this.#closed;
  }

  #executor(tx: number | undefined): SqlExecutor {
    return {
      query: async <Row>(sql: string, params: readonly unknown[] = []) => {
        const reply = await this.#send({
          op: 'query',
          sql,
          params: [...params],
          ...(tx === undefined ? {} : { tx }),
        });
        return (reply.rows ?? []) as Row[];
      },
      exec: async (sql: string) => {
        await this.#send({ op: 'exec', sql, ...(tx === undefined ? {} : { tx }) });
      },
      transaction: async <T>(work: (executor: SqlExecutor) => Promise<T>): Promise<T> => {
        if (tx !== undefined) {
          return work(this.#executor(tx));
        }
        const opened = this.#nextId;
        await this.#send({ op: 'begin' });
        let result: T;
        try {
          result = await work(this.#executor(opened));
        } catch (error) {
          await this.#send({ op: 'rollback', tx: opened });
          throw error;
        }
        await this.#send({ op: 'commit', tx: opened });
        return result;
      },
    };
  }

  #send(request: Request): Promise<WorkerReply> {
    if (this.#failure !== null) {
      return Promise.reject(this.#failure);
    }
    const id = this.#nextId;
    this.#nextId += 1;
    return new Promise((resolvePending, rejectPending) => {
      this.#pending.set(id, { resolve: resolvePending, reject: rejectPending });
      this.#worker.postMessage({ ...request, id });
    });
  }

  #onReply(reply: WorkerReply): void {
    if (reply.op === 'notify') {
      for (const callback of this.#listeners.get(reply.channel ?? '') ?? []) {
        callback(reply.payload ?? '');
      }
      return;
    }
    if (reply.id === undefined) {
      return;
    }
    const pending = this.#pending.get(reply.id);
    if (!pending) {
      return;
    }
    this.#pending.delete(reply.id);
    if (reply.ok) {
      pending.resolve(reply);
    } else {
      pending.reject(remoteError(reply.error));
    }
  }

  /** The thread is gone: every waiting and later call fails as a retryable store error. */
  #fail(error: Error): void {
    if (this.#failure !== null) {
      return;
    }
    this.#failure = new StoreError(`the embedded database is unavailable: ${error.message}`, {
      cause: error,
      retryable: true,
    });
    for (const pending of this.#pending.values()) {
      pending.reject(this.#failure);
    }
    this.#pending.clear();
  }
}

/** An Error carrying the PostgreSQL fields the worker sent, so toStoreError reads its SQLSTATE. */
function remoteError(description: WorkerReply['error']): Error {
  const { message = 'unknown PGlite error', ...fields } = description ?? {};
  return Object.assign(new Error(message), fields);
}
