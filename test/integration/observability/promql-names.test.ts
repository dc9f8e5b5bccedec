import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/metrics/index.ts';
import { metricCatalog, nameProblems, unusedMetricFamilies } from './metric-catalog.ts';
import {
  type ObservedQuery,
  substituteVariables,
  variableQueryAsPromql,
} from './observed-queries.ts';
import { labelsInLegend, namesInPromql } from './promql-names.ts';

const panel = (promql: string, legendFormat?: string): ObservedQuery => ({
  source: 'test.json › panel [A]',
  kind: 'panel',
  expr: promql,
  promql,
  ...(legendFormat === undefined ? {} : { legendFormat }),
});

describe('namesInPromql', () => {
  it('separates metric names from functions, keywords, label lists, matchers and durations', () => {
    const names = namesInPromql(`
      sum by (route, model_version) (increase(rekindle_outcomes_total{route=~"out.*", event="replied"}[7d]))
        / ignoring (event) group_left () sum without (instance) (rate(rekindle_messages_sent_total[5m] offset 1h))
        > on (route) bool 0.05 or vector(0) unless histogram_quantile(0.95, rekindle_x_bucket) # by (comment)
    `);
    expect([...names.metrics].sort()).toEqual([
      'rekindle_messages_sent_total',
      'rekindle_outcomes_total',
      'rekindle_x_bucket',
    ]);
    expect([...names.labels].sort()).toEqual(['event', 'instance', 'model_version', 'route']);
  });

  it('reads recording rule names with colons and aggregations written after their body', () => {
    const names = namesInPromql('sum(route:rekindle_requests:rate5m{route!="x"}) by (route)');
    expect([...names.metrics]).toEqual(['route:rekindle_requests:rate5m']);
    expect([...names.labels].sort()).toEqual(['route']);
  });

  it('reads legend labels', () => {
    expect(labelsInLegend('{{route}} · {{ model_version }} p95')).toEqual([
      'route',
      'model_version',
    ]);
    expect(labelsInLegend(undefined)).toEqual([]);
  });
});

describe('Grafana variables', () => {
  it('substitutes built-ins and dashboard variables, leaving unknown ones for the report', () => {
    expect(
      substituteVariables(
        'rate(x{route=~"$route", m=~"${metric:regex}"}[$__rate_interval]) $nope',
        ['route', 'metric'],
      ),
    ).toBe('rate(x{route=~".+", m=~".+"}[1m]) $nope');
    expect(substituteVariables('increase(x[$__range])', [])).toBe('increase(x[1h])');
  });

  it('turns label_values() into PromQL', () => {
    expect(variableQueryAsPromql('label_values(rekindle_requests_total, route)')).toBe(
      'count by (route) (rekindle_requests_total)',
    );
    expect(() => variableQueryAsPromql('query_result(up)')).toThrow(/unsupported/);
  });
});

describe('nameProblems', () => {
  const catalog = metricCatalog(createMetrics().registry, [
    {
      source: 'rules.yml › record route:rekindle_requests:rate5m',
      kind: 'record',
      name: 'route:rekindle_requests:rate5m',
      expr: 'sum by (route) (rate(rekindle_requests_total[5m]))',
      promql: 'sum by (route) (rate(rekindle_requests_total[5m]))',
    },
  ]);

  it('accepts defined metrics, histogram series, recording rules and target labels', () => {
    expect(
      nameProblems(
        panel(
          'histogram_quantile(0.9, sum by (le, route) (rate(rekindle_request_duration_seconds_bucket[1m]))) + on (route) route:rekindle_requests:rate5m',
          '{{route}} {{instance}}',
        ),
        catalog,
      ),
    ).toEqual([]);
  });

  it('reports a misspelt metric, a label the metric lacks, a bad legend and a leftover variable', () => {
    expect(nameProblems(panel('rate(rekindle_request_total[1m])'), catalog)).toEqual([
      'test.json › panel [A]: unknown metric rekindle_request_total',
    ]);
    expect(
      nameProblems(panel('sum by (modle) (rate(rekindle_cost_usd_total{route="x"}[1h]))'), catalog),
    ).toEqual([
      'test.json › panel [A]: label modle is not a label of rekindle_cost_usd_total',
      'test.json › panel [A]: label route is not a label of rekindle_cost_usd_total',
    ]);
    expect(nameProblems(panel('rekindle_circuit_open', '{{route}}'), catalog)).toEqual([
      'test.json › panel [A]: label route is not a label of rekindle_circuit_open',
    ]);
    expect(nameProblems(panel('rekindle_circuit_open{model=~"$model"}'), catalog)[0]).toMatch(
      /unresolved variable/,
    );
  });

  it('lists metric families no query reads', () => {
    expect(
      unusedMetricFamilies(catalog, [panel('rekindle_circuit_open')], /^rekindle_process_/),
    ).toContain('rekindle_requests_total');
    expect(
      unusedMetricFamilies(catalog, [panel('rekindle_circuit_open')], /^rekindle_process_/),
    ).not.toContain('rekindle_circuit_open');
  });
});
