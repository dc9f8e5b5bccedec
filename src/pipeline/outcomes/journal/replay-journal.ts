import { readFileSync } from 'node:fs';
import type { Logger } from '../../../metrics/index.ts';
import type { DeadLetter, TrackedMessageRow } from '../../../store/index.ts';
import { writeIsolating } from '../../../store/index.ts';
import { listWriters, removeQuietly, writerAlive } from './journal-writers.ts';

export interface ReplayJournalOptions {
  directory: string;
  store: {
    trackMessages(rows: readonly TrackedMessageRow[]): Promise<{ inserted: number }>;
  };
  deadLetters?: { record(letters: readonly DeadLetter[]): Promise<number> };
  /** This process's own writer: never replayed. */
  ownWriter?: string;
  /** A lock untouched this long belongs to a writer that is gone (default 30 s). */
  staleMs?: number;
  /** Rows per write (default 500). */
  batchSize?: number;
  logger?: Logger;
}

export interface ReplayResult {
  /** Writers whose files were replayed and deleted. */
  readonly writers: number;
  /** Distinct rows found; `inserted` of them were not in the database yet. */
  readonly rows: number;
  readonly inserted: number;
  readonly deadLettered: number;
  /** Lines that were not a row (a line torn by a machine crash). */
  readonly skippedLines: number;
}

/**
 * Writes what writers that are gone left in the journal, then deletes their files. Safe to run
 * at any time and on several replicas at once: a live writer's files are never touched, and a row
 * written twice is inserted once (track_messages skips an id it has). A row the database refuses
 * goes to dead_letters, as in the tracking buffer. If the store fails otherwise, the files stay
 * for the next attempt and the error is thrown.
 */
export async function replayJournal(options: ReplayJournalOptions): Promise<ReplayResult> {
  const result = { writers: 0, rows: 0, inserted: 0, deadLettered: 0, skippedLines: 0 };
  let writers: ReturnType<typeof listWriters>;
  try {
    writers = listWriters(options.directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return result;
    }
    throw error;
  }
  for (const writer of writers) {
    if (writer.writer === options.ownWriter) {
      continue;
    }
    if (writer.lock !== null && writerAlive(writer.lock, options.staleMs ?? 30_000)) {
      continue;
    }
    const { rows, skippedLines } = readRows(writer.segments);
    result.skippedLines += skippedLines;
    const batchSize = options.batchSize ?? 500;
    for (let start = 0; start < rows.length; start += batchSize) {
      const { results, refused } = await writeIsolating(
        rows.slice(start, start + batchSize),
        (batch) => options.store.trackMessages(batch),
      );
      result.inserted += results.reduce((sum, each) => sum + each.inserted, 0);
      if (refused.length > 0) {
        await options.deadLetters?.record(
          refused.map(({ row, error }) => ({
            source: 'tracking',
            recordId: row.id,
            organizationId: row.organization_id,
            payload: row,
            errorMessage: error.message,
            sqlState: error.sqlState,
          })),
        );
        result.deadLettered += refused.length;
      }
    }
    result.rows += rows.length;
    for (const segment of writer.segments) {
      removeQuietly(segment);
    }
    if (writer.lock !== null) {
      removeQuietly(writer.lock);
    }
    result.writers += 1;
    if (skippedLines > 0) {
      options.logger?.warn('skipped journal lines that are not a row', { lines: skippedLines });
    }
  }
  return result;
}

/** The last record of each id, in the order ids first appeared. */
function readRows(segments: readonly string[]): {
  rows: TrackedMessageRow[];
  skippedLines: number;
} {
  const rows = new Map<string, TrackedMessageRow>();
  let skippedLines = 0;
  for (const segment of segments) {
    let text: string;
    try {
      text = readFileSync(segment, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      if (line === '') {
        continue;
      }
      const row = parseRow(line);
      if (row === null) {
        skippedLines += 1;
      } else {
        rows.set(row.id, row);
      }
    }
  }
  return { rows: [...rows.values()], skippedLines };
}

function parseRow(line: string): TrackedMessageRow | null {
  try {
    const value = JSON.parse(line) as Partial<TrackedMessageRow> | null;
    return typeof value?.id === 'string' && typeof value.organization_id === 'string'
      ? (value as TrackedMessageRow)
      : null;
  } catch {
    return null;
  }
}
