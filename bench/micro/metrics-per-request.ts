/**
 * The metrics a served chat completion records, in isolation: call accounting (upstream latency,
 * tokens, cost, performance report), the request counter and duration, and the tracked-message
 * counter. Prints CPU µs per request (process.cpuUsage, median of 7 runs of 50 000), then scrapes
 * once so the figures include what a scrape adds. `node --import tsx bench/micro/metrics-per-request.ts`
 */
import { createMetrics } from '../../src/metrics/index.ts';
import { CallAccounting } from '../../src/router/call-accounting.ts';
import type { ModelTarget } from '../../src/router/index.ts';
import { PerformanceTracker } from '../../src/router/performance-tracker.ts';

const metrics = createMetrics({ defaultMetrics: false });
const accounting = new CallAccounting(metrics, new PerformanceTracker());
const target = {
  name: 'bench-model-a',
  provider: 'bench',
  upstreamModel: 'bench-model-a',
  pricing: { input: 0.15, output: 0.6 },
  contextWindow: 128_000,
} as unknown as ModelTarget;
const usage = { promptTokens: 42, completionTokens: 96, cachedPromptTokens: null };

// What request-metrics.ts and chat-completions.ts do per request (kept in step with them).
function countRequest(variant: string): void {
  const labels = { route: 'outreach', model: target.name, provider: target.provider, variant };
  metrics.pending.requests.add(`outreach\u0000${target.name}\u0000bench\u0000${variant}\u0000200`, {
    ...labels,
    status: '200',
  });
}

function countMessage(): void {
  metrics.pending.messagesSent.add('outreach\u0000v1-baseline', {
    route: 'outreach',
    model_version: 'v1-baseline',
  });
}

function oneRequest(index: number): void {
  accounting.success(target, 3 + (index % 7), usage);
  countRequest(index % 10 === 0 ? 'variant-a' : 'baseline');
  metrics.requestDuration.observe({ route: 'outreach', stream: 'false', status: '200' }, 0.004);
  countMessage();
}

const perRun = 50_000;
const runs: number[] = [];
for (let run = 0; run < 7; run++) {
  const before = process.cpuUsage();
  for (let index = 0; index < perRun; index++) {
    oneRequest(index);
  }
  const used = process.cpuUsage(before);
  await metrics.registry.metrics();
  runs.push((used.user + used.system) / perRun);
}
runs.sort((a, b) => a - b);
const scrapeBefore = process.cpuUsage();
const text = await metrics.registry.metrics();
const scrape = process.cpuUsage(scrapeBefore);
process.stdout.write(
  `metrics per request: ${runs[3]?.toFixed(2)} µs CPU (runs ${runs.map((v) => v.toFixed(2)).join(' ')}); one scrape ${((scrape.user + scrape.system) / 1000).toFixed(2)} ms\n`,
);
const tokens = text.split('\n').filter((line) => line.startsWith('rekindle_tokens_total{'));
process.stdout.write(`${tokens.join('\n')}\n`);
