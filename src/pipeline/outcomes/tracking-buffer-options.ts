import type { GatewayMetrics, Logger } from '../../metrics/index.ts';
import type { DeadLetter, TrackedMessageRow } from '../../store/index.ts';

/** What the tracking buffer writes through (store.outcomes). */
export interface TrackingSinkStore {
  trackMessages(
    rows: readonly TrackedMessageRow[],
  ): Promise<{ inserted: number; received: number }>;
}

/** Where rows the database refuses are kept (store.deadLetters). */
export interface DeadLetterSink {
  record(letters: readonly DeadLetter[]): Promise<number>;
}

/** The crash journal (TrackingJournal): appended before an id is handed out, settled after. */
export interface TrackingJournalSink {
  append(row: TrackedMessageRow): boolean;
  settle(ids: Iterable<string>): void;
  close(): void;
}

export interface TrackingBufferOptions {
  store: TrackingSinkStore;
  deadLetters?: DeadLetterSink;
  journal?: TrackingJournalSink;
  /** Largest number of rows held (default 50 000). */
  capacity?: number;
  /** Rows per write (default 500). */
  batchSize?: number;
  /**
   * Longest a single write may hold this thread (default 10 ms). A store that writes on the
   * gateway's own thread (PGlite) gets smaller writes, sized from the last one; a store reached over
   * the network (PostgreSQL, Supabase) holds nothing and keeps `batchSize`.
   */
  maxBlockingWriteMs?: number;
  /** Longest a row waits before a write starts (default 250 ms). */
  flushIntervalMs?: number;
  /** First retry delay after a failed write (default 100 ms), doubling up to maxRetryDelayMs. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  metrics?: Pick<
    GatewayMetrics,
    'trackingDroppedTotal' | 'trackingBufferSize' | 'deadLettersTotal'
  >;
  logger?: Logger;
}

export interface TrackingBufferStats {
  readonly buffered: number;
  readonly written: number;
  readonly dropped: number;
  /** Rows the database refused, kept in dead_letters. */
  readonly deadLettered: number;
  readonly failedWrites: number;
}
