import type { BenchRun, TargetMeasurements } from './run-benchmark.ts';
import { formatNumber, median, percentile } from './stats.ts';
import type { TargetId } from './targets.ts';

export interface TargetSummary {
  readonly id: TargetId;
  readonly label: string;
  /** Median over rounds of requests/s at fixed concurrency. */
  readonly requestsPerSecond: number;
  readonly requestsPerSecondRounds: number[];
  /** Median over rounds of the target process's CPU time per request (µs). */
  readonly cpuMicrosecondsPerRequest: number;
  /** Median over rounds of the PostgreSQL server's CPU per request (µs); null off PostgreSQL. */
  readonly storeCpuMicrosecondsPerRequest: number | null;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly p50MsRounds: number[];
  readonly p99MsRounds: number[];
  readonly achievedRate: number;
  readonly firstByteP50Ms: number;
  readonly lastByteP50Ms: number;
  readonly peakRssMb: number | null;
  readonly idleRssMb: number | null;
  readonly errors: number;
  readonly listening: string[];
}

export interface Check {
  readonly target: TargetId;
  readonly name: string;
  readonly goal: string;
  readonly value: string;
  readonly met: boolean | null;
}

export interface BenchSummary {
  /** One row per process measured through chat completions. */
  readonly targets: TargetSummary[];
  /** Other APIs of a measured process (the Responses row of (c)), printed under the targets. */
  readonly apiRows: TargetSummary[];
  readonly checks: Check[];
}

/** The production store (PostgreSQL) first, then PGlite; the references around them. */
const reportOrder: readonly TargetId[] = [
  'upstream',
  'bare',
  'rekindle-pg',
  'rekindle-cluster',
  'rekindle',
  'portkey',
];
const apiRowIds: ReadonlySet<TargetId> = new Set(['rekindle-responses']);

export function summarize(run: BenchRun): BenchSummary {
  const all = run.targets.map(summarizeTarget);
  const targets = all
    .filter((target) => !apiRowIds.has(target.id))
    .sort((a, b) => reportOrder.indexOf(a.id) - reportOrder.indexOf(b.id));
  const apiRows = all.filter((target) => apiRowIds.has(target.id));
  const byId = new Map(all.map((target) => [target.id, target]));
  const checks: Check[] = [];
  for (const id of ['rekindle-pg', 'rekindle-cluster', 'rekindle'] as const) {
    const gateway = byId.get(id);
    if (gateway) {
      checks.push(...checksFor(gateway, byId, run.options.rate));
    }
  }
  const chat = byId.get('rekindle');
  const responses = byId.get('rekindle-responses');
  if (chat && responses) {
    checks.push(...responsesChecks(chat, responses));
  }
  return { targets, apiRows, checks };
}

/** Issue 12: the Responses row's overhead stays within 0.3 ms p50 of chat's on the same process. */
function responsesChecks(chat: TargetSummary, responses: TargetSummary): Check[] {
  const added = responses.p50Ms - chat.p50Ms;
  const firstByte = responses.firstByteP50Ms - chat.firstByteP50Ms;
  return [
    {
      target: responses.id,
      name: 'p50 latency (c-r) Responses − (c) chat',
      goal: '≤ 0.3 ms',
      value: `${formatNumber(added)} ms`,
      met: added <= 0.3,
    },
    {
      target: responses.id,
      name: 'streaming TTFB (c-r) Responses − (c) chat, p50',
      goal: '≤ 0.3 ms',
      value: `${formatNumber(firstByte)} ms`,
      met: firstByte <= 0.3,
    },
  ];
}

/**
 * Issue 19's targets for one Rekindle target, against the others in the same run (the standing
 * 75 % of the bare proxy from issue 8 is listed beside its 50 % floor).
 */
function checksFor(
  gateway: TargetSummary,
  byId: Map<TargetId, TargetSummary>,
  rate: number,
): Check[] {
  const upstream = byId.get('upstream');
  const bare = byId.get('bare');
  const portkey = byId.get('portkey');
  const name = { rekindle: '(c)', 'rekindle-pg': '(c2)', 'rekindle-cluster': '(c3)' }[
    gateway.id as 'rekindle' | 'rekindle-pg' | 'rekindle-cluster'
  ];
  const check = (label: string, goal: string, value: string, met: boolean | null): Check => ({
    target: gateway.id,
    name: label,
    goal,
    value,
    met,
  });
  const checks: Check[] = [];
  const ratioToPortkey = portkey ? gateway.requestsPerSecond / portkey.requestsPerSecond : null;
  checks.push(
    check(
      `throughput ${name} ÷ (d) Portkey`,
      '≥ 4×',
      ratioToPortkey === null ? 'not measured' : `${formatNumber(ratioToPortkey, 1)}×`,
      ratioToPortkey === null ? null : ratioToPortkey >= 4,
    ),
  );
  if (bare) {
    const ratio = gateway.requestsPerSecond / bare.requestsPerSecond;
    const percent = `${formatNumber(ratio * 100, 0)} %`;
    checks.push(check(`throughput ${name} ÷ (b) bare proxy`, '≥ 50 %', percent, ratio >= 0.5));
    checks.push(
      check(
        `throughput ${name} ÷ (b) bare proxy (standing goal)`,
        '≥ 75 %',
        percent,
        ratio >= 0.75,
      ),
    );
  }
  if (upstream) {
    const added = gateway.p50Ms - upstream.p50Ms;
    checks.push(
      check(
        `added p50 latency ${name} − (a) at ${rate} req/s`,
        '≤ 1 ms',
        `${formatNumber(added)} ms`,
        added <= 1,
      ),
    );
    const addedP99 = gateway.p99Ms - upstream.p99Ms;
    checks.push(
      check(
        `added p99 latency ${name} − (a) at ${rate} req/s`,
        '≤ 2 ms',
        `${formatNumber(addedP99)} ms`,
        addedP99 <= 2,
      ),
    );
    const firstByte = gateway.firstByteP50Ms - upstream.firstByteP50Ms;
    checks.push(
      check(
        `streaming TTFB overhead ${name} − (a), p50`,
        '≤ 1.5 ms',
        `${formatNumber(firstByte)} ms`,
        firstByte <= 1.5,
      ),
    );
  }
  return checks;
}

function summarizeTarget(measured: TargetMeasurements): TargetSummary {
  // Per round, then the median over rounds: one round hit by a burst of other work on the box
  // moves the figure less than pooling every sample would.
  const perRound = (values: number[][], p: number) =>
    median(values.filter((samples) => samples.length > 0).map((samples) => percentile(samples, p)));
  const latencies = measured.fixedRate.map((run) => run.samples);
  const firstBytes = measured.streaming.map((run) => run.firstByteMs);
  const lastBytes = measured.streaming.map((run) => run.lastByteMs);
  const rounds = measured.throughput.map((run) => run.requestsPerSecond);
  const cpu = measured.throughput
    .map((run) => run.cpuMicrosecondsPerRequest)
    .filter((value): value is number => value !== null);
  const storeCpu = measured.throughput
    .map((run) => run.storeCpuMicrosecondsPerRequest)
    .filter((value): value is number => value !== null);
  const errors =
    measured.throughput.reduce((sum, run) => sum + run.errors, 0) +
    measured.fixedRate.reduce((sum, run) => sum + run.errors, 0) +
    measured.streaming.reduce((sum, run) => sum + run.errors, 0);
  const rates = measured.fixedRate.map((run) => run.achievedRate);
  return {
    id: measured.id,
    label: measured.label,
    requestsPerSecond: median(rounds),
    requestsPerSecondRounds: rounds,
    cpuMicrosecondsPerRequest: median(cpu),
    storeCpuMicrosecondsPerRequest: storeCpu.length > 0 ? median(storeCpu) : null,
    p50Ms: perRound(latencies, 50),
    p90Ms: perRound(latencies, 90),
    p99Ms: perRound(latencies, 99),
    p50MsRounds: latencies.map((samples) => percentile(samples, 50)),
    p99MsRounds: latencies.map((samples) => percentile(samples, 99)),
    achievedRate: rates.length > 0 ? rates.reduce((a, b) => a + b, 0) / rates.length : Number.NaN,
    firstByteP50Ms: perRound(firstBytes, 50),
    lastByteP50Ms: perRound(lastBytes, 50),
    peakRssMb: measured.peakRssMb,
    idleRssMb: measured.idleRssMb,
    errors,
    listening: measured.listening,
  };
}

function columns(rate: number): string[] {
  return [
    'target',
    'req/s @16 conn',
    'CPU µs/req',
    'store CPU µs/req',
    `p50 ms @${rate}/s`,
    `p99 ms @${rate}/s`,
    'stream TTFB p50 ms',
    'stream last byte p50 ms',
    'peak RSS MB',
    'errors',
  ];
}

function rows(summary: BenchSummary): string[][] {
  return [...summary.targets, ...summary.apiRows].map((target) => [
    target.label,
    formatNumber(target.requestsPerSecond, 0),
    formatNumber(target.cpuMicrosecondsPerRequest, 0),
    target.storeCpuMicrosecondsPerRequest === null
      ? '—'
      : formatNumber(target.storeCpuMicrosecondsPerRequest, 0),
    formatNumber(target.p50Ms),
    formatNumber(target.p99Ms),
    formatNumber(target.firstByteP50Ms),
    formatNumber(target.lastByteP50Ms),
    target.peakRssMb === null ? 'n/a' : formatNumber(target.peakRssMb, 0),
    String(target.errors),
  ]);
}

function mark(check: Check): string {
  return check.met === null ? '·' : check.met ? '✓' : '✗';
}

/** The table as aligned plain text, for the terminal. */
export function consoleTable(summary: BenchSummary, rate: number): string {
  const header = columns(rate);
  const all = [header, ...rows(summary)];
  const widths = header.map((_, index) => Math.max(...all.map((row) => (row[index] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, index) =>
        index === 0 ? cell.padEnd(widths[index] ?? 0) : cell.padStart(widths[index] ?? 0),
      )
      .join('  ');
  const checks = summary.checks.map(
    (check) => `${mark(check)} ${check.name}: ${check.value} (goal ${check.goal})`,
  );
  return [line(header), ...rows(summary).map(line), '', ...checks].join('\n');
}

export function markdownTable(header: string[], body: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, index) => (index === 0 ? '---' : '---:')).join(' | ')} |`,
    ...body.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

export function resultsTable(summary: BenchSummary, rate: number): string {
  return markdownTable(columns(rate), rows(summary));
}

export function checksTable(summary: BenchSummary): string {
  return markdownTable(
    ['check', 'goal', 'measured', 'met'],
    summary.checks.map((check) => [
      check.name,
      check.goal,
      check.value,
      check.met === null ? '—' : check.met ? 'yes' : '**no**',
    ]),
  );
}

export function overheadTable(summary: BenchSummary): string {
  const byId = new Map(summary.targets.map((target) => [target.id, target]));
  const upstream = byId.get('upstream');
  const bare = byId.get('bare');
  return markdownTable(
    [
      'target',
      'added p50 latency',
      'added stream TTFB',
      'throughput vs (b)',
      'CPU/req (+ store) vs (b)',
      'idle RSS MB',
    ],
    [...summary.targets, ...summary.apiRows]
      .filter((target) => target.id !== 'upstream')
      .map((target) => [
        target.label,
        upstream ? `${formatNumber(target.p50Ms - upstream.p50Ms)} ms` : 'n/a',
        upstream ? `${formatNumber(target.firstByteP50Ms - upstream.firstByteP50Ms)} ms` : 'n/a',
        bare
          ? `${formatNumber((target.requestsPerSecond / bare.requestsPerSecond) * 100, 0)} %`
          : 'n/a',
        bare ? `${formatNumber(cpuWithStore(target) / cpuWithStore(bare), 2)}×` : 'n/a',
        target.idleRssMb === null ? 'n/a' : formatNumber(target.idleRssMb, 0),
      ]),
  );
}

/** The target's CPU per request, with its PostgreSQL server's when it has one. */
function cpuWithStore(target: TargetSummary): number {
  return target.cpuMicrosecondsPerRequest + (target.storeCpuMicrosecondsPerRequest ?? 0);
}

/**
 * Every figure of every target divided by the same figure of a reference target measured in the
 * same run: the bare proxy (the floor) or Portkey. Above 1 means more: more req/s (better), more
 * CPU, latency or memory (worse).
 */
export function ratioTable(summary: BenchSummary, referenceId: 'bare' | 'portkey'): string {
  const reference = summary.targets.find((target) => target.id === referenceId);
  if (!reference) {
    return `(${referenceId === 'bare' ? 'the bare proxy' : 'Portkey'} was not measured in this run)`;
  }
  const ratio = (value: number | null, base: number | null) =>
    value === null || base === null || !(base > 0) ? 'n/a' : `${formatNumber(value / base, 2)}×`;
  return markdownTable(
    [
      'target',
      'req/s',
      'CPU µs/req (+ store)',
      'p50 @rate',
      'p99 @rate',
      'stream TTFB',
      'stream last byte',
      'peak RSS',
    ],
    summary.targets
      .filter((target) => target.id !== referenceId && target.id !== 'upstream')
      .map((target) => [
        target.label,
        ratio(target.requestsPerSecond, reference.requestsPerSecond),
        ratio(cpuWithStore(target), cpuWithStore(reference)),
        ratio(target.p50Ms, reference.p50Ms),
        ratio(target.p99Ms, reference.p99Ms),
        ratio(target.firstByteP50Ms, reference.firstByteP50Ms),
        ratio(target.lastByteP50Ms, reference.lastByteP50Ms),
        ratio(target.peakRssMb, reference.peakRssMb),
      ]),
  );
}
