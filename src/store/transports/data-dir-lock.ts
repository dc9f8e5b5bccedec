import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { StoreLockedError } from '../store-errors.ts';

/**
 * One process owns a PGlite data directory: two writers would corrupt it. The owner writes its pid
 * to `<dir>/store.lock` (created exclusively, readable by its user only); a lock whose pid is gone
 * is stale and taken over. A gateway that owns the directory adds where it listens (`url`) and, when
 * it made one, its local admin token (`admin_token`), so a CLI that finds the directory locked can go
 * through that gateway instead (recordGatewayInDataDir / readRecordedGateway).
 */
export interface DataDirLock {
  readonly path: string;
  release(): void;
}

export function acquireDataDirLock(directory: string): DataDirLock {
  const root = resolve(directory);
  mkdirSync(root, { recursive: true });
  const path = lockPath(root);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const descriptor = openSync(path, 'wx', 0o600);
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

/** What a running gateway recorded in the lock of the data directory it owns. */
export interface RecordedGateway {
  readonly pid: number;
  /** Where a client on this machine reaches it, e.g. `http://127.0.0.1:8787`. */
  readonly url: string;
  /** The per-start admin token it accepts, when it made one (no REKINDLE_ADMIN_TOKEN, loopback). */
  readonly adminToken: string | undefined;
}

/** True when this process holds the lock of `directory`. */
export function ownsDataDirLock(directory: string): boolean {
  const owner = readOwner(lockPath(resolve(directory)));
  return owner !== null && owner.pid === process.pid && owner.host === hostname();
}

/**
 * Adds the gateway's URL (and local admin token) to the lock this process holds; false when it
 * holds none there or cannot write it. Written to a temp file and renamed over the lock, so a
 * reader never sees half of it.
 */
export function recordGatewayInDataDir(
  directory: string,
  gateway: { url: string; adminToken?: string | undefined },
): boolean {
  const path = lockPath(resolve(directory));
  if (!ownsDataDirLock(directory)) {
    return false;
  }
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    const current = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    const next = { ...current, url: gateway.url, admin_token: gateway.adminToken ?? null };
    writeFileSync(temporary, JSON.stringify(next), { mode: 0o600 });
    renameSync(temporary, path);
    return true;
  } catch {
    rmSync(temporary, { force: true });
    return false;
  }
}

/**
 * The gateway that owns `directory`, if one recorded itself there and its process is alive on this
 * host; null for no lock, a lock without a URL (a CLI, a migration), another host or a dead pid.
 */
export function readRecordedGateway(directory: string): RecordedGateway | null {
  let parsed: { pid?: unknown; host?: unknown; url?: unknown; admin_token?: unknown };
  try {
    parsed = JSON.parse(readFileSync(lockPath(resolve(directory)), 'utf8')) as typeof parsed;
  } catch {
    return null;
  }
  const { pid, host, url, admin_token: adminToken } = parsed;
  if (typeof pid !== 'number' || typeof url !== 'string' || !/^https?:\/\//.test(url)) {
    return null;
  }
  if (host !== hostname() || !processAlive(pid)) {
    return null;
  }
  return { pid, url, adminToken: typeof adminToken === 'string' ? adminToken : undefined };
}

function lockPath(root: string): string {
  return join(root, 'store.lock');
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
