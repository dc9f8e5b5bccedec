import type { Logger } from '../../metrics/index.ts';
import type { TrackedMessageRow } from '../../store/index.ts';
import { isRowDataError } from '../../store/index.ts';
import { isolateRefusedRows } from './isolate-refused-rows.ts';
import type {
  DeadLetterSink,
  TrackingBufferOptions,
  TrackingBufferStats,
  TrackingJournalSink,
  TrackingSinkStore,
} from './tracking-buffer-options.ts';

/**
 * Write-behind buffer for tracked messages: the request path only pushes a row into memory
 * (synchronous, no I/O); a background loop writes batches through the store's track_messages.
 *
 * - A batch is written when `batch_size` rows are waiting or every `flush_interval_ms`.
 * - A failed batch stays at the head of the queue and is retried with exponential backoff; ids are
 *   minted by the gateway, so a retry after an unclear failure never inserts a row twice.
 * - A batch refused for its data (SQLSTATE class 22, 23 or 54) is split until the refused rows
 *   are alone; the others commit, the refused ones go to dead_letters (rekindle_dead_letters_total)
 *   and are never retried. Without a dead-letter sink they are dropped — counted and logged.
 * - With a journal, push() first appends the row to it (one synchronous write), so an outcome id
 *   handed out survives a crash; rows are settled in the journal once committed or dead-lettered.
 * - Capacity is bounded (`buffer_size`, counting rows being written): when full, push() refuses
 *   the row, counts it in rekindle_tracking_dropped_total and logs — never silently.
 * - close() drains everything (SIGTERM), retrying until its deadline; what is left then is counted
 *   as dropped and logged.
 * - Between two batches of a backlog the drain yields to the event loop, so requests are served in
 *   between even when the store's writes run on this thread (the in-thread PgliteTransport:
 *   ~0.13 ms of CPU per row; the gateway itself opens PGlite on a worker thread); and such a store
 *   gets writes small enough to hold the thread at most `maxBlockingWriteMs`.
 */
export class TrackingBuffer {
  readonly #store: TrackingSinkStore;
  readonly #deadLetters: DeadLetterSink | undefined;
  readonly #journal: TrackingJournalSink | undefined;
  readonly #capacity: number;
  readonly #batchSize: number;
  readonly #maxBlockingWriteMs: number;
  /** Rows the next write takes: `batchSize`, or fewer while writes are seen to hold the thread. */
  #rowsPerWrite: number;
  readonly #flushIntervalMs: number;
  readonly #retryDelayMs: number;
  readonly #maxRetryDelayMs: number;
  readonly #metrics: TrackingBufferOptions['metrics'];
  readonly #logger: Logger | undefined;
  #queue: TrackedMessageRow[] = [];
  #draining: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #retryTimer: NodeJS.Timeout | null = null;
  #consecutiveFailures = 0;
  #drainScheduled = false;
  #closed = false;
  #written = 0;
  #dropped = 0;
  #deadLettered = 0;
  #failedWrites = 0;
  #dropsSinceLog = 0;
  #lastDropLog = 0;

  constructor(options: TrackingBufferOptions) {
    this.#store = options.store;
    this.#deadLetters = options.deadLetters;
    this.#journal = options.journal;
    this.#capacity = options.capacity ?? 50_000;
    this.#batchSize = options.batchSize ?? 500;
    this.#maxBlockingWriteMs = options.maxBlockingWriteMs ?? 10;
    this.#rowsPerWrite = this.#batchSize;
    this.#flushIntervalMs = options.flushIntervalMs ?? 250;
    this.#retryDelayMs = options.retryDelayMs ?? 100;
    this.#maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
    this.#metrics = options.metrics;
    this.#logger = options.logger;
  }

  /** Starts the periodic flush. Rows pushed before start() wait for it. */
  start(): this {
    if (!this.#timer && !this.#closed) {
      this.#timer = setInterval(() => this.#kick(), this.#flushIntervalMs);
      this.#timer.unref();
    }
    return this;
  }

  /**
   * Records one row: appended to the journal (when there is one), then buffered. True when the
   * row's outcome id may be handed out: journaled (a row the full buffer cannot take then waits in
   * the journal for the next start), or, without a journal, buffered. A refused row is counted as
   * dropped.
   */
  push(row: TrackedMessageRow): boolean {
    const journaled = this.#journal?.append(row);
    if (this.#closed || this.#queue.length >= this.#capacity) {
      this.#drop(1, this.#closed ? 'tracking buffer is closed' : 'tracking buffer is full');
      return journaled === true;
    }
    this.#queue.push(row);
    this.#metrics?.trackingBufferSize.set(this.#queue.length);
    if (this.#queue.length >= this.#batchSize && this.#timer && !this.#drainScheduled) {
      // A full batch is waiting: write it soon, off the request's call stack.
      this.#drainScheduled = true;
      setImmediate(() => {
        this.#drainScheduled = false;
        this.#kick();
      });
    }
    return journaled !== false;
  }

  /**
   * Journals a row whose outcome id goes out before the row is complete (a stream's headers), so
   * the id is written even if the process dies before push() of the final row. False when the
   * journal could not take it: hand out no id then. Without a journal, true (nothing to do).
   */
  reserve(row: TrackedMessageRow): boolean {
    return this.#closed ? false : (this.#journal?.append(row) ?? true);
  }

  get size(): number {
    return this.#queue.length;
  }

  get stats(): TrackingBufferStats {
    return {
      buffered: this.#queue.length,
      written: this.#written,
      dropped: this.#dropped,
      deadLettered: this.#deadLettered,
      failedWrites: this.#failedWrites,
    };
  }

  /** Writes everything buffered now; rejects if a write fails (the rows stay buffered). */
  async flush(): Promise<void> {
    await this.#draining?.catch(() => undefined);
    this.#clearRetry();
    this.#draining = this.#drain();
    try {
      await this.#draining;
    } finally {
      this.#draining = null;
    }
  }

  /**
   * Stops accepting rows and writes what is left, retrying failed writes until `timeoutMs`
   * (default 30 s). Rows still unwritten then are counted as dropped and logged.
   */
  async close(options: { timeoutMs?: number } = {}): Promise<TrackingBufferStats> {
    this.#closed = true;
    if (this.#timer) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    let delay = this.#retryDelayMs;
    while (this.#queue.length > 0) {
      try {
        await this.flush();
      } catch {
        if (Date.now() + delay > deadline) {
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, this.#maxRetryDelayMs);
      }
    }
    this.#clearRetry();
    if (this.#queue.length > 0) {
      const left = this.#queue.length;
      this.#queue = [];
      this.#drop(left, 'tracking buffer closed before these rows could be written');
      this.#logger?.error('tracked messages not written at shutdown', {
        dropped: left,
        kept_in_journal: this.#journal !== undefined,
      });
    }
    this.#metrics?.trackingBufferSize.set(0);
    this.#journal?.close();
    return this.stats;
  }

  /** Timer and full-batch trigger: one drain at a time, none while backing off. */
  #kick(): void {
    if (this.#draining || this.#retryTimer || this.#queue.length === 0) {
      return;
    }
    this.#draining = this.#drain()
      .catch((error: unknown) => this.#scheduleRetry(error))
      .finally(() => {
        this.#draining = null;
      });
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.slice(0, this.#rowsPerWrite);
      try {
        await this.#timedWrite(batch);
      } catch (error) {
        if (!isRowDataError(error)) {
          this.#failedWrites += 1;
          throw error;
        }
        const isolated = await isolateRefusedRows(batch, error, {
          store: this.#store,
          deadLetters: this.#deadLetters,
          logger: this.#logger,
        }).catch((failure: unknown) => {
          this.#failedWrites += 1;
          throw failure;
        });
        this.#countRefused(isolated);
      }
      // Only the drain removes rows, and only from the head: rows pushed meanwhile stay queued.
      this.#queue.splice(0, batch.length);
      this.#journal?.settle(batch.map((row) => row.id));
      this.#written += batch.length;
      this.#consecutiveFailures = 0;
      this.#metrics?.trackingBufferSize.set(this.#queue.length);
      if (this.#queue.length > 0) {
        // An embedded store (PGlite) runs each write on this thread: a backlog written batch after
        // batch through resolved promises alone would hold requests off for the whole backlog.
        await yieldToEventLoop();
      }
    }
  }

  /**
   * Writes one batch and sizes the next. A write that settles before the event loop could turn
   * (a setImmediate queued just before it has not run) ran entirely on this thread: the next write
   * takes as many rows as fit in `maxBlockingWriteMs` at the per-row time just measured.
   */
  async #timedWrite(batch: readonly TrackedMessageRow[]): Promise<void> {
    let loopTurned = false;
    const marker = setImmediate(() => {
      loopTurned = true;
    });
    const started = performance.now();
    try {
      await this.#store.trackMessages(batch);
    } finally {
      clearImmediate(marker);
    }
    if (loopTurned) {
      this.#rowsPerWrite = this.#batchSize;
      return;
    }
    const perRowMs = (performance.now() - started) / Math.max(1, batch.length);
    const fitting =
      perRowMs > 0 ? Math.floor(this.#maxBlockingWriteMs / perRowMs) : this.#batchSize;
    this.#rowsPerWrite = Math.min(this.#batchSize, Math.max(1, fitting));
  }

  #countRefused({ refused, deadLettered }: { refused: number; deadLettered: number }): void {
    this.#written -= refused;
    this.#deadLettered += deadLettered;
    if (deadLettered > 0) {
      this.#metrics?.deadLettersTotal.inc({ source: 'tracking' }, deadLettered);
    }
    if (refused > deadLettered) {
      this.#dropped += refused - deadLettered;
      this.#metrics?.trackingDroppedTotal.inc(refused - deadLettered);
    }
  }

  #scheduleRetry(error: unknown): void {
    this.#consecutiveFailures += 1;
    const delay = Math.min(
      this.#retryDelayMs * 2 ** (this.#consecutiveFailures - 1),
      this.#maxRetryDelayMs,
    );
    this.#logger?.warn('writing tracked messages failed; retrying', {
      error,
      buffered: this.#queue.length,
      retry_in_ms: delay,
      attempt: this.#consecutiveFailures,
    });
    if (this.#closed) {
      return;
    }
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#kick();
    }, delay);
    this.#retryTimer.unref();
  }

  #clearRetry(): void {
    if (this.#retryTimer) {
      clearTimeout(this.#retryTimer);
      this.#retryTimer = null;
    }
  }

  #drop(count: number, reason: string): void {
    this.#dropped += count;
    this.#metrics?.trackingDroppedTotal.inc(count);
    this.#dropsSinceLog += count;
    const now = Date.now();
    // Every drop is counted; the log says so at most once a second, with the running count.
    if (now - this.#lastDropLog >= 1_000) {
      this.#logger?.warn(`${reason}; tracked messages dropped`, {
        dropped: this.#dropsSinceLog,
        dropped_total: this.#dropped,
        capacity: this.#capacity,
      });
      this.#lastDropLog = now;
      this.#dropsSinceLog = 0;
    }
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
