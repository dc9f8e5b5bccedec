import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from '../../../metrics/index.ts';
import type { TrackedMessageRow } from '../../../store/index.ts';
import {
  lockPath,
  newWriterId,
  removeQuietly,
  segmentPath,
  touchLock,
  writeLock,
} from './journal-writers.ts';

export interface TrackingJournalOptions {
  /** The journal's directory (`<data dir>/journal`); created when missing. */
  directory: string;
  /** A segment is sealed once it holds this many bytes (default 8 MiB). */
  segmentBytes?: number;
  /** How often the writer's lock is touched (default 5 s). */
  heartbeatMs?: number;
  logger?: Logger;
  /** Counts appends that failed (the caller then hands out no outcome id). */
  onAppendError?: () => void;
}

interface Segment {
  readonly seq: number;
  readonly path: string;
  fd: number | null;
  bytes: number;
  /** Records whose row is not yet committed (or dead-lettered). */
  unsettled: number;
}

/** An active segment this small and fully settled is not worth a new file. */
const minRotateBytes = 64 * 1024;

/**
 * Acknowledged means durable: before a response carries x-rekindle-outcome-id, its tracked row is
 * appended here, one synchronous write(2) of one JSON line to a file in the data directory. No
 * fsync: the line is in the kernel's page cache when the response leaves, so it survives the
 * process (a crash, SIGKILL, an OOM kill), not the machine (power loss, a kernel panic).
 *
 * The journal is a series of segment files; a segment is deleted once every row it holds was
 * committed (settle()). What a dead process left behind is written on the next start
 * (replayJournal), idempotently: ids are minted here and track_messages skips an id it has.
 * Records of one id may repeat (a stream's reservation, then its final row): the last one wins.
 */
export class TrackingJournal {
  readonly directory: string;
  readonly writer: string;
  readonly #lock: string;
  readonly #segmentBytes: number;
  readonly #logger: Logger | undefined;
  readonly #onAppendError: (() => void) | undefined;
  readonly #segments = new Map<number, Segment>();
  /** Segment seqs holding records of each unsettled id (an id may have several records). */
  readonly #ids = new Map<string, number | number[]>();
  readonly #heartbeat: NodeJS.Timeout;
  #active: Segment;
  #closed = false;
  #lastErrorLog = 0;

  constructor(options: TrackingJournalOptions) {
    this.directory = resolve(options.directory);
    mkdirSync(this.directory, { recursive: true, mode: 0o700 });
    this.writer = newWriterId();
    this.#lock = lockPath(this.directory, this.writer);
    writeLock(this.#lock);
    this.#segmentBytes = options.segmentBytes ?? 8 * 1024 * 1024;
    this.#logger = options.logger;
    this.#onAppendError = options.onAppendError;
    this.#active = this.#openSegment(1);
    this.#heartbeat = setInterval(() => {
      try {
        touchLock(this.#lock);
      } catch (error) {
        this.#logger?.warn('could not touch the tracking journal lock', { error });
      }
    }, options.heartbeatMs ?? 5_000);
    this.#heartbeat.unref();
  }

  /** Segments on disk and rows not yet settled (for tests and logs). */
  get stats(): { segments: number; unsettled: number } {
    let unsettled = 0;
    for (const segment of this.#segments.values()) {
      unsettled += segment.unsettled;
    }
    return { segments: this.#segments.size, unsettled };
  }

  /**
   * Appends one row: one JSON line, one write(2). False when it could not be written (disk full,
   * closed): the caller must then not hand out the row's outcome id.
   */
  append(row: TrackedMessageRow): boolean {
    if (this.#closed) {
      return false;
    }
    const segment = this.#active;
    try {
      const line = Buffer.from(`${JSON.stringify(row)}\n`, 'utf8');
      let written = writeSync(segment.fd ?? -1, line);
      while (written < line.length) {
        written += writeSync(segment.fd ?? -1, line, written);
      }
      segment.bytes += line.length;
    } catch (error) {
      this.#appendFailed(error);
      return false;
    }
    segment.unsettled += 1;
    const seen = this.#ids.get(row.id);
    if (seen === undefined) {
      this.#ids.set(row.id, segment.seq);
    } else {
      this.#ids.set(row.id, [...(Array.isArray(seen) ? seen : [seen]), segment.seq]);
    }
    if (segment.bytes >= this.#segmentBytes) {
      this.#rotate();
    }
    return true;
  }

  /** The rows are in the database (or in dead_letters): their records may go. */
  settle(ids: Iterable<string>): void {
    const touched = new Set<Segment>();
    for (const id of ids) {
      const seqs = this.#ids.get(id);
      if (seqs === undefined) {
        continue;
      }
      this.#ids.delete(id);
      for (const seq of Array.isArray(seqs) ? seqs : [seqs]) {
        const segment = this.#segments.get(seq);
        if (segment !== undefined) {
          segment.unsettled -= 1;
          touched.add(segment);
        }
      }
    }
    for (const segment of touched) {
      if (segment.unsettled > 0) {
        continue;
      }
      if (segment !== this.#active) {
        this.#remove(segment);
      } else if (segment.bytes >= minRotateBytes && !this.#closed) {
        this.#rotate();
      }
    }
  }

  /**
   * Stops appending and lets go of the directory: settled segments are deleted, the lock removed.
   * Segments still holding unsettled rows stay, for the next start to replay.
   */
  close(): void {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    clearInterval(this.#heartbeat);
    for (const segment of [...this.#segments.values()]) {
      this.#closeFd(segment);
      if (segment.unsettled === 0) {
        this.#remove(segment);
      }
    }
    const left = this.stats.unsettled;
    if (left > 0) {
      this.#logger?.warn('tracked messages left in the journal for the next start', {
        rows: left,
        directory: this.directory,
      });
    }
    removeQuietly(this.#lock);
  }

  #openSegment(seq: number): Segment {
    const path = segmentPath(this.directory, this.writer, seq);
    const segment: Segment = { seq, path, fd: openSync(path, 'a', 0o600), bytes: 0, unsettled: 0 };
    this.#segments.set(seq, segment);
    return segment;
  }

  #rotate(): void {
    const sealed = this.#active;
    try {
      this.#active = this.#openSegment(sealed.seq + 1);
    } catch (error) {
      // Keep writing the current segment; a later rotation may succeed.
      this.#appendFailed(error);
      return;
    }
    this.#closeFd(sealed);
    if (sealed.unsettled === 0) {
      this.#remove(sealed);
    }
  }

  #remove(segment: Segment): void {
    this.#closeFd(segment);
    this.#segments.delete(segment.seq);
    removeQuietly(segment.path);
  }

  #closeFd(segment: Segment): void {
    if (segment.fd !== null) {
      try {
        closeSync(segment.fd);
      } catch {
        // Closing cannot lose what write(2) already handed to the kernel.
      }
      segment.fd = null;
    }
  }

  #appendFailed(error: unknown): void {
    this.#onAppendError?.();
    const now = Date.now();
    if (now - this.#lastErrorLog >= 1_000) {
      this.#lastErrorLog = now;
      this.#logger?.error('could not append to the tracking journal', {
        error,
        directory: this.directory,
      });
    }
  }
}
