/**
 * The demo as its own process, the way a user runs it, and readers of what it prints. Used by
 * demo.test.ts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';

const repositoryRoot = join(import.meta.dirname, '../../..');

export interface DemoProcess {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
  reportPath: string;
}

const children = new Set<ChildProcess>();

/** Kills every demo still running (its whole process group: npm, the shell, node). */
export function killDemoProcesses(): void {
  for (const child of children) {
    try {
      process.kill(-(child.pid ?? 0), 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** Runs `command args… --report reportPath` in the repository and collects what it prints. */
export function runDemoProcess(
  command: readonly string[],
  reportPath: string,
  extraEnv: Readonly<Record<string, string>> = {},
): Promise<DemoProcess> {
  const started = Date.now();
  // Nothing of the caller's environment but what node and npm need: the demo must need no keys.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    // npm may otherwise print a new-version notice on stderr.
    npm_config_update_notifier: 'false',
    ...extraEnv,
  };
  for (const name of ['HOME', 'TMPDIR', 'LANG']) {
    const value = process.env[name];
    if (value) {
      env[name] = value;
    }
  }
  const [executable = process.execPath, ...args] = command;
  const child = spawn(executable, [...args, '--report', reportPath], {
    cwd: repositoryRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode) => {
      children.delete(child);
      resolve({ exitCode, stdout, stderr, elapsedMs: Date.now() - started, reportPath });
    });
  });
}

/** `--json` prints exactly one JSON object, on one line. */
export function onlyJson(stdout: string): Record<string, unknown> {
  const lines = stdout.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0] ?? '') as Record<string, unknown>;
}

/** The rows of a text table that follows `title` in the demo's human output. */
export function tableAfter(text: string, title: string): string[][] {
  const lines = text.split('\n');
  const start = lines.indexOf(title);
  expect(start).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 3)) {
    if (line.trim() === '') {
      break;
    }
    rows.push(line.trim().split(/\s{2,}/));
  }
  return rows;
}
