import { Histogram, type Registry, Summary } from 'prom-client';
import type { ObservedQuery } from './observed-queries.ts';
import { labelsInLegend, namesInPromql } from './promql-names.ts';

/** One series name Prometheus can hold, and the labels it may carry. */
interface CatalogEntry {
  /** The metric as defined (`rekindle_request_duration_seconds` for its `_bucket` series). */
  readonly family: string;
  readonly origin: 'metric' | 'recording-rule' | 'prometheus';
  readonly labels: ReadonlySet<string>;
}

/** Series name → entry. */
export type MetricCatalog = ReadonlyMap<string, CatalogEntry>;

/** Labels Prometheus attaches to every scraped series. */
const targetLabels = ['job', 'instance'];

/**
 * The series a prom-client registry exposes (histograms as `_bucket`/`_sum`/`_count`), the
 * recording rules' outputs, and Prometheus's own `up`.
 */
export function metricCatalog(registry: Registry, rules: readonly ObservedQuery[]): MetricCatalog {
  const catalog = new Map<string, CatalogEntry>();
  const add = (name: string, entry: CatalogEntry) => catalog.set(name, entry);
  for (const metric of registry.getMetricsAsArray()) {
    // labelNames is set on every prom-client metric instance but missing from its MetricObject type.
    const defined = (metric as unknown as { labelNames?: readonly string[] }).labelNames ?? [];
    const labels = new Set([...defined, ...targetLabels]);
    const entry = (extra: readonly string[] = []): CatalogEntry => ({
      family: metric.name,
      origin: 'metric',
      labels: new Set([...labels, ...extra]),
    });
    if (metric instanceof Histogram) {
      add(`${metric.name}_bucket`, entry(['le']));
      add(`${metric.name}_sum`, entry());
      add(`${metric.name}_count`, entry());
    } else if (metric instanceof Summary) {
      add(metric.name, entry(['quantile']));
      add(`${metric.name}_sum`, entry());
      add(`${metric.name}_count`, entry());
    } else {
      add(metric.name, entry());
    }
  }
  add('up', { family: 'up', origin: 'prometheus', labels: new Set(targetLabels) });
  // In file order, so a rule built on an earlier rule finds it. Its labels are at most those of the
  // series it reads.
  for (const rule of rules.filter((candidate) => candidate.kind === 'record')) {
    const labels = new Set<string>();
    for (const name of namesInPromql(rule.promql).metrics) {
      for (const label of catalog.get(name)?.labels ?? []) {
        labels.add(label);
      }
    }
    const name = rule.name as string;
    add(name, { family: name, origin: 'recording-rule', labels });
  }
  return catalog;
}

/**
 * Metric names that are not in the catalog, label names (in matchers, `by`/`without`/`on`/
 * `ignoring`/`group_*` lists and the legend) that none of the query's metrics has, and Grafana
 * variables left unsubstituted.
 */
export function nameProblems(query: ObservedQuery, catalog: MetricCatalog): string[] {
  const problems: string[] = [];
  if (query.promql.includes('$') || query.promql.includes('[[')) {
    problems.push(`${query.source}: unresolved variable in ${query.promql}`);
  }
  const names = namesInPromql(query.promql);
  const allowed = new Set(targetLabels);
  for (const metric of names.metrics) {
    const entry = catalog.get(metric);
    if (entry === undefined) {
      problems.push(`${query.source}: unknown metric ${metric}`);
      continue;
    }
    for (const label of entry.labels) {
      allowed.add(label);
    }
  }
  const metricList = [...names.metrics].join(', ');
  for (const label of [...names.labels, ...labelsInLegend(query.legendFormat)]) {
    if (!allowed.has(label)) {
      problems.push(`${query.source}: label ${label} is not a label of ${metricList}`);
    }
  }
  return problems;
}

/** Metric families of origin `metric` that no query reads, except those matching `ignore`. */
export function unusedMetricFamilies(
  catalog: MetricCatalog,
  queries: readonly ObservedQuery[],
  ignore: RegExp,
): string[] {
  const used = new Set<string>();
  for (const query of queries) {
    for (const metric of namesInPromql(query.promql).metrics) {
      const family = catalog.get(metric)?.family;
      if (family !== undefined) {
        used.add(family);
      }
    }
  }
  const families = new Set(
    [...catalog.values()].filter((entry) => entry.origin === 'metric').map((e) => e.family),
  );
  return [...families].filter((family) => !used.has(family) && !ignore.test(family)).sort();
}
