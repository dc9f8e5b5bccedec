import type { ModelTarget } from './model-target.ts';

/**
 * Per-model counters since start plus a ring of recent latencies for the rolling p95 that the
 * `max_latency_ms` rule and `prefer: fastest` read. The seed's `get_performance_report()`.
 */
const ringSize = 256;

interface ModelStats {
  target: ModelTarget;
  requests: number;
  successes: number;
  failures: number;
  latencyTotalMs: number;
  costTotalUsd: number;
  pricedRequests: number;
  promptTokens: number;
  completionTokens: number;
  ring: Float64Array;
  ringCount: number;
  ringNext: number;
  p95Cache: { at: number; value: number | null };
}

export interface ModelPerformance {
  model: string;
  provider: string;
  requests: number;
  success_rate: number | null;
  avg_latency_ms: number | null;
  p95_latency_ms: number | null;
  avg_cost_usd: number | null;
  total_cost_usd: number;
  prompt_tokens: number;
  completion_tokens: number;
}

export class PerformanceTracker {
  private readonly stats = new Map<string, ModelStats>();

  constructor(private readonly now: () => number = Date.now) {}

  recordSuccess(
    target: ModelTarget,
    latencyMs: number,
    costUsd: number | null,
    promptTokens: number | null,
    completionTokens: number | null,
  ): void {
    const stats = this.entry(target);
    stats.requests += 1;
    stats.successes += 1;
    stats.latencyTotalMs += latencyMs;
    if (costUsd !== null) {
      stats.costTotalUsd += costUsd;
      stats.pricedRequests += 1;
    }
    stats.promptTokens += promptTokens ?? 0;
    stats.completionTokens += completionTokens ?? 0;
    stats.ring[stats.ringNext] = latencyMs;
    stats.ringNext = (stats.ringNext + 1) % ringSize;
    stats.ringCount = Math.min(stats.ringCount + 1, ringSize);
  }

  recordFailure(target: ModelTarget): void {
    const stats = this.entry(target);
    stats.requests += 1;
    stats.failures += 1;
  }

  /** Rolling p95 of recent successful calls; null before any. Recomputed at most once a second. */
  p95LatencyMs(target: ModelTarget): number | null {
    const stats = this.stats.get(`${target.provider}/${target.upstreamModel}`);
    if (!stats || stats.ringCount === 0) {
      return null;
    }
    const now = this.now();
    if (now - stats.p95Cache.at < 1000) {
      return stats.p95Cache.value;
    }
    const values = Array.from(stats.ring.subarray(0, stats.ringCount)).sort((a, b) => a - b);
    const value = values[Math.min(values.length - 1, Math.ceil(values.length * 0.95) - 1)] ?? null;
    stats.p95Cache = { at: now, value };
    return value;
  }

  report(): ModelPerformance[] {
    return [...this.stats.values()].map((stats) => ({
      model: stats.target.name,
      provider: stats.target.provider,
      requests: stats.requests,
      success_rate: stats.requests > 0 ? stats.successes / stats.requests : null,
      avg_latency_ms: stats.successes > 0 ? stats.latencyTotalMs / stats.successes : null,
      p95_latency_ms: this.p95LatencyMs(stats.target),
      avg_cost_usd: stats.pricedRequests > 0 ? stats.costTotalUsd / stats.pricedRequests : null,
      total_cost_usd: stats.costTotalUsd,
      prompt_tokens: stats.promptTokens,
      completion_tokens: stats.completionTokens,
    }));
  }

  private entry(target: ModelTarget): ModelStats {
    const key = `${target.provider}/${target.upstreamModel}`;
    let stats = this.stats.get(key);
    if (!stats) {
      stats = {
        target,
        requests: 0,
        successes: 0,
        failures: 0,
        latencyTotalMs: 0,
        costTotalUsd: 0,
        pricedRequests: 0,
        promptTokens: 0,
        completionTokens: 0,
        ring: new Float64Array(ringSize),
        ringCount: 0,
        ringNext: 0,
        p95Cache: { at: 0, value: null },
      };
      this.stats.set(key, stats);
    }
    return stats;
  }
}
