import { randomBytes } from 'node:crypto';
import {
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * Who writes which journal files. Each gateway process is one writer with an id of its own: it
 * writes `<writer>.lock` ({pid, host}) first, then its segments `<writer>.<seq>.jsonl`, and touches
 * the lock every few seconds. Several processes may share a directory (replicas started from the
 * same working directory); each only ever deletes its own segments, or those of a writer that is
 * gone: no lock, a lock whose pid is dead on this host, or a lock nobody touched for `staleMs`
 * (another host on a shared volume, or a container restarted with the same pid).
 */
interface WriterFiles {
  readonly writer: string;
  readonly lock: string | null;
  /** Segment paths, oldest first. */
  readonly segments: string[];
}

const segmentPattern = /^([0-9a-z]+-[0-9a-f]{8})\.(\d{6})\.jsonl$/;
const lockPattern = /^([0-9a-z]+-[0-9a-f]{8})\.lock$/;

/** A new writer id: time-ordered, so orphans replay oldest first. */
export function newWriterId(now = Date.now()): string {
  return `${now.toString(36)}-${randomBytes(4).toString('hex')}`;
}

export function segmentPath(directory: string, writer: string, seq: number): string {
  return join(directory, `${writer}.${String(seq).padStart(6, '0')}.jsonl`);
}

export function lockPath(directory: string, writer: string): string {
  return join(directory, `${writer}.lock`);
}

export function writeLock(path: string): void {
  writeFileSync(
    path,
    JSON.stringify({ pid: process.pid, host: hostname(), started_at: new Date().toISOString() }),
    { flag: 'wx', mode: 0o600 },
  );
}

/** The heartbeat: a live writer's lock is never older than a few seconds. */
export function touchLock(path: string): void {
  const now = new Date();
  utimesSync(path, now, now);
}

/** Every writer with files in `directory`, by id. */
export function listWriters(directory: string): WriterFiles[] {
  const writers = new Map<string, { lock: string | null; segments: string[] }>();
  const entry = (writer: string) => {
    let found = writers.get(writer);
    if (found === undefined) {
      found = { lock: null, segments: [] };
      writers.set(writer, found);
    }
    return found;
  };
  for (const name of readdirSync(directory).sort()) {
    const segment = segmentPattern.exec(name);
    if (segment?.[1] !== undefined) {
      entry(segment[1]).segments.push(join(directory, name));
      continue;
    }
    const lock = lockPattern.exec(name);
    if (lock?.[1] !== undefined) {
      entry(lock[1]).lock = join(directory, name);
    }
  }
  return [...writers].map(([writer, files]) => ({ writer, ...files }));
}

/** Whether the writer that holds `lock` may still be writing (see the header). */
export function writerAlive(lock: string, staleMs: number, now = Date.now()): boolean {
  let modified: number;
  let owner: { pid?: unknown; host?: unknown };
  try {
    modified = statSync(lock).mtimeMs;
    owner = JSON.parse(readFileSync(lock, 'utf8')) as { pid?: unknown; host?: unknown };
  } catch {
    // Gone meanwhile, or written halfway by a process that died right then.
    return false;
  }
  if (now - modified > staleMs) {
    return false;
  }
  if (owner.host !== hostname()) {
    return true;
  }
  return typeof owner.pid === 'number' && processAlive(owner.pid);
}

export function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone (another replica adopted the same orphan): nothing to do.
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
