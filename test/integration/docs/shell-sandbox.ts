import { type ChildProcess, spawn } from 'node:child_process';
import { gatewayEnvironment } from '../../helpers/gateway-process.ts';

/**
 * Runs documented shell commands the way a reader would paste them into bash: in the repository
 * root, with an environment built from scratch (none of the developer's gateway variables leak in,
 * see gatewayEnvironment), placeholders of the docs (`127.0.0.1:8787`, `YOUR-PROJECT-REF`…)
 * replaced by the sandbox's own values.
 */
/** Every server group still running when the test worker exits is killed: no orphans. */
const runningGroups = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of runningGroups) {
    killGroup(child, 'SIGKILL');
  }
});

export interface ShellResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ShellOptions {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

/** Every `from` replaced by its `to`, in order. */
export function substitute(text: string, replacements: ReadonlyArray<readonly [string, string]>) {
  return replacements.reduce((result, [from, to]) => result.split(from).join(to), text);
}

/**
 * The lines that set variables before a command (`export X=…`, `x=$(…)`) run first with `set -e`,
 * so a broken setup line fails loudly; the command itself decides the exit code.
 */
export function shellScript(setup: readonly string[], command: string): string {
  return ['set -e', ...setup, 'set +e', command, 'exit $?'].join('\n');
}

export function runShell(script: string, options: ShellOptions): Promise<ShellResult> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', script], {
      cwd: options.cwd,
      env: gatewayEnvironment(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${options.timeoutMs ?? 120_000} ms]`;
      killGroup(child, 'SIGKILL');
    }, options.timeoutMs ?? 120_000);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ exitCode: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

export interface ShellServer {
  /** Everything the process group printed so far. */
  output(): string;
  /** SIGTERM to the process group, then SIGKILL after `graceMs`; resolves once all are gone. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * A long-running documented command (`npm start`, `prometheus …`) in its own process group: started,
 * then `ready` is polled (GET, 2xx) until it answers or the process dies.
 */
export async function startShellServer(
  script: string,
  options: ShellOptions & { readonly readyUrl: string },
): Promise<ShellServer> {
  const child = spawn('bash', ['-c', script], {
    cwd: options.cwd,
    env: gatewayEnvironment(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-128 * 1024);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  let exited = false;
  runningGroups.add(child);
  child.once('exit', () => {
    exited = true;
  });
  const server: ShellServer = {
    output: () => output,
    async stop(graceMs = 15_000) {
      killGroup(child, 'SIGTERM');
      const deadline = Date.now() + graceMs;
      while (groupAlive(child) && Date.now() < deadline) {
        await sleep(100);
      }
      killGroup(child, 'SIGKILL');
      while (groupAlive(child)) {
        await sleep(50);
      }
      runningGroups.delete(child);
    },
  };
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  while (Date.now() < deadline) {
    if (exited) {
      await server.stop();
      throw new Error(`exited before it was ready:\n${output.slice(-4000)}`);
    }
    try {
      const response = await fetch(options.readyUrl, { signal: AbortSignal.timeout(1000) });
      await response.body?.cancel();
      if (response.ok) {
        return server;
      }
    } catch {
      // Not listening yet.
    }
    await sleep(150);
  }
  await server.stop();
  throw new Error(`not ready at ${options.readyUrl} in time:\n${output.slice(-4000)}`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) {
    return;
  }
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone.
  }
}

function groupAlive(child: ChildProcess): boolean {
  if (child.pid === undefined) {
    return false;
  }
  try {
    process.kill(-child.pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
