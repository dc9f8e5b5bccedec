import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { GatewayConfig } from '../config/index.ts';
import { replayJournal, TrackingBuffer, TrackingJournal } from '../pipeline/index.ts';
import type { Store } from '../store/index.ts';
import type { BuildContext } from './build-context.ts';

/** A replay that failed (store unreachable at start) is tried again this often. */
const replayRetryMs = 30_000;

/**
 * The write-behind of tracked messages, with its crash journal in `<data_dir>/journal` (unless
 * `tracking.journal` is false or the store lives in memory). What a killed gateway left in the
 * journal is written before this one starts tracking; the buffer closes last among the pipeline's
 * parts (after the HTTP drain), so every acknowledged row is flushed, or kept in the journal.
 */
export async function buildTracking(context: BuildContext, store: Store): Promise<TrackingBuffer> {
  const { config, logger, metrics } = context;
  const directory = journalDirectory(config);
  const journal =
    directory !== null
      ? new TrackingJournal({
          directory,
          logger,
          onAppendError: () => metrics.trackingJournalErrorsTotal.inc(),
        })
      : undefined;
  const tracking = new TrackingBuffer({
    store: store.outcomes,
    deadLetters: store.deadLetters,
    ...(journal ? { journal } : {}),
    capacity: config.tracking.buffer_size,
    batchSize: config.tracking.batch_size,
    flushIntervalMs: config.tracking.flush_interval_ms,
    metrics,
    logger,
  });
  if (journal) {
    const replay = startReplay(context, store, journal);
    await replay.first;
    context.onStop(async () => replay.stop());
  }
  tracking.start();
  context.onStop(() => tracking.close());
  return tracking;
}

/**
 * `<data_dir>/journal`, and under it one directory per remote database, so that a journal is
 * only ever replayed into the database its rows were meant for (replicas of one database may
 * share it). Null when off, or when the store is in memory (nothing would outlive the process).
 */
function journalDirectory(config: GatewayConfig): string | null {
  const { store } = config;
  if (!config.tracking.journal || store.data_dir.startsWith('memory://')) {
    return null;
  }
  const remote = store.supabase_url ?? store.database_url;
  if (remote === undefined) {
    return join(store.data_dir, 'journal');
  }
  const identity = createHash('sha256').update(databaseIdentity(remote)).digest('hex');
  return join(store.data_dir, 'journal', identity.slice(0, 16));
}

/** The server and database of a URL, without credentials (a rotated password is the same database). */
function databaseIdentity(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port}${parsed.pathname}`;
  } catch {
    return url;
  }
}

/** Replays other writers' journals now, and again later while a replay fails. */
function startReplay(
  context: BuildContext,
  store: Store,
  journal: TrackingJournal,
): { first: Promise<void>; stop(): void } {
  const { logger, metrics } = context;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const attempt = async (): Promise<void> => {
    try {
      const result = await replayJournal({
        directory: journal.directory,
        store: store.outcomes,
        deadLetters: store.deadLetters,
        ownWriter: journal.writer,
        logger,
      });
      metrics.trackingJournalReplayedTotal.inc(result.inserted);
      if (result.deadLettered > 0) {
        metrics.deadLettersTotal.inc({ source: 'tracking' }, result.deadLettered);
      }
      if (result.rows > 0) {
        logger.info('replayed the tracking journal', { ...result });
      }
    } catch (error) {
      logger.warn('could not replay the tracking journal; retrying', {
        error,
        retry_in_ms: replayRetryMs,
      });
      if (!stopped) {
        timer = setTimeout(() => void attempt(), replayRetryMs);
        timer.unref();
      }
    }
  };
  return {
    first: attempt(),
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
