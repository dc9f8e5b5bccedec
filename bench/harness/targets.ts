import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { responsesRequestBody } from './canned-responses.ts';
import type { Endpoint } from './load.ts';
import { ensurePortkey, type PortkeyInstall, portkeyCommand } from './portkey.ts';
import {
  childrenOf,
  cpuMicrosecondsOf,
  freePort,
  httpOk,
  memoryOf,
  type Service,
  spawnService,
} from './processes.ts';
import { type BenchStore, type PreparedGateway, prepareGateway } from './rekindle-target.ts';
import type { Upstream } from './upstream.ts';

export type TargetId =
  | 'upstream'
  | 'bare'
  | 'rekindle'
  | 'rekindle-responses'
  | 'rekindle-pg'
  | 'rekindle-cluster'
  | 'portkey';

export interface Target {
  readonly id: TargetId;
  readonly label: string;
  readonly endpoint: Endpoint;
  /** The process serving it (nginx: its worker; null for an in-process stand-in). */
  readonly pid: number | null;
  /** Every process doing its work (a cluster: the primary and its workers). */
  processIds(): number[];
  /** Resident memory right after start-up, MB. */
  readonly idleRssMb: number | null;
  memory(): { peakMb: number; currentMb: number } | null;
  stop(): Promise<void>;
}

const chatPath = '/v1/chat/completions';
/** Every target gets the same header, so all parse the same bytes; only Rekindle reads it. */
const leadHeader = 'x-rekindle-lead-id';

export interface TargetContext {
  readonly repoDir: string;
  readonly workDir: string;
  readonly logDir: string;
  readonly upstream: Upstream;
  /** Extra node flags for the Rekindle process (e.g. --cpu-prof). */
  readonly gatewayNodeArgs: readonly string[];
  /** The compiled entry (`tsc -p tsconfig.build.json`), or null to run src/main.ts through tsx. */
  readonly gatewayCompiledEntry: string | null;
  readonly log: (line: string) => void;
}

/** PATH and HOME only: no vendor keys, DATABASE_URL or REDIS_URL leak into a target. */
function cleanEnvironment(extra: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    ...extra,
  };
}

/** CPU time the target's processes have used so far (µs); null when it cannot be read. */
export function cpuOf(target: Target): number | null {
  let total = 0;
  const pids = target.processIds();
  for (const pid of pids) {
    const used = cpuMicrosecondsOf(pid);
    if (used === null) {
      return null;
    }
    total += used;
  }
  return pids.length === 0 ? null : total;
}

export function upstreamTarget(upstream: Upstream): Target {
  return {
    id: 'upstream',
    label: `(a) upstream direct (${upstream.kind})`,
    endpoint: { origin: upstream.origin, path: chatPath, headers: {}, leadHeader },
    pid: upstream.workerPid(),
    processIds: () => {
      const pid = upstream.workerPid();
      return pid === null ? [] : [pid];
    },
    idleRssMb: upstream.memory()?.currentMb ?? null,
    memory: () => upstream.memory(),
    stop: async () => {},
  };
}

function serviceTarget(id: TargetId, label: string, service: Service, endpoint: Endpoint): Target {
  return {
    id,
    label,
    endpoint,
    pid: service.pid,
    processIds: () => [service.pid],
    idleRssMb: memoryOf(service.pid)?.currentMb ?? null,
    memory: () => memoryOf(service.pid),
    stop: () => service.stop(),
  };
}

export async function startBareProxy(context: TargetContext): Promise<Target> {
  const port = await freePort();
  const service = await spawnService({
    name: 'bare-proxy',
    command: process.execPath,
    args: ['--import', 'tsx', join(context.repoDir, 'bench', 'bare-proxy.ts')],
    cwd: context.repoDir,
    env: cleanEnvironment({ BARE_UPSTREAM: context.upstream.origin, BARE_PORT: String(port) }),
    logDir: context.logDir,
    ready: () => httpOk(`http://127.0.0.1:${port}/`),
  });
  return serviceTarget('bare', '(b) bare Hono + undici proxy', service, {
    origin: `http://127.0.0.1:${port}`,
    path: chatPath,
    headers: {},
    leadHeader,
  });
}

export interface RekindleTarget extends Target {
  readonly prepared: PreparedGateway;
  metricsText(): Promise<string>;
}

/** Rekindle Gateway as its own process over PGlite (target c) or PostgreSQL (c2). */
export async function startRekindle(
  context: TargetContext,
  store: BenchStore,
): Promise<RekindleTarget> {
  const onPostgres = store.kind === 'postgres';
  context.log(
    `preparing the Rekindle store (${store.kind}): API key, registry baseline + 10 % variant`,
  );
  const prepared = await prepareGateway({
    workDir: context.workDir,
    upstreamOrigin: context.upstream.origin,
    store,
  });
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const entry = context.gatewayCompiledEntry
    ? [context.gatewayCompiledEntry]
    : ['--import', 'tsx', join(context.repoDir, 'src', 'main.ts')];
  const service = await spawnService({
    name: onPostgres ? 'rekindle-gateway-postgres' : 'rekindle-gateway',
    command: process.execPath,
    args: [...context.gatewayNodeArgs, ...entry],
    cwd: context.repoDir,
    env: cleanEnvironment({
      HOST: '127.0.0.1',
      PORT: String(port),
      REKINDLE_CONFIG: prepared.configPath,
      LOG_LEVEL: 'warn',
      ...prepared.storeEnvironment,
    }),
    logDir: context.logDir,
    ready: async () => (await fetch(`${origin}/readyz`)).status === 200,
    readyTimeoutMs: 120_000,
  });
  const target = serviceTarget(
    onPostgres ? 'rekindle-pg' : 'rekindle',
    onPostgres ? '(c2) Rekindle Gateway, store on PostgreSQL' : '(c) Rekindle Gateway (PGlite)',
    service,
    {
      origin,
      path: chatPath,
      headers: { authorization: `Bearer ${prepared.apiKey}` },
      leadHeader,
    },
  );
  return {
    ...target,
    prepared,
    async metricsText() {
      const response = await fetch(`${origin}/metrics`);
      return response.text();
    },
  };
}

/**
 * The same Rekindle process asked the same outreach call through `POST /v1/responses` (store
 * off, as a stateless client would): the Responses row next to chat's, so the translation's cost
 * is the difference between the two.
 */
export function rekindleResponsesTarget(gateway: RekindleTarget): Target {
  return {
    ...gateway,
    id: 'rekindle-responses',
    label: '(c-r) Rekindle Gateway (PGlite), POST /v1/responses',
    endpoint: {
      ...gateway.endpoint,
      path: '/v1/responses',
      body: responsesRequestBody(false),
      streamBody: responsesRequestBody(true),
    },
    // The chat row owns the process: it is stopped once, there.
    stop: async () => {},
  };
}

/**
 * Rekindle as `workers` node:cluster processes on one port over PostgreSQL (c3; experiment, see
 * bench/cluster-gateway.ts). CPU and memory are summed over the primary and its workers.
 */
export async function startRekindleCluster(
  context: TargetContext,
  url: string,
  workers: number,
): Promise<RekindleTarget> {
  context.log(`preparing the Rekindle store for ${workers} cluster workers (postgres)`);
  const prepared = await prepareGateway({
    workDir: context.workDir,
    upstreamOrigin: context.upstream.origin,
    store: { kind: 'postgres', url },
  });
  const port = await freePort();
  const metricsPort = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const mainModule = context.gatewayCompiledEntry ?? join(context.repoDir, 'src', 'main.ts');
  const service = await spawnService({
    name: 'rekindle-cluster',
    command: process.execPath,
    args: [
      ...context.gatewayNodeArgs,
      '--import',
      'tsx',
      join(context.repoDir, 'bench', 'cluster-gateway.ts'),
    ],
    cwd: context.repoDir,
    env: cleanEnvironment({
      HOST: '127.0.0.1',
      PORT: String(port),
      REKINDLE_CONFIG: prepared.configPath,
      LOG_LEVEL: 'warn',
      CLUSTER_WORKERS: String(workers),
      CLUSTER_METRICS_PORT: String(metricsPort),
      REKINDLE_MAIN_MODULE: mainModule,
      ...prepared.storeEnvironment,
    }),
    logDir: context.logDir,
    // Every worker must be up: ready answers in a row, and as many processes as asked for.
    ready: async (pid) =>
      childrenOf(pid).length >= workers &&
      (await fetch(`${origin}/readyz`)).status === 200 &&
      (await fetch(`${origin}/readyz`)).status === 200,
    readyTimeoutMs: 120_000,
  });
  const pids = () => [service.pid, ...childrenOf(service.pid)];
  return {
    id: 'rekindle-cluster',
    label: `(c3) Rekindle ×${workers} workers (node:cluster), PostgreSQL`,
    endpoint: {
      origin,
      path: chatPath,
      headers: { authorization: `Bearer ${prepared.apiKey}` },
      leadHeader,
    },
    pid: service.pid,
    processIds: pids,
    idleRssMb: sumMemory(pids())?.currentMb ?? null,
    memory: () => sumMemory(pids()),
    stop: () => service.stop(),
    prepared,
    async metricsText() {
      const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      return response.text();
    },
  };
}

/** Summed over processes (for peaks: the sum of each one's peak). */
function sumMemory(pids: number[]): { peakMb: number; currentMb: number } | null {
  let peakMb = 0;
  let currentMb = 0;
  for (const pid of pids) {
    const memory = memoryOf(pid);
    if (!memory) {
      return null;
    }
    peakMb += memory.peakMb;
    currentMb += memory.currentMb;
  }
  return { peakMb, currentMb };
}

export function portkeyInstalled(workDir: string): boolean {
  return existsSync(
    join(workDir, 'portkey', 'node_modules', '@portkey-ai', 'gateway', 'build', 'start-server.js'),
  );
}

export async function startPortkey(
  context: TargetContext,
): Promise<{ target: Target; install: PortkeyInstall }> {
  const install = await ensurePortkey(context.workDir, context.log);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const service = await spawnService({
    name: 'portkey',
    command: process.execPath,
    args: portkeyCommand(install, port),
    cwd: install.directory,
    env: cleanEnvironment({ NODE_ENV: 'production' }),
    logDir: context.logDir,
    ready: () => httpOk(`${origin}/`),
  });
  const upstream = context.upstream.origin;
  const target = serviceTarget('portkey', `(d) Portkey gateway ${install.version}`, service, {
    origin,
    path: chatPath,
    headers: {
      authorization: 'Bearer sk-bench',
      'x-portkey-provider': 'openai',
      'x-portkey-custom-host': `${upstream}/v1`,
    },
    // Portkey sends no `Accept: text/event-stream` upstream; the canned stream has its own path.
    streamHeaders: { 'x-portkey-custom-host': `${upstream}/stream/v1` },
    leadHeader,
  });
  return { target, install };
}

/** Listening sockets of a pid, from /proc/net/tcp: proves a target bound 127.0.0.1 only. */
export function listeningAddresses(pid: number): string[] {
  try {
    const inodes = new Set<string>();
    const fdDir = `/proc/${pid}/fd`;
    for (const fd of readdirSync(fdDir)) {
      const link = readlinkSync(join(fdDir, fd));
      const match = /^socket:\[(\d+)\]$/.exec(link);
      if (match?.[1]) {
        inodes.add(match[1]);
      }
    }
    const out: string[] = [];
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
        const fields = line.trim().split(/\s+/);
        if (fields[3] === '0A' && fields[9] && inodes.has(fields[9]) && fields[1]) {
          out.push(decodeAddress(fields[1]));
        }
      }
    }
    return out;
  } catch {
    return [];
  }
}

/** `0100007F:1F90` → `127.0.0.1:8080`; IPv6 addresses are shown as `[hex]:port`. */
function decodeAddress(hex: string): string {
  const [address = '', port = '0'] = hex.split(':');
  const portNumber = Number.parseInt(port, 16);
  if (address.length === 8) {
    const bytes = address.match(/../g)?.map((byte) => Number.parseInt(byte, 16)) ?? [];
    return `${bytes.reverse().join('.')}:${portNumber}`;
  }
  return `[${address}]:${portNumber}`;
}
