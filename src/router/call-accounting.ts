import type { GatewayError } from '../errors/index.ts';
import type { GatewayMetrics, PendingCell } from '../metrics/index.ts';
import { ProviderError, type Usage } from '../providers/index.ts';
import { costUsd } from './cost.ts';
import type { ModelTarget } from './model-target.ts';
import type { PerformanceTracker } from './performance-tracker.ts';

/** A target's label objects and counter cells, made on its first call. */
interface TargetSeries {
  readonly success: { provider: string; model: string; outcome: 'success' };
  readonly promptTokens: PendingCell;
  readonly completionTokens: PendingCell;
  readonly cost: PendingCell;
  readonly unpriced: PendingCell;
}

/**
 * Per-model accounting of upstream calls: the Prometheus series (latency, tokens, spend) and the
 * in-memory performance report, fed from one place so the two never disagree.
 */
export class CallAccounting {
  /** By target object: the catalog and registry snapshot hand out the same object per target. */
  readonly #series = new WeakMap<ModelTarget, TargetSeries>();

  constructor(
    private readonly metrics: GatewayMetrics,
    private readonly performance: PerformanceTracker,
  ) {}

  /** A call that returned its whole answer (or its stream reached `finish`). */
  success(target: ModelTarget, latencyMs: number, usage: Usage): void {
    const series = this.#seriesOf(target);
    this.metrics.upstreamDuration.observe(series.success, latencyMs / 1000);
    const cost = costUsd(target, usage);
    if (usage.promptTokens !== null) {
      series.promptTokens.add(usage.promptTokens);
    }
    if (usage.completionTokens !== null) {
      series.completionTokens.add(usage.completionTokens);
    }
    if (cost === null) {
      series.unpriced.add(1);
    } else {
      series.cost.add(cost);
    }
    this.performance.recordSuccess(
      target,
      latencyMs,
      cost,
      usage.promptTokens,
      usage.completionTokens,
    );
  }

  #seriesOf(target: ModelTarget): TargetSeries {
    let series = this.#series.get(target);
    if (series === undefined) {
      const { pending } = this.metrics;
      const labels = { provider: target.provider, model: target.name };
      // Keyed by the label values: two target objects of one deployment share their cells.
      const key = `${target.provider}\u0000${target.name}`;
      series = {
        success: { ...labels, outcome: 'success' },
        promptTokens: pending.tokens.cell(`${key}\u0000prompt`, { ...labels, type: 'prompt' }),
        completionTokens: pending.tokens.cell(`${key}\u0000completion`, {
          ...labels,
          type: 'completion',
        }),
        cost: pending.cost.cell(key, labels),
        unpriced: pending.unpriced.cell(key, labels),
      };
      this.#series.set(target, series);
    }
    return series;
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
