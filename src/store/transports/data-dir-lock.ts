import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { StoreLockedError } from '../store-errors.ts';

/**
 * One process owns a PGlite data directory: two writers would corrupt it. The owner writes its pid
 * to `<dir>/store.lock` (created exclusively); a lock whose pid is gone is stale and taken over.
 */
export interface DataDirLock {
  readonly path: string;
  release(): void;
}

export function acquireDataDirLock(directory: string): DataDirLock {
  const root = resolve(directory);
  mkdirSync(root, { recursive: true });
  const path = join(root, 'store.lock');
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const descriptor = openSync(path, 'wx', 0o644);
      writeSync(
        descriptor,
        JSON.stringify({
          pid: process.pid,
          host: hostname(),
          started_at: new Date().toISOString(),
        }),
      );
      closeSync(descriptor);
      return ownedLock(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
    }
    const owner = readOwner(path);
    if (owner !== null && owner.host === hostname() && processAlive(owner.pid)) {
      throw new StoreLockedError(root, owner.pid);
    }
    if (owner !== null && owner.host !== hostname()) {
      // Another machine on a shared volume: its pid means nothing here, so never steal the lock.
      throw new StoreLockedError(root, owner.pid);
    }
    try {
      unlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw error;
      }
    }
  }
  const owner = readOwner(path);
  throw new StoreLockedError(root, owner?.pid ?? -1);
}

function ownedLock(path: string): DataDirLock {
  let released = false;
  const release = () => {
    if (released) {
      return;
    }
    released = true;
    process.removeListener('exit', release);
    const owner = readOwner(path);
    if (owner?.pid === process.pid) {
      try {
        unlinkSync(path);
      } catch {
        // Already gone: nothing to release.
      }
    }
  };
  // A crash or process.exit() without close() must not leave a lock behind for a live pid reuse.
  process.once('exit', release);
  return { path, release };
}

function readOwner(path: string): { pid: number; host: string } | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown; host?: unknown };
    if (typeof parsed.pid === 'number') {
      return { pid: parsed.pid, host: typeof parsed.host === 'string' ? parsed.host : hostname() };
    }
  } catch {
    // Unreadable or half-written: treat as stale.
  }
  return null;
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) {
    return true;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
