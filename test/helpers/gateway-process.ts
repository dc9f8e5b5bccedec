/**
 * The gateway as a real child process (`node --import tsx src/main.ts`), the way an operator runs
 * it: its own environment, its own PGlite data directory or a DATABASE_URL, a real port. For tests
 * that need what an in-process gateway cannot give: SIGKILL and restart, signal handling, the
 * environment → config path, a process that owns its store.
 *
 * const gateway = await startGatewayProcess({ databaseUrl, env: { CRM_WEBHOOK_SECRET: secret } });
 * afterAll(() => gateway?.stop());
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { envSchema } from '../../src/config/env.ts';
import { freePort } from './postgres-server.ts';

const repositoryRoot = join(import.meta.dirname, '../..');
const mainEntry = join(repositoryRoot, 'src/main.ts');
const cliEntry = join(repositoryRoot, 'bin/rekindle.mjs');
const outputLimit = 256 * 1024;

export interface GatewayProcessOptions {
  /** Environment variables for the gateway (secrets, provider keys, LOG_LEVEL…). */
  env?: Readonly<Record<string, string>>;
  /** PostgreSQL connection string; without it the gateway runs on PGlite in `dataDir`. */
  databaseUrl?: string;
  /** PGlite data directory; default a fresh temp directory that stop() removes. */
  dataDir?: string;
  /** The content of the config file (always a temp file, so a rekindle.config.json in cwd is never read). */
  config?: Readonly<Record<string, unknown>>;
  /** Default: a free port, kept across restarts. */
  port?: number;
  /**
   * The module node runs: default src/main.ts through tsx; a compiled dist/main.js
   * (test/helpers/compiled-build.ts) runs as `npm run start:prod` does, without tsx.
   */
  entry?: string;
  /** How long to wait for /readyz (default 60 s: PGlite migrates a fresh directory on start). */
  readyTimeoutMs?: number;
  /**
   * API keys to create with `rekindle keys create` before the first start (straight into the
   * store, before the gateway owns it). Returned in `apiKeys`, in this order.
   */
  apiKeys?: ReadonlyArray<{ organizationId: string; rpm?: number }>;
  /**
   * On PostgreSQL, run `rekindle migrate` before the first start (default true; the gateway only
   * migrates PGlite by itself). Creating keys migrates too.
   */
  migrate?: boolean;
}

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface GatewayProcess {
  /** `http://127.0.0.1:PORT`; the same after restart(). */
  readonly url: string;
  readonly port: number;
  /** The current process (changes on restart()). */
  readonly pid: number;
  /** The PGlite data directory, or null on PostgreSQL. */
  readonly dataDir: string | null;
  /** The complete environment the gateway runs with: run the CLI with it to reach the same store. */
  readonly env: Readonly<Record<string, string>>;
  /** The keys created from `options.apiKeys`. */
  readonly apiKeys: readonly CreatedApiKey[];
  /** Everything the current and earlier processes wrote to stdout and stderr (last 256 KiB). */
  output(): string;
  /** Sends `signal` (default SIGTERM) and resolves once the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<ExitStatus>;
  /** Starts the gateway again (same environment, store and port) after kill(); waits for /readyz. */
  restart(): Promise<void>;
  /** SIGTERM, SIGKILL after `graceMs` (default 10 s), then removes temp directories. Idempotent. */
  stop(graceMs?: number): Promise<ExitStatus | null>;
}

/** Every child still running when the test worker exits is killed: no orphan gateways. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) {
    child.kill('SIGKILL');
  }
});

/**
 * The inherited environment without any variable the gateway reads (a DATABASE_URL or
 * OPENAI_API_KEY of the developer's shell must not leak into a test), plus the given ones.
 */
export function gatewayEnvironment(
  variables: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const gatewayVariables = new Set(Object.keys(envSchema.shape));
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !gatewayVariables.has(name)) {
      environment[name] = value;
    }
  }
  for (const [name, value] of Object.entries(variables)) {
    if (value !== undefined) {
      environment[name] = value;
    }
  }
  return environment;
}

export async function startGatewayProcess(
  options: GatewayProcessOptions = {},
): Promise<GatewayProcess> {
  const temporary = mkdtempSync(join(tmpdir(), 'rekindle-gateway-'));
  const configPath = join(temporary, 'rekindle.config.json');
  writeFileSync(configPath, JSON.stringify(options.config ?? {}));
  const dataDir = options.databaseUrl ? null : (options.dataDir ?? join(temporary, 'data'));
  const baseEnv: Record<string, string> = {
    HOST: '127.0.0.1',
    REKINDLE_CONFIG: configPath,
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    // On PostgreSQL the data directory still holds the tracking journal: one per gateway, kept
    // across restart(), never the repository's ./.rekindle shared by every test.
    REKINDLE_DATA_DIR: dataDir ?? join(temporary, 'data'),
    ...options.env,
  };
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  let output = '';
  // REKINDLE_TEST_LOGS=1 shows the gateway's own log lines while a test runs.
  const echo = Boolean(process.env.REKINDLE_TEST_LOGS);
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-outputLimit);
    if (echo) {
      process.stderr.write(chunk);
    }
  };
  let child: ChildProcess | null = null;
  let exited: Promise<ExitStatus> = Promise.resolve({ code: null, signal: null });
  let port = options.port ?? 0;
  let stopped = false;

  const launch = async () => {
    const environment = gatewayEnvironment({ ...baseEnv, PORT: String(port) });
    const entry = options.entry ?? mainEntry;
    const nodeArguments = entry.endsWith('.ts') ? ['--import', 'tsx', entry] : [entry];
    const spawned = spawn(process.execPath, nodeArguments, {
      cwd: repositoryRoot,
      env: environment,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = spawned;
    running.add(spawned);
    spawned.stdout?.on('data', append);
    spawned.stderr?.on('data', append);
    exited = new Promise<ExitStatus>((resolve) => {
      spawned.once('exit', (code, signal) => {
        running.delete(spawned);
        resolve({ code, signal });
      });
    });
    await waitUntilReady(`http://127.0.0.1:${port}`, exited, readyTimeoutMs, () => output);
  };

  const launchOnFreePort = async () => {
    // A free port can be taken between choosing it and binding it; then choose again.
    for (let attempt = 1; ; attempt += 1) {
      port = options.port ?? (await freePort());
      try {
        await launch();
        return;
      } catch (error) {
        const addressInUse = /EADDRINUSE/.test(output.slice(-4096));
        if (options.port !== undefined || !addressInUse || attempt >= 3) {
          throw error;
        }
      }
    }
  };

  const cleanUp = () => rmSync(temporary, { recursive: true, force: true });
  const apiKeys: CreatedApiKey[] = [];
  try {
    for (const wanted of options.apiKeys ?? []) {
      apiKeys.push(await createApiKeyWithCli(baseEnv, wanted.organizationId, wanted.rpm));
    }
    if (options.databaseUrl && apiKeys.length === 0 && options.migrate !== false) {
      const migrated = await runRekindleCli(['migrate', '--json'], baseEnv);
      if (migrated.exitCode !== 0) {
        throw new Error(`rekindle migrate failed (${migrated.exitCode}): ${migrated.stderr}`);
      }
    }
    await launchOnFreePort();
  } catch (error) {
    (child as ChildProcess | null)?.kill('SIGKILL');
    await exited;
    cleanUp();
    throw error;
  }

  const signal = async (name: NodeJS.Signals): Promise<ExitStatus> => {
    const current = child;
    if (current && current.exitCode === null && current.signalCode === null) {
      current.kill(name);
    }
    return exited;
  };

  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    get pid() {
      return child?.pid ?? -1;
    },
    dataDir,
    env: gatewayEnvironment({ ...baseEnv, PORT: String(port) }),
    apiKeys,
    output: () => output,
    kill: (name = 'SIGTERM') => signal(name),
    async restart() {
      if (stopped) {
        throw new Error('the gateway process was stopped; start a new one');
      }
      await signal('SIGKILL');
      await launch();
    },
    async stop(graceMs = 10_000) {
      if (stopped) {
        return null;
      }
      stopped = true;
      const timer = setTimeout(() => child?.kill('SIGKILL'), graceMs);
      try {
        return await signal('SIGTERM');
      } finally {
        clearTimeout(timer);
        cleanUp();
      }
    },
  };
}

async function waitUntilReady(
  url: string,
  exited: Promise<ExitStatus>,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  let exit: ExitStatus | null = null;
  void exited.then((status) => {
    exit = status;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exit) {
      throw new Error(
        `the gateway exited before it was ready (${JSON.stringify(exit)}):\n${output().slice(-4000)}`,
      );
    }
    try {
      const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) });
      if (response.status === 200) {
        return;
      }
      await response.body?.cancel();
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the gateway was not ready within ${timeoutMs} ms:\n${output().slice(-4000)}`);
}

export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `rekindle ARGS` as its own process with the given environment (e.g. a gateway's `env`). */
export async function runRekindleCli(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cliEntry, ...args], {
      cwd: repositoryRoot,
      env: gatewayEnvironment(env),
      timeout: 120_000,
    });
    return { exitCode: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    return {
      exitCode: typeof failed.code === 'number' ? failed.code : 1,
      stdout: failed.stdout ?? '',
      stderr: failed.stderr ?? String(error),
    };
  }
}

export interface CreatedApiKey {
  readonly key: string;
  readonly id: string;
  readonly organization_id: string;
  readonly rpm_limit: number;
}

/**
 * `rekindle keys create --org ORG --rpm N --json` against a store. On PGlite, while a gateway owns
 * the directory, the CLI goes through that gateway's admin API instead.
 */
export async function createApiKeyWithCli(
  env: Readonly<Record<string, string>>,
  organizationId: string,
  rpm = 100_000,
): Promise<CreatedApiKey> {
  const result = await runRekindleCli(
    ['keys', 'create', '--org', organizationId, '--rpm', String(rpm), '--json'],
    env,
  );
  if (result.exitCode !== 0) {
    throw new Error(`rekindle keys create failed (${result.exitCode}): ${result.stderr}`);
  }
  return JSON.parse(result.stdout) as CreatedApiKey;
}
