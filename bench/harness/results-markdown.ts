import {
  type BenchSummary,
  checksTable,
  overheadTable,
  ratioTable,
  resultsTable,
} from './report.ts';
import type { BenchRun, RekindleFacts } from './run-benchmark.ts';
import { formatNumber } from './stats.ts';

function factsLine(facts: RekindleFacts): string {
  const total = Object.values(facts.variants).reduce((a, b) => a + b, 0);
  const split = Object.entries(facts.variants)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([variant, count]) =>
        `\`${variant}\` ${count} (${formatNumber((count / Math.max(total, 1)) * 100, 1)} %)`,
    )
    .join(', ');
  const label =
    facts.id === 'rekindle'
      ? '(c) on PGlite'
      : facts.id === 'rekindle-pg'
        ? '(c2) on PostgreSQL'
        : '(c3) node:cluster on PostgreSQL (metrics aggregated by the primary)';
  return `- ${label}: ${facts.messagesSent} messages tracked (rekindle_messages_sent_total), ${facts.trackedRows} rows in \`outcome_labels\` after it stopped and flushed, ${facts.trackingDropped} dropped (rekindle_tracking_dropped_total); registry split by variant: ${split || 'n/a'}.`;
}

/** bench/RESULTS.md: machine, versions, method, the tables, the checks and the facts of the run. */
export function markdownReport(run: BenchRun, summary: BenchSummary): string {
  const { options, machine } = run;
  const listening = summary.targets
    .filter((target) => target.listening.length > 0)
    .map((target) => `${target.id} ${target.listening.join(', ')}`)
    .join('; ');
  return `# Benchmark results

Written by \`${options.commandLine}\` (bench/run-bench.ts) on ${machine.date}; the run took
${formatNumber(run.durationSeconds, 0)} s.${options.quick ? ' **Quick smoke mode: durations far too short for the figures to mean anything.**' : ''}
How to read them and what was changed to get them: docs/performance.md.

## Machine

- CPU: ${machine.cpuModel}, ${machine.cores} cores, shared by the load generator, the upstream and
  the target (and by whatever else ran on the box meanwhile); ${machine.memoryGb} GB RAM; Linux ${machine.kernel}
- Node ${machine.node}; ${Object.entries(machine.packages)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ')}
${Object.entries(run.tools)
  .map(([name, value]) => `- ${name}: ${value}`)
  .join('\n')}
- Rekindle Gateway run as ${run.rekindleRunMode}

## Method

- Everything on 127.0.0.1. The upstream answers \`POST /v1/chat/completions\` with a canned
  \`chat.completion\` (with usage) or a canned SSE stream (content chunks, a finish chunk, a usage
  chunk, \`data: [DONE]\`); it costs almost nothing.
- Targets, all in front of that upstream: (a) the upstream direct; (b) \`bench/bare-proxy.ts\`: Hono +
  \`@hono/node-server\` + an undici \`Pool\`, body parsed, \`model\` rewritten, re-sent and relayed — the
  floor for a Node gateway; (c) Rekindle Gateway as its own process doing what a production request
  does: API-key auth (a key created in the store before start), the per-organization rate limit (set
  far above the load), the \`outreach\` route on an \`openai-compatible\` provider with a registry
  baseline and a 10 % variant on the same upstream (sticky by lead), Prometheus metrics, and tracking
  of every request (\`x-rekindle-lead-id\` differs per request), written behind to PGlite in a temp
  dir, all with default settings; (c-r) the same (c) process asked the same call as a Responses
  request (\`POST /v1/responses\`, \`store: false\`), translated to chat and back (typed events when
  streamed); (c2) the same gateway with its store on a local PostgreSQL server
  instead of the embedded PGlite (the deployment ARCHITECTURE §8 names for more than one process);
  ${options.clusterWorkers > 0 ? `(c3) the same on PostgreSQL as ${options.clusterWorkers} \`node:cluster\` workers sharing the port, metrics aggregated by the primary (\`bench/cluster-gateway.ts\`; CPU and memory summed over its processes); ` : ''}(d) Portkey's gateway ${run.tools.portkey} from npm, \`--headless\`, bound to 127.0.0.1 by a preload,
  with \`x-portkey-provider: openai\` and \`x-portkey-custom-host\`.
- Every target gets the same body and headers (plus its own auth or provider headers).
- ${options.rounds} round(s); each round runs each phase over every target, in an order rotated per
  round. A warm-up first (${options.warmupSeconds} s of load and some streams per target).
- **Throughput**: ${run.tools['load (throughput)']}, one thread, ${options.connections} connections, ${options.throughputSeconds} s
  per round, non-streaming; the median over rounds. **CPU µs/req**: CPU time (user + system, from
  /proc) the target's process used during those runs, per request — it does not depend on how busy
  the rest of the box was, unlike req/s. **Store CPU µs/req**: for the targets on PostgreSQL, the CPU
  the PostgreSQL server's processes used during the same runs, per request (PGlite's is already in
  the gateway's own figure: it runs on a thread of the gateway's process); the ratios count both.
- **Latency at a fixed rate**: ${options.rate} requests/s for ${options.rateSeconds} s per round from an
  open-loop client in the harness (wrk2-style schedule: request i leaves at t0 + i/rate whatever
  earlier ones are doing; 64 connections; latency from sending to the last body byte, measured with
  \`performance.now()\`); p50 and p99 per round, then the median over rounds. autocannon's \`overallRate\` was not used:
  it records whole milliseconds, too coarse for a 1 ms target.
- **Streaming**: ${options.streamRequests} sequential streaming requests per target per round; time to the
  first body byte (TTFB) and to the last; p50 per round, then the median over rounds.
- **Peak RSS**: VmHWM of the target's process at the end (nginx: its worker).

## Results

${resultsTable(summary, options.rate)}

Throughput per round (req/s): ${summary.targets
    .map(
      (target) =>
        `${target.id} ${target.requestsPerSecondRounds.map((value) => value.toFixed(0)).join(' / ')}`,
    )
    .join('; ')}. p50 / p99 at ${options.rate}/s per round (ms): ${summary.targets
    .map(
      (target) =>
        `${target.id} ${target.p50MsRounds
          .map(
            (p50, index) =>
              `${formatNumber(p50)}/${formatNumber(target.p99MsRounds[index] ?? Number.NaN, 1)}`,
          )
          .join(', ')}`,
    )
    .join('; ')}. Fixed-rate load achieved: ${summary.targets
    .map((target) => `${target.id} ${formatNumber(target.achievedRate, 0)}/s`)
    .join(', ')}.

### Over the upstream direct and against the bare proxy

${overheadTable(summary)}

### Every figure as a ratio to the floor, (b) the bare proxy, in this run

${ratioTable(summary, 'bare')}

### Every figure as a ratio to (d) Portkey, in this run

${ratioTable(summary, 'portkey')}

### Targets (issue 19)

${checksTable(summary)}

## Facts of this run

${run.rekindle.map(factsLine).join('\n')}
- Portkey sleeps 25 ms before the first chunk of every stream (\`src/handlers/streamHandler.ts\`, there
  since its first commit): its TTFB includes that.
- Listening sockets: ${listening || 'n/a'}.
`;
}
