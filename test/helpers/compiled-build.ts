/**
 * The compiled gateway, `npm run build` → dist/, built at most once per state of the sources: a
 * hash of src/, the tsconfigs and package.json is kept in dist/.source-hash, so the test files
 * that run the compiled form share one build per test run (and reuse it across runs while the
 * sources do not change). A lock directory keeps two vitest workers from building at once.
 *
 * const dist = await compiledBuild();   // absolute path of dist/, with main.js and cli/main.js
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export const repositoryRoot = join(import.meta.dirname, '../..');
const distDir = join(repositoryRoot, 'dist');
const hashFile = join(distDir, '.source-hash');
const staleLockMs = 10 * 60_000;

export async function compiledBuild(): Promise<string> {
  const hash = sourceHash();
  if (currentHash() === hash) {
    return distDir;
  }
  const lock = join(
    tmpdir(),
    `rekindle-build-${createHash('sha256').update(repositoryRoot).digest('hex').slice(0, 12)}.lock`,
  );
  await acquire(lock);
  try {
    // Another worker may have built it while this one waited.
    if (currentHash() !== hash) {
      rmSync(distDir, { recursive: true, force: true });
      await npmRunBuild();
      writeFileSync(hashFile, hash);
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return distDir;
}

function currentHash(): string | null {
  return existsSync(hashFile) ? readFileSync(hashFile, 'utf8') : null;
}

function sourceHash(): string {
  const hash = createHash('sha256');
  const files = [
    ...listFiles(join(repositoryRoot, 'src')),
    ...['tsconfig.json', 'tsconfig.build.json', 'package.json'].map((name) =>
      join(repositoryRoot, name),
    ),
  ];
  for (const file of files) {
    hash.update(relative(repositoryRoot, file)).update('\0').update(readFileSync(file));
  }
  return hash.digest('hex');
}

function listFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(directory, entry.name);
      return entry.isDirectory() ? listFiles(path) : [path];
    });
}

async function acquire(lock: string): Promise<void> {
  const deadline = Date.now() + staleLockMs;
  for (;;) {
    try {
      mkdirSync(lock);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
    }
    const age = Date.now() - (statSafe(lock) ?? Date.now());
    if (age > staleLockMs || Date.now() > deadline) {
      // Left by a killed run.
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function statSafe(path: string): number | null {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

function npmRunBuild(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'build'], {
      cwd: repositoryRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const append = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-8_000);
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`npm run build exited ${code}:\n${output}`)),
    );
  });
}
