import type { GatewayMetrics } from '../../metrics/index.ts';
import { type CumulativeBuckets, histogramQuantile } from './histogram-quantile.ts';

/** The gateway right now, over the last minute (or since start when younger). */
export interface LiveReading {
  /** Seconds the figures span (up to the window). */
  readonly window_seconds: number;
  readonly requests_per_second: number | null;
  readonly p95_latency_ms: number | null;
  /** Share of chat completions answered 5xx (as the Grafana error-ratio rule counts). */
  readonly error_share: number | null;
  readonly cost_per_hour_usd: number | null;
  /** Model deployments whose circuit breaker is open or half-open. */
  readonly open_breakers: readonly string[];
}

export interface LiveFigures {
  read(): Promise<LiveReading>;
  start(): void;
  stop(): void;
}

interface Sample {
  readonly at: number;
  readonly requests: number;
  readonly errors: number;
  readonly costUsd: number;
  readonly buckets: CumulativeBuckets;
}

type LiveMetrics = Pick<GatewayMetrics, 'requestsTotal' | 'requestDuration' | 'costUsdTotal'>;

/**
 * Rates from the gateway's own Prometheus registry: a sample of the counters every few seconds,
 * and on each read the difference between now and the oldest sample inside the window — what
 * `rate(…[1m])` would say, with no Prometheus needed. Wall-clock time, whatever clock the gateway
 * stamps messages with.
 */
export function createLiveFigures(options: {
  metrics: LiveMetrics;
  breakers: () => Readonly<Record<string, 'closed' | 'open' | 'half-open'>>;
  clock?: () => number;
  intervalMs?: number;
  windowMs?: number;
}): LiveFigures {
  const clock = options.clock ?? Date.now;
  const intervalMs = options.intervalMs ?? 5_000;
  const windowMs = options.windowMs ?? 60_000;
  const samples: Sample[] = [];
  let timer: NodeJS.Timeout | undefined;

  const record = async (): Promise<Sample> => {
    const sample = await takeSample(options.metrics, clock());
    samples.push(sample);
    while (
      samples.length > 1 &&
      (samples[0]?.at ?? sample.at) < sample.at - windowMs - intervalMs
    ) {
      samples.shift();
    }
    return sample;
  };

  return {
    start() {
      if (timer === undefined) {
        void record();
        timer = setInterval(() => void record(), intervalMs);
        timer.unref();
      }
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
    async read() {
      const now = await takeSample(options.metrics, clock());
      const open = Object.entries(options.breakers())
        .filter(([, state]) => state !== 'closed')
        .map(([key]) => key)
        .sort();
      const before = samples.find((sample) => sample.at >= now.at - windowMs) ?? samples.at(-1);
      const seconds = before === undefined ? 0 : (now.at - before.at) / 1000;
      if (before === undefined || seconds < 1) {
        return emptyReading(open);
      }
      const requests = now.requests - before.requests;
      return {
        window_seconds: Math.round(seconds),
        requests_per_second: requests / seconds,
        p95_latency_ms: scaled(histogramQuantile(0.95, now.buckets, before.buckets), 1000),
        error_share: requests > 0 ? (now.errors - before.errors) / requests : null,
        cost_per_hour_usd: ((now.costUsd - before.costUsd) / seconds) * 3600,
        open_breakers: open,
      };
    },
  };
}

function emptyReading(open: readonly string[]): LiveReading {
  return {
    window_seconds: 0,
    requests_per_second: null,
    p95_latency_ms: null,
    error_share: null,
    cost_per_hour_usd: null,
    open_breakers: open,
  };
}

function scaled(value: number | null, factor: number): number | null {
  return value === null ? null : value * factor;
}

async function takeSample(metrics: LiveMetrics, at: number): Promise<Sample> {
  const [requests, durations, cost] = await Promise.all([
    metrics.requestsTotal.get(),
    metrics.requestDuration.get(),
    metrics.costUsdTotal.get(),
  ]);
  let total = 0;
  let errors = 0;
  for (const entry of requests.values) {
    total += entry.value;
    if (Number(entry.labels.status) >= 500) {
      errors += entry.value;
    }
  }
  const buckets = new Map<number, number>();
  for (const entry of durations.values) {
    // Bucket series carry `le` beside the metric's own labels.
    const { le } = entry.labels as Readonly<Record<string, string | number | undefined>>;
    if (entry.metricName?.endsWith('_bucket') && le !== undefined) {
      const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
      buckets.set(bound, (buckets.get(bound) ?? 0) + entry.value);
    }
  }
  const costUsd = cost.values.reduce((sum, entry) => sum + entry.value, 0);
  return { at, requests: total, errors, costUsd, buckets };
}
