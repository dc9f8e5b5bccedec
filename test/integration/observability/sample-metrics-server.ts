import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Gauge, type Registry } from 'prom-client';
import { createMetrics, type GatewayMetrics } from '../../../src/metrics/index.ts';

/**
 * The gateway's real metric definitions (`createMetrics()`) with a sample of every metric recorded,
 * served on /metrics by a plain node:http server, so Prometheus holds series with exactly the
 * names and labels the gateway exports. It stands in for a gateway under traffic until the
 * end-to-end test runs the real one.
 */
export interface SampleMetricsServer {
  /** `127.0.0.1:PORT`, a Prometheus scrape target. */
  readonly target: string;
  readonly registry: Registry;
  /** Records one round of sample values on every metric. */
  recordTraffic(): void;
  close(): Promise<void>;
}

/**
 * `rekindle_experiment_rate{route,model_version,metric,bound}`: the experiment engine's estimates
 * (bound = point | lower | upper). Proposed for src/metrics/gateway-metrics.ts; registered here
 * only while that file does not define it yet.
 */
export function experimentRateGauge(registry: Registry) {
  const name = 'rekindle_experiment_rate';
  const labelNames = ['route', 'model_version', 'metric', 'bound'] as const;
  const existing = registry.getSingleMetric(name);
  if (existing !== undefined) {
    return existing as Gauge<(typeof labelNames)[number]>;
  }
  return new Gauge({
    name,
    help: 'Experiment estimates by route, model version and metric: point estimate and 95 % interval bounds (0–1).',
    labelNames,
    registers: [registry],
  });
}

export async function startSampleMetricsServer(
  options: { bearerToken?: string } = {},
): Promise<SampleMetricsServer> {
  const metrics = createMetrics();
  const experimentRate = experimentRateGauge(metrics.registry);
  let round = 0;
  const server = createServer((request, response) => {
    const authorized =
      options.bearerToken === undefined ||
      request.headers.authorization === `Bearer ${options.bearerToken}`;
    if (request.url !== '/metrics' || !authorized) {
      response.writeHead(authorized ? 404 : 401).end();
      return;
    }
    metrics.registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    target: `127.0.0.1:${port}`,
    registry: metrics.registry,
    recordTraffic() {
      round += 1;
      recordSampleTraffic(metrics, experimentRate, round);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const routes = ['outreach', 'sentiment'] as const;
const versions = ['v1.0.0', 'v1.1.0'] as const;
const models = [
  { model: 'gpt-4o', provider: 'openai', variant: 'baseline' },
  {
    model: 'meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo',
    provider: 'together',
    variant: 'variant',
  },
] as const;

/**
 * Label values follow the conventions in docs/observability.md: status is the HTTP status as text,
 * stream "true"/"false", outcome success | error | timeout, token type prompt | completion, outcome
 * events are outcome_labels flag names, automatic "true"/"false".
 */
function recordSampleTraffic(
  metrics: GatewayMetrics,
  experimentRate: ReturnType<typeof experimentRateGauge>,
  round: number,
): void {
  for (const route of routes) {
    for (const { model, provider, variant } of models) {
      for (const [status, count] of [
        ['200', 20],
        ['429', 2],
        ['502', 1],
      ] as const) {
        metrics.requestsTotal.inc({ route, model, provider, variant, status }, count);
        for (const stream of ['true', 'false'] as const) {
          metrics.requestDuration.observe({ route, stream, status }, 0.2 * count + round);
        }
      }
      for (const outcome of ['success', 'error', 'timeout'] as const) {
        metrics.upstreamDuration.observe({ provider, model, outcome }, 0.5 + round / 10);
      }
      metrics.timeToFirstToken.observe({ provider, model }, 0.3 + round / 20);
      metrics.tokensTotal.inc({ model, provider, type: 'prompt' }, 400 * round);
      metrics.tokensTotal.inc({ model, provider, type: 'completion' }, 150 * round);
      metrics.costUsdTotal.inc({ model, provider }, 0.002 * round);
      metrics.unpricedTotal.inc({ model, provider });
      metrics.retriesTotal.inc({ route, model, reason: '502' });
      metrics.circuitOpen.set({ model }, model === 'gpt-4o' ? 1 : 0);
    }
    metrics.fallbacksTotal.inc({
      route,
      from_model: 'gpt-4o',
      to_model: 'meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo',
      reason: 'timeout',
    });
    versions.forEach((model_version, index) => {
      metrics.modelTrafficRatio.set({ route, model_version }, index === 0 ? 0.9 : 0.1);
      metrics.messagesSentTotal.inc({ route, model_version }, index === 0 ? 90 : 10);
      for (const [event, perRound] of [
        ['delivered', 80],
        ['opened', 40],
        ['clicked', 10],
        ['replied', 12],
        ['meeting_booked', 4],
        ['deal_closed', 1],
        ['bounced', 2],
      ] as const) {
        metrics.outcomesTotal.inc({ route, model_version, event }, perRound + index);
      }
      for (const metric of ['reply_rate', 'meeting_rate', 'close_rate'] as const) {
        const point = 0.1 + index / 50;
        experimentRate.set({ route, model_version, metric, bound: 'point' }, point);
        experimentRate.set({ route, model_version, metric, bound: 'lower' }, point - 0.02);
        experimentRate.set({ route, model_version, metric, bound: 'upper' }, point + 0.02);
      }
    });
    metrics.rolloutActionsTotal.inc({ route, action: 'deploy', automatic: 'false' });
    metrics.rolloutActionsTotal.inc({ route, action: 'rollback', automatic: 'true' });
  }
  metrics.trackingDroppedTotal.inc();
  metrics.trackingBufferSize.set(3 * round);
  metrics.deadLettersTotal.inc({ source: 'tracking' });
  metrics.deadLettersTotal.inc({ source: 'sendgrid' }, 2);
  metrics.trackingJournalErrorsTotal.inc();
  metrics.trackingJournalReplayedTotal.inc(round);
  metrics.rateLimitedTotal.inc(2);
  metrics.authFailuresTotal.inc({ scope: 'tenant' });
  metrics.authFailuresTotal.inc({ scope: 'admin' });
  for (const [source, event, result] of [
    ['sendgrid', 'delivered', 'applied'],
    ['sendgrid', 'open', 'duplicate'],
    ['sendgrid', 'unknown', 'rejected'],
    ['crm', 'deal.closed', 'applied'],
    ['crm', 'meeting.booked', 'unmatched'],
    ['hubspot', 'deal.updated', 'ignored'],
  ] as const) {
    metrics.webhookEventsTotal.inc({ source, event, result }, 5);
  }
  for (const [status, count] of [
    ['running', 1],
    ['succeeded', 2],
    ['failed', round],
  ] as const) {
    metrics.trainingRuns.set({ status }, count);
  }
}
