import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A server the harness started, with its log file; stopped by its own pid only. */
export interface Service {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  readonly logPath: string;
  stop(): Promise<void>;
}

export interface SpawnServiceOptions {
  name: string;
  command: string;
  args: readonly string[];
  cwd: string;
  env?: Record<string, string | undefined>;
  logDir: string;
  /** Resolves true when the service (this pid) answers; given up after `readyTimeoutMs`. */
  ready: (pid: number) => Promise<boolean>;
  readyTimeoutMs?: number;
}

export async function spawnService(options: SpawnServiceOptions): Promise<Service> {
  const logPath = join(options.logDir, `${options.name}.log`);
  const log = createWriteStream(logPath, { flags: 'a' });
  const child = spawn(options.command, [...options.args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  let exited: number | string | null = null;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = code ?? signal ?? 'unknown';
      resolve();
    });
  });
  const service: Service = {
    name: options.name,
    pid: child.pid ?? -1,
    child,
    logPath,
    async stop() {
      if (exited !== null) {
        return;
      }
      child.kill('SIGTERM');
      const killed = await Promise.race([exit.then(() => true), sleep(5_000).then(() => false)]);
      if (!killed) {
        child.kill('SIGKILL');
        await exit;
      }
      log.end();
    },
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (exited !== null) {
      throw new Error(`${options.name} exited (${exited}) before it was ready; see ${logPath}`);
    }
    if (await options.ready(service.pid).catch(() => false)) {
      return service;
    }
    await sleep(100);
  }
  await service.stop();
  throw new Error(`${options.name} was not ready in time; see ${logPath}`);
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** A free loopback port (asked of the kernel, then released for the service to take). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Peak (VmHWM) and current (VmRSS) resident set of a process, in MB; null off Linux. */
export function memoryOf(pid: number): { peakMb: number; currentMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => {
      const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
      return match?.[1] ? Number(match[1]) / 1024 : 0;
    };
    return { peakMb: field('VmHWM'), currentMb: field('VmRSS') };
  } catch {
    return null;
  }
}

/** CPU time (user + system) a process has used so far, in microseconds; null off Linux. */
export function cpuMicrosecondsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1_000_000) / clockTicksPerSecond;
  } catch {
    return null;
  }
}

/** USER_HZ; 100 on every Linux this runs on (`getconf CLK_TCK`). */
const clockTicksPerSecond = 100;

/** Child pids of a process (nginx: the master's workers). */
export function childrenOf(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return text.length === 0 ? [] : text.split(/\s+/).map(Number);
  } catch {
    return [];
  }
}

/** Runs a command to its end, collecting stdout; rejects on a non-zero exit. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => {
      stdout += data.toString();
    });
    child.stderr.on('data', (data: Buffer) => {
      stderr += data.toString();
    });
    const timer = options.timeoutMs
      ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs)
      : undefined;
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) {
        resolve(stdout);
      } else {
        reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`));
      }
    });
  });
}

export async function httpOk(url: string, init?: RequestInit): Promise<boolean> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(2_000) });
  await response.arrayBuffer();
  return response.status < 500;
}
