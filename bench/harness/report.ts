import type { BenchRun, TargetMeasurements } from './run-benchmark.ts';
import { formatNumber, median, percentile } from './stats.ts';
import type { TargetId } from './targets.ts';

export interface TargetSummary {
  readonly id: TargetId;
  readonly label: string;
  /** Median over rounds of requests/s at fixed concurrency. */
  readonly requestsPerSecond: number;
  readonly requestsPerSecondRounds: number[];
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly achievedRate: number;
  readonly firstByteP50Ms: number;
  readonly lastByteP50Ms: number;
  readonly peakRssMb: number | null;
  readonly idleRssMb: number | null;
  readonly errors: number;
  readonly listening: string[];
}

export interface Check {
  readonly name: string;
  readonly goal: string;
  readonly value: string;
  readonly met: boolean | null;
}

export interface BenchSummary {
  readonly targets: TargetSummary[];
  readonly checks: Check[];
}

export function summarize(run: BenchRun): BenchSummary {
  const targets = run.targets.map(summarizeTarget);
  const byId = new Map(targets.map((target) => [target.id, target]));
  const upstream = byId.get('upstream');
  const bare = byId.get('bare');
  const rekindle = byId.get('rekindle');
  const portkey = byId.get('portkey');
  const checks: Check[] = [];
  if (rekindle && portkey) {
    const ratio = rekindle.requestsPerSecond / portkey.requestsPerSecond;
    checks.push({
      name: 'throughput (c) ÷ (d) Portkey',
      goal: '≥ 4×',
      value: `${formatNumber(ratio, 1)}×`,
      met: ratio >= 4,
    });
  } else {
    checks.push({
      name: 'throughput (c) ÷ (d) Portkey',
      goal: '≥ 4×',
      value: 'not measured',
      met: null,
    });
  }
  if (rekindle && bare) {
    const ratio = rekindle.requestsPerSecond / bare.requestsPerSecond;
    checks.push({
      name: 'throughput (c) ÷ (b) bare proxy',
      goal: '≥ 75 %',
      value: `${formatNumber(ratio * 100, 0)} %`,
      met: ratio >= 0.75,
    });
  }
  if (rekindle && upstream) {
    const added = rekindle.p50Ms - upstream.p50Ms;
    checks.push({
      name: `added p50 latency (c) − (a) at ${run.options.rate} req/s`,
      goal: '≤ 1.5 ms',
      value: `${formatNumber(added)} ms`,
      met: added <= 1.5,
    });
    const firstByte = rekindle.firstByteP50Ms - upstream.firstByteP50Ms;
    checks.push({
      name: 'streaming TTFB overhead (c) − (a), p50',
      goal: '≤ 2 ms',
      value: `${formatNumber(firstByte)} ms`,
      met: firstByte <= 2,
    });
  }
  return { targets, checks };
}

function summarizeTarget(measured: TargetMeasurements): TargetSummary {
  const latencies = measured.fixedRate.flatMap((run) => run.samples);
  const firstBytes = measured.streaming.flatMap((run) => run.firstByteMs);
  const lastBytes = measured.streaming.flatMap((run) => run.lastByteMs);
  const rounds = measured.throughput.map((run) => run.requestsPerSecond);
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
    p50Ms: percentile(latencies, 50),
    p90Ms: percentile(latencies, 90),
    p99Ms: percentile(latencies, 99),
    achievedRate: rates.length > 0 ? rates.reduce((a, b) => a + b, 0) / rates.length : Number.NaN,
    firstByteP50Ms: percentile(firstBytes, 50),
    lastByteP50Ms: percentile(lastBytes, 50),
    peakRssMb: measured.peakRssMb,
    idleRssMb: measured.idleRssMb,
    errors,
    listening: measured.listening,
  };
}

const columns = [
  'target',
  'req/s @16 conn',
  'p50 ms @rate',
  'p99 ms @rate',
  'stream TTFB p50 ms',
  'stream last byte p50 ms',
  'peak RSS MB',
  'errors',
];

function rows(summary: BenchSummary): string[][] {
  return summary.targets.map((target) => [
    target.label,
    formatNumber(target.requestsPerSecond, 0),
    formatNumber(target.p50Ms),
    formatNumber(target.p99Ms),
    formatNumber(target.firstByteP50Ms),
    formatNumber(target.lastByteP50Ms),
    target.peakRssMb === null ? 'n/a' : formatNumber(target.peakRssMb, 0),
    String(target.errors),
  ]);
}

/** The table as aligned plain text, for the terminal. */
export function consoleTable(summary: BenchSummary): string {
  const all = [columns, ...rows(summary)];
  const widths = columns.map((_, index) =>
    Math.max(...all.map((row) => (row[index] ?? '').length)),
  );
  const line = (row: string[]) =>
    row
      .map((cell, index) =>
        index === 0 ? cell.padEnd(widths[index] ?? 0) : cell.padStart(widths[index] ?? 0),
      )
      .join('  ');
  const checks = summary.checks.map(
    (check) =>
      `${check.met === null ? '·' : check.met ? '✓' : '✗'} ${check.name}: ${check.value} (goal ${check.goal})`,
  );
  return [line(columns), ...rows(summary).map(line), '', ...checks].join('\n');
}

function markdownTable(header: string[], body: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, index) => (index === 0 ? '---' : '---:')).join(' | ')} |`,
    ...body.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

export function markdownReport(run: BenchRun, summary: BenchSummary): string {
  const { options, machine } = run;
  const byId = new Map(summary.targets.map((target) => [target.id, target]));
  const upstream = byId.get('upstream');
  const overhead = (target: TargetSummary) =>
    upstream
      ? `${formatNumber(target.p50Ms - upstream.p50Ms)} ms / ${formatNumber(target.firstByteP50Ms - upstream.firstByteP50Ms)} ms`
      : 'n/a';
  const variantTotal = Object.values(run.rekindle.variants).reduce((a, b) => a + b, 0);
  const variantLines = Object.entries(run.rekindle.variants)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([variant, count]) =>
        `\`${variant}\` ${count} (${formatNumber((count / Math.max(variantTotal, 1)) * 100, 1)} %)`,
    )
    .join(', ');
  return `# Benchmark results

Written by \`npm run bench\` (bench/run-bench.ts) on ${machine.date}; the whole run took
${formatNumber(run.durationSeconds, 0)} s.${options.quick ? ' **Quick smoke mode: durations too short for the figures to mean anything.**' : ''}

## Machine

- CPU: ${machine.cpuModel}, ${machine.cores} cores (shared by the load generator, the upstream and the target), ${machine.memoryGb} GB RAM, Linux ${machine.kernel}
- Node ${machine.node}; ${Object.entries(machine.packages)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ')}
${Object.entries(run.tools)
  .map(([name, value]) => `- ${name}: ${value}`)
  .join('\n')}
- Rekindle Gateway run as: ${run.rekindle.runMode}

## Method

- Everything on 127.0.0.1. The upstream answers \`POST /v1/chat/completions\` with a canned
  \`chat.completion\` (with usage) or a canned SSE stream (content chunks, a finish chunk, a usage chunk,
  \`data: [DONE]\`); it costs almost nothing.
- Targets, all in front of that upstream: (a) the upstream direct; (b) \`bench/bare-proxy.ts\`, Hono +
  \`@hono/node-server\` + an undici \`Pool\`, body parsed, \`model\` rewritten, re-sent and relayed — the floor
  for a Node gateway; (c) Rekindle Gateway as its own process with what a production request does: API-key
  auth (key created in the store before start), the per-organization rate limit (set far above the load),
  the \`outreach\` route on an \`openai-compatible\` provider with a registry baseline and a 10 % variant on
  the same upstream (sticky by lead), metrics, and tracking of every request (\`x-rekindle-lead-id\` differs
  per request) written behind to PGlite in a temp dir; (d) Portkey's gateway ${run.tools.portkey}, started from
  npm with a loopback-bind preload and \`--headless\`, with \`x-portkey-provider: openai\` and
  \`x-portkey-custom-host\`.
- Every target gets the same body and headers (plus its own auth or provider headers).
- ${options.rounds} round(s); each round runs each phase over every target, in an order rotated per round.
  Warm-up first (${options.warmupSeconds} s of load and some streams per target).
- **Throughput**: ${run.tools['load (throughput)']}, one thread, ${options.connections} connections,
  ${options.throughputSeconds} s per round, non-streaming; the figure is the median over rounds.
- **Latency at a fixed rate**: ${options.rate} requests/s for ${options.rateSeconds} s per round from an open-loop
  client in the harness (wrk2-style schedule: request i leaves at t0 + i/rate whatever earlier ones do; 64
  connections; latency from sending to the last body byte, \`performance.now()\`); p50/p99 over all rounds' samples.
  autocannon's \`overallRate\` was not used: it records whole milliseconds, too coarse for a 1.5 ms target.
- **Streaming**: ${options.streamRequests} sequential streaming requests per target per round; time to the first
  body byte (TTFB) and to the last, p50 over all rounds.
- **Peak RSS**: VmHWM of the target's process at the end (nginx: its worker).

## Results

${markdownTable(columns, rows(summary))}

Throughput per round (req/s): ${summary.targets
    .map(
      (target) =>
        `${target.id} ${target.requestsPerSecondRounds.map((value) => value.toFixed(0)).join(' / ')}`,
    )
    .join('; ')}.
Fixed-rate load achieved: ${summary.targets
    .map((target) => `${target.id} ${formatNumber(target.achievedRate, 0)}/s`)
    .join(', ')}.

### Overhead over the upstream direct (p50 at ${options.rate} req/s / streaming TTFB p50)

${markdownTable(
  ['target', 'added latency / added TTFB', 'throughput vs (b)', 'idle RSS MB'],
  summary.targets
    .filter((target) => target.id !== 'upstream')
    .map((target) => [
      target.label,
      overhead(target),
      byId.get('bare')
        ? `${formatNumber((target.requestsPerSecond / (byId.get('bare')?.requestsPerSecond ?? 1)) * 100, 0)} %`
        : 'n/a',
      target.idleRssMb === null ? 'n/a' : formatNumber(target.idleRssMb, 0),
    ]),
)}

### Targets (issue 8)

${markdownTable(
  ['check', 'goal', 'measured', 'met'],
  summary.checks.map((check) => [
    check.name,
    check.goal,
    check.value,
    check.met === null ? '—' : check.met ? 'yes' : '**no**',
  ]),
)}

## Notes

- Portkey sleeps 25 ms before the first chunk of every stream (\`src/handlers/streamHandler.ts\`, there since
  its first commit); its TTFB includes that by design of Portkey, not of this harness.
- Rekindle tracked ${run.rekindle.messagesSent} messages during the run (rekindle_messages_sent_total);
  ${run.rekindle.trackedRows} rows were in \`outcome_labels\` after it stopped and flushed;
  ${run.rekindle.trackingDropped} were dropped (rekindle_tracking_dropped_total).
- Registry split seen by Rekindle (rekindle_requests_total by variant): ${variantLines || 'n/a'}.
- Listening sockets of the targets: ${summary.targets
    .filter((target) => target.listening.length > 0)
    .map((target) => `${target.id} ${target.listening.join(', ')}`)
    .join('; ')}.
`;
}
