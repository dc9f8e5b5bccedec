import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  postgresBinariesAvailable,
  startPostgresServer,
} from '../../test/helpers/postgres-server.ts';
import type { BenchOptions } from './bench-options.ts';
import { chatRequestBody } from './canned-responses.ts';
import {
  type Endpoint,
  type LatencySamples,
  measureFixedRate,
  measureStreaming,
  measureThroughput,
  type StreamSamples,
  type ThroughputResult,
} from './load.ts';
import { type MachineInfo, machineInfo, toolVersion } from './machine.ts';
import { freePort, runCommand } from './processes.ts';
import { countTrackedRows } from './rekindle-target.ts';
import {
  cpuOf,
  listeningAddresses,
  portkeyInstalled,
  type RekindleTarget,
  rekindleResponsesTarget,
  startBareProxy,
  startPortkey,
  startRekindle,
  startRekindleCluster,
  type Target,
  type TargetContext,
  type TargetId,
  upstreamTarget,
} from './targets.ts';
import { cpuDelta, postgresCpu, postmasterOf } from './thread-cpu.ts';
import { ensureDebianTool, startUpstream, which } from './upstream.ts';

export interface ThroughputRound extends ThroughputResult {
  /** CPU time of the target's process per request served in this round (µs); null if unknown. */
  readonly cpuMicrosecondsPerRequest: number | null;
  /** CPU of the PostgreSQL server per request in this round (µs); null for other targets. */
  readonly storeCpuMicrosecondsPerRequest: number | null;
}

export interface TargetMeasurements {
  readonly id: TargetId;
  readonly label: string;
  readonly throughput: ThroughputRound[];
  readonly fixedRate: LatencySamples[];
  readonly streaming: StreamSamples[];
  idleRssMb: number | null;
  peakRssMb: number | null;
  listening: string[];
}

export interface RekindleFacts {
  readonly id: TargetId;
  /** Rows in outcome_labels after the run (every tracked request that was written). */
  readonly trackedRows: number;
  readonly messagesSent: number;
  readonly trackingDropped: number;
  /** Requests per registry variant, from rekindle_requests_total. */
  readonly variants: Record<string, number>;
}

export interface BenchRun {
  readonly options: BenchOptions;
  readonly machine: MachineInfo;
  readonly tools: Record<string, string>;
  readonly rekindleRunMode: string;
  readonly targets: TargetMeasurements[];
  readonly rekindle: RekindleFacts[];
  readonly durationSeconds: number;
}

/**
 * Starts the upstream and every target on 127.0.0.1, checks each answers correctly, warms them up,
 * then measures in rounds: each phase (throughput, fixed rate, streaming) visits every target in an
 * order rotated per round, so machine noise lands on all of them alike.
 */
export async function runBenchmark(
  options: BenchOptions,
  repoDir: string,
  log: (line: string) => void,
): Promise<BenchRun> {
  const started = performance.now();
  const workDir = options.workDir;
  const logDir = join(workDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) {
      await stop().catch(() => undefined);
    }
    stops.length = 0;
  };
  const onSignal = () => {
    void stopAll().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const wrk = options.install ? await ensureDebianTool('wrk', 'wrk') : await which('wrk');
    const autocannonRunner = join(repoDir, 'bench', 'harness', 'autocannon-runner.ts');
    const compiledEntry =
      options.rekindleRun === 'compiled' ? await buildGateway(repoDir, log) : null;
    const upstream = await startUpstream({
      workDir,
      logDir,
      port: await freePort(),
      preferNode: options.upstream === 'node',
      install: options.install,
    });
    stops.push(() => upstream.stop());
    log(`upstream: ${upstream.kind} ${upstream.version} at ${upstream.origin}`);
    const context: TargetContext = {
      repoDir,
      workDir,
      logDir,
      upstream,
      gatewayNodeArgs: options.profile
        ? ['--cpu-prof', `--cpu-prof-dir=${join(workDir, 'profiles')}`]
        : [],
      gatewayCompiledEntry: compiledEntry,
      log,
    };
    const targets: Target[] = [upstreamTarget(upstream)];
    const bare = await startBareProxy(context);
    stops.push(() => bare.stop());
    targets.push(bare);

    const gateways: RekindleTarget[] = [];
    let postmaster: number | null = null;
    const stopped = new Set<TargetId>();
    const addGateway = async (gateway: RekindleTarget) => {
      gateways.push(gateway);
      targets.push(gateway);
      stops.push(async () => {
        if (!stopped.has(gateway.id)) {
          await gateway.stop();
        }
      });
    };
    const embedded = await startRekindle(context, { kind: 'pglite' });
    await addGateway(embedded);
    targets.push(rekindleResponsesTarget(embedded));
    const withPostgres =
      options.postgres === 'on' || (options.postgres === 'auto' && postgresBinariesAvailable());
    if (withPostgres) {
      const server = await startPostgresServer();
      stops.push(() => server.stop());
      postmaster = postmasterOf(server.port);
      const url = await server.database('rekindle_bench');
      await addGateway(await startRekindle(context, { kind: 'postgres', url }));
      if (options.clusterWorkers > 0) {
        const clusterUrl = await server.database('rekindle_cluster');
        await addGateway(await startRekindleCluster(context, clusterUrl, options.clusterWorkers));
      }
    } else if (options.clusterWorkers > 0) {
      log('--cluster needs PostgreSQL (a PGlite data dir belongs to one process); not measured');
    }
    const postgresTargets = new Set<TargetId>(['rekindle-pg', 'rekindle-cluster']);
    let portkeyVersion = 'not measured';
    const withPortkey =
      options.portkey === 'on' || (options.portkey === 'auto' && portkeyInstalled(workDir));
    if (withPortkey) {
      const { target, install } = await startPortkey(context);
      stops.push(() => target.stop());
      targets.push(target);
      portkeyVersion = `${install.version} (@hono/node-server ${install.nodeServerVersion})`;
    }
    const measurements = new Map<TargetId, TargetMeasurements>();
    for (const target of targets) {
      await checkAnswers(target);
      measurements.set(target.id, {
        id: target.id,
        label: target.label,
        throughput: [],
        fixedRate: [],
        streaming: [],
        idleRssMb: target.idleRssMb,
        peakRssMb: null,
        listening: [],
      });
      log(`ready: ${target.label} at ${target.endpoint.origin}`);
    }

    const body = chatRequestBody(false);
    const streamBody = chatRequestBody(true);
    const tag = Date.now().toString(36);
    const throughput = async (target: Target, seconds: number, prefix: string) => {
      const cpuBefore = cpuOf(target);
      const storeServer = postgresTargets.has(target.id) ? postmaster : null;
      const storeBefore = storeServer === null ? null : postgresCpu(storeServer);
      const result = await measureThroughput({
        endpoint: target.endpoint,
        body: target.endpoint.body ?? body,
        connections: options.connections,
        durationSeconds: seconds,
        wrk,
        autocannonRunner,
        workDir,
        leadPrefix: `${tag}-${prefix}-${target.id}`,
      });
      const cpuAfter = cpuOf(target);
      const cpu =
        cpuBefore === null || cpuAfter === null || result.requests === 0
          ? null
          : (cpuAfter - cpuBefore) / result.requests;
      const storeCpu =
        storeServer === null || storeBefore === null || result.requests === 0
          ? null
          : cpuDelta(storeBefore, postgresCpu(storeServer)) / result.requests;
      return {
        ...result,
        cpuMicrosecondsPerRequest: cpu,
        storeCpuMicrosecondsPerRequest: storeCpu,
      };
    };

    log(`warming up (${options.warmupSeconds} s of load and a few streams per target)`);
    for (const target of targets) {
      await throughput(target, options.warmupSeconds, 'warm');
      await measureStreaming({
        endpoint: target.endpoint,
        body: target.endpoint.streamBody ?? streamBody,
        requests: Math.max(5, Math.round(options.streamRequests / 4)),
        leadPrefix: `${tag}-warm-${target.id}`,
      });
    }

    for (let round = 0; round < options.rounds; round++) {
      const order = targets.map((_, index) => targets[(index + round) % targets.length] as Target);
      log(`round ${round + 1}/${options.rounds}: ${order.map((target) => target.id).join(' → ')}`);
      for (const target of order) {
        const result = await throughput(target, options.throughputSeconds, `r${round}`);
        measurements.get(target.id)?.throughput.push(result);
        log(
          `  ${target.id} c=${options.connections}: ${result.requestsPerSecond.toFixed(0)} req/s` +
            (result.cpuMicrosecondsPerRequest === null
              ? ''
              : `, ${result.cpuMicrosecondsPerRequest.toFixed(0)} µs CPU/request`) +
            (result.storeCpuMicrosecondsPerRequest === null
              ? ''
              : ` + ${result.storeCpuMicrosecondsPerRequest.toFixed(0)} µs in PostgreSQL`),
        );
      }
      for (const target of order) {
        const result = await measureFixedRate({
          endpoint: target.endpoint,
          body: target.endpoint.body ?? body,
          rate: options.rate,
          durationSeconds: options.rateSeconds,
          leadPrefix: `${tag}-rate${round}-${target.id}`,
        });
        measurements.get(target.id)?.fixedRate.push(result);
      }
      for (const target of order) {
        const result = await measureStreaming({
          endpoint: target.endpoint,
          body: target.endpoint.streamBody ?? streamBody,
          requests: options.streamRequests,
          leadPrefix: `${tag}-stream${round}-${target.id}`,
        });
        measurements.get(target.id)?.streaming.push(result);
      }
    }

    for (const target of targets) {
      const entry = measurements.get(target.id);
      if (entry) {
        entry.peakRssMb = target.memory()?.peakMb ?? null;
        entry.listening = target.pid === null ? [] : listeningAddresses(target.pid);
      }
    }
    const facts: RekindleFacts[] = [];
    for (const gateway of gateways) {
      const metrics = await gateway.metricsText();
      // Stopping flushes the tracking buffer; then the rows can be counted.
      await gateway.stop();
      stopped.add(gateway.id);
      facts.push({
        id: gateway.id,
        trackedRows: await countTrackedRows(gateway.prepared),
        messagesSent: sumMetric(metrics, 'rekindle_messages_sent_total'),
        trackingDropped: sumMetric(metrics, 'rekindle_tracking_dropped_total'),
        variants: variantCounts(metrics),
      });
    }
    await stopAll();
    return {
      options,
      machine: machineInfo(repoDir),
      tools: {
        'load (throughput)': wrk
          ? toolVersion(wrk, ['--version']).replace(/\s*Copyright.*$/, '')
          : `autocannon ${autocannonVersion(repoDir)} (API, in its own process)`,
        'load (fixed rate, streaming)': 'own open-loop client on undici (this harness)',
        upstream: `${upstream.kind} ${upstream.version}`,
        portkey: portkeyVersion,
        postgres: withPostgres ? 'PostgreSQL server (initdb/pg_ctl, fsync off), local' : 'not used',
      },
      rekindleRunMode:
        compiledEntry === null
          ? '`node --import tsx src/main.ts` (TypeScript through tsx, as `npm start`)'
          : '`node dist/main.js` (`npm run build`, then the entry of `npm run start:prod`)',
      targets: targets.map((target) => measurements.get(target.id) as TargetMeasurements),
      rekindle: facts,
      durationSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stopAll();
  }
}

/**
 * `npm run build` (tsc -p tsconfig.build.json → dist/), then the entry `npm run start:prod` runs,
 * dist/main.js: the bench measures the production start. tsc exits non-zero on type errors but
 * still emits; the run goes on (and says so) as long as the entry was written.
 */
export async function buildGateway(repoDir: string, log: (line: string) => void): Promise<string> {
  log('compiling the gateway (npm run build → dist/)');
  try {
    await runCommand('npm', ['run', 'build'], { cwd: repoDir, timeoutMs: 300_000 });
  } catch (error) {
    log(`npm run build reported errors (the build is used anyway): ${String(error).slice(0, 400)}`);
  }
  const entry = join(repoDir, 'dist', 'main.js');
  if (!existsSync(entry)) {
    throw new Error(`the build wrote no ${entry}`);
  }
  return entry;
}

/** One non-streaming and one streaming request must come back right before anything is timed. */
async function checkAnswers(target: Target): Promise<void> {
  const endpoint: Endpoint = target.endpoint;
  const headers = { 'content-type': 'application/json', ...endpoint.headers };
  const plain = await fetch(`${endpoint.origin}${endpoint.path}`, {
    method: 'POST',
    headers: { ...headers, [endpoint.leadHeader ?? 'x-check']: 'check-lead' },
    body: endpoint.body ?? chatRequestBody(false),
  });
  const plainText = await plain.text();
  const answered = endpoint.body ? '"object":"response"' : '"chat.completion"';
  if (plain.status !== 200 || !plainText.includes(answered)) {
    throw new Error(`${target.label} answered ${plain.status}: ${plainText.slice(0, 500)}`);
  }
  const stream = await fetch(`${endpoint.origin}${endpoint.streamPath ?? endpoint.path}`, {
    method: 'POST',
    headers: { ...headers, accept: 'text/event-stream', ...endpoint.streamHeaders },
    body: endpoint.streamBody ?? chatRequestBody(true),
  });
  const streamText = await stream.text();
  const ended = endpoint.streamBody
    ? streamText.includes('event: response.completed')
    : streamText.trimEnd().endsWith('data: [DONE]');
  if (stream.status !== 200 || !ended) {
    throw new Error(
      `${target.label} stream answered ${stream.status}: ${streamText.slice(0, 500)}`,
    );
  }
}

export function sumMetric(text: string, name: string): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) {
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return total;
}

function variantCounts(text: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith('rekindle_requests_total{')) {
      continue;
    }
    const variant = /variant="([^"]*)"/.exec(line)?.[1] ?? 'unknown';
    counts[variant] = (counts[variant] ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return counts;
}

function autocannonVersion(repoDir: string): string {
  try {
    return (
      createRequire(join(repoDir, 'package.json'))('autocannon/package.json') as { version: string }
    ).version;
  } catch {
    return '';
  }
}
