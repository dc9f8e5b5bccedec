import type { GatewayMetrics } from '../../../metrics/index.ts';
import {
  estimateRate,
  type RateMetricName,
  type RouteAggregates,
  rateMetrics,
} from '../decision/index.ts';

/** Rates exported per version: the goal metrics, then the guardrails the automation acts on. */
const gaugedMetrics: readonly RateMetricName[] = [
  'reply_rate',
  'meeting_rate',
  'close_rate',
  'positive_reply_rate',
  'negative_sentiment_rate',
  'bounce_rate',
  'spam_rate',
  'unsubscribe_rate',
];

type Labels = { route: string; model_version: string; metric: string; bound: string };

/**
 * `rekindle_experiment_rate{route,model_version,metric,bound}`: the point estimate and its 95 %
 * Wilson bounds (bound = point | lower | upper) for every arm of a route, over matured cohorts.
 * Series of versions that left the experiment (or metrics without data) are removed, so Grafana
 * never shows a stale rate as current.
 */
export class ExperimentGauges {
  readonly #gauge: GatewayMetrics['experimentRate'];
  readonly #current = new Map<string, Map<string, Labels>>();

  constructor(metrics: Pick<GatewayMetrics, 'experimentRate'>) {
    this.#gauge = metrics.experimentRate;
  }

  update(aggregates: RouteAggregates): void {
    const next = new Map<string, Labels>();
    for (const arm of aggregates.arms) {
      for (const name of gaugedMetrics) {
        const spec = rateMetrics.find((metric) => metric.name === name);
        const estimate = spec ? estimateRate(spec, arm) : null;
        if (!estimate || estimate.value === null || estimate.interval === null) {
          continue;
        }
        const values = {
          point: estimate.value,
          lower: estimate.interval.lower,
          upper: estimate.interval.upper,
        };
        for (const [bound, value] of Object.entries(values)) {
          const labels = {
            route: aggregates.route,
            model_version: arm.modelVersion,
            metric: name,
            bound,
          };
          this.#gauge.set(labels, value);
          next.set(`${arm.modelVersion}\u0000${name}\u0000${bound}`, labels);
        }
      }
    }
    this.#removeMissing(aggregates.route, next);
    this.#current.set(aggregates.route, next);
  }

  /** Drops every series of routes that no longer run an experiment. */
  retain(routes: ReadonlySet<string>): void {
    for (const route of [...this.#current.keys()]) {
      if (!routes.has(route)) {
        this.#removeMissing(route, new Map());
        this.#current.delete(route);
      }
    }
  }

  #removeMissing(route: string, next: ReadonlyMap<string, Labels>): void {
    for (const [key, labels] of this.#current.get(route) ?? []) {
      if (!next.has(key)) {
        this.#gauge.remove(labels);
      }
    }
  }
}
