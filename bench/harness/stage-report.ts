import { type ProfileWindow, profilesOf, type StageTimes, stageTimes } from './cpu-profile.ts';
import type { ThroughputResult } from './load.ts';
import { type Stage, stages } from './stage-rules.ts';
import type { RekindleTarget } from './targets.ts';
import { cpuDelta, postgresCpu, postmasterOf, threadCpu } from './thread-cpu.ts';

export interface StageRow {
  readonly stage: string;
  /** CPU µs per request. */
  readonly us: number;
}

export interface StageReport {
  readonly label: string;
  readonly requests: number;
  readonly requestsPerSecond: number;
  /** The gateway's request thread, split by stage. */
  readonly mainThread: StageRow[];
  readonly mainThreadUs: number;
  /** Outside the request thread: the store's write and the process's other threads. */
  readonly elsewhere: StageRow[];
  readonly totalUs: number;
  /** Busy samples of the main thread × the sampling interval ÷ its CPU time (≈ 1 on a quiet box). */
  readonly sampledOverCpu: number;
  readonly topFunctions: Array<{ name: string; stage: Stage; us: number }>;
}

/**
 * One measured window: /proc readings of the gateway's threads (and of the PostgreSQL server)
 * around the load, then the gateway stopped so its profiles are written, then split by stage.
 */
export async function measureStages(options: {
  label: string;
  gateway: RekindleTarget;
  postgresPort: number | null;
  profileDir: string;
  /** --cpu-prof-interval, µs. */
  intervalUs: number;
  warmup: () => Promise<ThroughputResult>;
  measure: () => Promise<ThroughputResult>;
}): Promise<StageReport> {
  const { gateway } = options;
  const pid = gateway.pid ?? -1;
  await options.warmup();
  const postmaster = options.postgresPort === null ? null : postmasterOf(options.postgresPort);
  const threadsBefore = threadCpu(pid);
  const postgresBefore = postmaster === null ? new Map() : postgresCpu(postmaster);
  const fromUs = Number(process.hrtime.bigint() / 1000n);
  const result = await options.measure();
  const window: ProfileWindow = { fromUs, toUs: Number(process.hrtime.bigint() / 1000n) };
  const threadsAfter = threadCpu(pid);
  const postgresAfter = postmaster === null ? new Map() : postgresCpu(postmaster);
  await gateway.stop();
  const [mainProfile] = profilesOf(options.profileDir, pid);
  if (!mainProfile || result.requests === 0) {
    throw new Error(`no profile of ${pid} in ${options.profileDir}, or no request served`);
  }
  const perRequest = (us: number) => us / result.requests;
  const mainCpu = (threadsAfter.get(pid) ?? 0) - (threadsBefore.get(pid) ?? 0);
  const sampled = stageTimes(mainProfile, window);
  const scale = sampled.totalBusyUs > 0 ? mainCpu / sampled.totalBusyUs : 0;
  const mainThread = stages
    .map((stage) => ({ stage, us: perRequest((sampled.busyUs.get(stage) ?? 0) * scale) }))
    .filter((row) => row.us > 0);
  const others = [...threadsAfter]
    .filter(([tid]) => tid !== pid)
    .map(([tid, used]) => used - (threadsBefore.get(tid) ?? 0))
    .sort((a, b) => b - a);
  const elsewhere: StageRow[] = [];
  if (postmaster !== null) {
    elsewhere.push({
      stage: 'store write (PostgreSQL server processes)',
      us: perRequest(cpuDelta(postgresBefore, postgresAfter)),
    });
    elsewhere.push({ stage: 'other threads (GC helpers, libuv)', us: perRequest(sum(others)) });
  } else {
    // PGlite's worker runs the SQL and is by far the busiest thread besides the main one.
    elsewhere.push({ stage: 'store write (PGlite worker thread)', us: perRequest(others[0] ?? 0) });
    elsewhere.push({
      stage: 'other threads (GC helpers, libuv)',
      us: perRequest(sum(others.slice(1))),
    });
  }
  return {
    label: options.label,
    requests: result.requests,
    requestsPerSecond: result.requestsPerSecond,
    mainThread,
    mainThreadUs: perRequest(mainCpu),
    elsewhere,
    totalUs: perRequest(mainCpu) + sum(elsewhere.map((row) => row.us)),
    sampledOverCpu: mainCpu > 0 ? (sampled.totalBusyUs * options.intervalUs) / mainCpu : Number.NaN,
    topFunctions: topFunctions(sampled, scale, result.requests),
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function topFunctions(sampled: StageTimes, scale: number, requests: number) {
  return [...sampled.byFunction]
    .map(([key, entry]) => ({
      name: key.slice(0, key.indexOf('\0')),
      stage: entry.stage,
      us: (entry.us * scale) / requests,
    }))
    .sort((a, b) => b.us - a.us)
    .slice(0, 25);
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);

function rowsOf(report: StageReport): string[][] {
  const share = (us: number) => `${fixed((us / report.totalUs) * 100, 0)} %`;
  return [
    ...report.mainThread.map((row) => [row.stage, fixed(row.us), share(row.us)]),
    ['**request thread**', fixed(report.mainThreadUs), share(report.mainThreadUs)],
    ...report.elsewhere.map((row) => [row.stage, fixed(row.us), share(row.us)]),
    ['**total**', fixed(report.totalUs), '100 %'],
  ];
}

/** Plain text for the terminal, with the most expensive functions. */
export function formatStageTable(report: StageReport): string {
  const rows = rowsOf(report).map(
    ([stage = '', us = '', share = '']) =>
      `${stage.replace(/\*/g, '').padEnd(48)} ${us.padStart(8)} ${share.padStart(6)}`,
  );
  const top = report.topFunctions.map(
    (entry) => `  ${fixed(entry.us, 2).padStart(7)} µs  ${entry.name}  [${entry.stage}]`,
  );
  return [
    `${report.label}: ${report.requests} requests (${fixed(report.requestsPerSecond, 0)} req/s under --cpu-prof); samples × interval ÷ CPU of the request thread ${fixed(report.sampledOverCpu, 2)}`,
    `${'stage'.padEnd(48)} ${'µs/req'.padStart(8)} ${'share'.padStart(6)}`,
    ...rows,
    'top functions of the request thread (self time, µs/req):',
    ...top,
  ].join('\n');
}

/** The stores side by side, one markdown table (docs/performance.md). */
export function stageMarkdown(reports: readonly StageReport[]): string {
  // Request-thread stages, then what runs elsewhere (the stores differ there), then the total.
  const all = reports.flatMap((report) => rowsOf(report).map((row) => row[0] ?? ''));
  const names = [...new Set([...all.filter((name) => name !== '**total**'), '**total**'])];
  const header = ['stage', ...reports.map((report) => `${report.label} µs/req`)];
  const body = names.map((name) => [
    name ?? '',
    ...reports.map((report) => rowsOf(report).find((row) => row[0] === name)?.[1] ?? '—'),
  ]);
  return `${[
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, index) => (index === 0 ? '---' : '---:')).join(' | ')} |`,
    ...body.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n')}\n`;
}
