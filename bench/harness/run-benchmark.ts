import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
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
import { freePort } from './processes.ts';
import { countTrackedRows } from './rekindle-target.ts';
import {
  listeningAddresses,
  portkeyInstalled,
  type RekindleTarget,
  startBareProxy,
  startPortkey,
  startRekindle,
  type Target,
  type TargetContext,
  type TargetId,
  upstreamTarget,
} from './targets.ts';
import { ensureDebianTool, startUpstream, which } from './upstream.ts';

export interface TargetMeasurements {
  readonly id: TargetId;
  readonly label: string;
  readonly throughput: ThroughputResult[];
  readonly fixedRate: LatencySamples[];
  readonly streaming: StreamSamples[];
  idleRssMb: number | null;
  peakRssMb: number | null;
  listening: string[];
}

export interface RekindleFacts {
  /** Rows in outcome_labels after the run (every tracked request that was written). */
  readonly trackedRows: number;
  readonly messagesSent: number;
  readonly trackingDropped: number;
  /** Requests per registry variant, from rekindle_requests_total. */
  readonly variants: Record<string, number>;
  readonly runMode: string;
}

export interface BenchRun {
  readonly options: BenchOptions;
  readonly machine: MachineInfo;
  readonly tools: Record<string, string>;
  readonly targets: TargetMeasurements[];
  readonly rekindle: RekindleFacts;
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
  rmSync(join(workDir, 'rekindle'), { recursive: true, force: true });
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
  try {
    const wrk = options.install ? await ensureDebianTool('wrk', 'wrk') : await which('wrk');
    const autocannon = createRequire(join(repoDir, 'package.json')).resolve(
      'autocannon/autocannon.js',
    );
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
      log,
    };
    const targets: Target[] = [upstreamTarget(upstream)];
    const bare = await startBareProxy(context);
    stops.push(() => bare.stop());
    targets.push(bare);
    const rekindle: RekindleTarget = await startRekindle(context);
    let rekindleStopped = false;
    stops.push(async () => {
      if (!rekindleStopped) {
        await rekindle.stop();
      }
    });
    targets.push(rekindle);
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
    const throughput = (target: Target, seconds: number, prefix: string) =>
      measureThroughput({
        endpoint: target.endpoint,
        body,
        connections: options.connections,
        durationSeconds: seconds,
        wrk,
        autocannon,
        workDir,
        leadPrefix: `${tag}-${prefix}-${target.id}`,
      });

    log(`warming up (${options.warmupSeconds} s of load and a few streams per target)`);
    for (const target of targets) {
      await throughput(target, options.warmupSeconds, 'warm');
      await measureStreaming({
        endpoint: target.endpoint,
        body: streamBody,
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
          `  ${target.id} c=${options.connections}: ${result.requestsPerSecond.toFixed(0)} req/s`,
        );
      }
      for (const target of order) {
        const result = await measureFixedRate({
          endpoint: target.endpoint,
          body,
          rate: options.rate,
          durationSeconds: options.rateSeconds,
          leadPrefix: `${tag}-rate${round}-${target.id}`,
        });
        measurements.get(target.id)?.fixedRate.push(result);
      }
      for (const target of order) {
        const result = await measureStreaming({
          endpoint: target.endpoint,
          body: streamBody,
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
      }
    }
    const metrics = await rekindle.metricsText();
    for (const target of targets) {
      const entry = measurements.get(target.id);
      if (entry && target.id !== 'upstream') {
        entry.listening = listeningPorts(target);
      }
    }
    // Stopping flushes the tracking buffer; then the data dir can be opened to count the rows.
    await rekindle.stop();
    rekindleStopped = true;
    const trackedRows = await countTrackedRows(rekindle.prepared.dataDir);
    await stopAll();
    return {
      options,
      machine: machineInfo(repoDir),
      tools: {
        'load (throughput)': wrk ? toolVersion(wrk, ['--version']) : 'autocannon',
        'load (fixed rate, streaming)': 'own open-loop client on undici (this harness)',
        upstream: `${upstream.kind} ${upstream.version}`,
        portkey: portkeyVersion,
      },
      targets: targets.map((target) => measurements.get(target.id) as TargetMeasurements),
      rekindle: {
        trackedRows,
        messagesSent: sumMetric(metrics, 'rekindle_messages_sent_total'),
        trackingDropped: sumMetric(metrics, 'rekindle_tracking_dropped_total'),
        variants: variantCounts(metrics),
        runMode: 'node --import tsx src/main.ts (TypeScript loaded through tsx, no build step)',
      },
      durationSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    process.off('SIGINT', onSignal);
    await stopAll();
  }
}

function listeningPorts(target: Target): string[] {
  return target.pid === null ? [] : listeningAddresses(target.pid);
}

/** One non-streaming and one streaming request must come back right before anything is timed. */
async function checkAnswers(target: Target): Promise<void> {
  const endpoint: Endpoint = target.endpoint;
  const headers = { 'content-type': 'application/json', ...endpoint.headers };
  const plain = await fetch(`${endpoint.origin}${endpoint.path}`, {
    method: 'POST',
    headers: { ...headers, [endpoint.leadHeader ?? 'x-check']: 'check-lead' },
    body: chatRequestBody(false),
  });
  const plainText = await plain.text();
  if (plain.status !== 200 || !plainText.includes('"chat.completion"')) {
    throw new Error(`${target.label} answered ${plain.status}: ${plainText.slice(0, 500)}`);
  }
  const stream = await fetch(`${endpoint.origin}${endpoint.streamPath ?? endpoint.path}`, {
    method: 'POST',
    headers: { ...headers, accept: 'text/event-stream', ...endpoint.streamHeaders },
    body: chatRequestBody(true),
  });
  const streamText = await stream.text();
  if (stream.status !== 200 || !streamText.trimEnd().endsWith('data: [DONE]')) {
    throw new Error(
      `${target.label} stream answered ${stream.status}: ${streamText.slice(0, 500)}`,
    );
  }
}

export function sumMetric(text: string, name: string, filter?: RegExp): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) {
      if (filter && !filter.test(line)) {
        continue;
      }
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
