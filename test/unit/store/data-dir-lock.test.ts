import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreLockedError } from '../../../src/store/store-errors.ts';
import { acquireDataDirLock } from '../../../src/store/transports/data-dir-lock.ts';

const directories: string[] = [];
function freshDir(): string {
  const directory = mkdtempSync(join(tmpdir(), 'rekindle-lock-'));
  directories.push(directory);
  return directory;
}

afterEach(() => {
  for (const directory of directories.splice(0)) {
    rmSync(directory, { recursive: true, force: true });
  }
});

function writeLock(directory: string, pid: number, host = hostname()) {
  writeFileSync(join(directory, 'store.lock'), JSON.stringify({ pid, host }));
}

describe('PGlite data directory lock', () => {
  it('is taken by the first owner and released on release()', () => {
    const directory = freshDir();
    const lock = acquireDataDirLock(directory);
    expect(JSON.parse(readFileSync(lock.path, 'utf8')).pid).toBe(process.pid);
    expect(() => acquireDataDirLock(directory)).toThrow(StoreLockedError);
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
    acquireDataDirLock(directory).release();
  });

  it('refuses while another live process owns it, naming the gateway and REKINDLE_GATEWAY_URL', () => {
    const directory = freshDir();
    writeLock(directory, process.ppid);
    let thrown: unknown;
    try {
      acquireDataDirLock(directory);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StoreLockedError);
    const message = (thrown as Error).message;
    expect(message).toContain(`pid ${process.ppid}`);
    expect(message).toMatch(/stop that gateway/i);
    expect(message).toContain('REKINDLE_GATEWAY_URL');
  });

  it('takes over a lock left by a process that is gone', async () => {
    const directory = freshDir();
    const child = spawn(process.execPath, ['-e', '0']);
    const pid = child.pid ?? 0;
    await new Promise((resolve) => child.once('exit', resolve));
    writeLock(directory, pid);
    const lock = acquireDataDirLock(directory);
    expect(JSON.parse(readFileSync(lock.path, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('never steals a lock written on another host', () => {
    const directory = freshDir();
    writeLock(directory, 999_999_999, 'some-other-host');
    expect(() => acquireDataDirLock(directory)).toThrow(StoreLockedError);
  });
});
