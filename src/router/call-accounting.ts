import type { GatewayError } from '../errors/index.ts';
import type { GatewayMetrics } from '../metrics/index.ts';
import { ProviderError, type Usage } from '../providers/index.ts';
import { costUsd } from './cost.ts';
import type { ModelTarget } from './model-target.ts';
import type { PerformanceTracker } from './performance-tracker.ts';

/**
 * Per-model accounting of upstream calls: the Prometheus series (latency, tokens, spend) and the
 * in-memory performance report, fed from one place so the two never disagree.
 */
export class CallAccounting {
  constructor(
    private readonly metrics: GatewayMetrics,
    private readonly performance: PerformanceTracker,
  ) {}

  /** A call that returned its whole answer (or its stream reached `finish`). */
  success(target: ModelTarget, latencyMs: number, usage: Usage): void {
    const { metrics } = this;
    const labels = { provider: target.provider, model: target.name };
    metrics.upstreamDuration.observe({ ...labels, outcome: 'success' }, latencyMs / 1000);
    const cost = costUsd(target, usage);
    if (usage.promptTokens !== null) {
      metrics.tokensTotal.inc({ ...labels, type: 'prompt' }, usage.promptTokens);
    }
    if (usage.completionTokens !== null) {
      metrics.tokensTotal.inc({ ...labels, type: 'completion' }, usage.completionTokens);
    }
    if (cost === null) {
      metrics.unpricedTotal.inc(labels);
    } else {
      metrics.costUsdTotal.inc(labels, cost);
    }
    this.performance.recordSuccess(
      target,
      latencyMs,
      cost,
      usage.promptTokens,
      usage.completionTokens,
    );
  }

  failure(target: ModelTarget, error: GatewayError, latencyMs: number): void {
    this.performance.recordFailure(target);
    this.metrics.upstreamDuration.observe(
      {
        provider: target.provider,
        model: target.name,
        outcome: error instanceof ProviderError && error.kind === 'timeout' ? 'timeout' : 'error',
      },
      latencyMs / 1000,
    );
  }

  timeToFirstToken(target: ModelTarget, milliseconds: number | null): void {
    if (milliseconds !== null) {
      this.metrics.timeToFirstToken.observe(
        { provider: target.provider, model: target.name },
        milliseconds / 1000,
      );
    }
  }
}
