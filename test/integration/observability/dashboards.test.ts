import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/metrics/index.ts';
import { metricCatalog, nameProblems, unusedMetricFamilies } from './metric-catalog.ts';
import {
  allPanels,
  dashboardQueries,
  datasourceVariableReference,
  type GrafanaPanel,
  loadDashboards,
  ruleQueries,
} from './observed-queries.ts';
import { experimentRateGauge } from './sample-metrics-server.ts';

const dashboards = loadDashboards();
const rules = ruleQueries();
const queries = dashboardQueries(dashboards);

function catalog() {
  const { registry } = createMetrics();
  experimentRateGauge(registry);
  return metricCatalog(registry, rules);
}

describe('Grafana dashboards', () => {
  it('ships the overview and rollout dashboards with distinct uids', () => {
    expect(dashboards.map((loaded) => loaded.file)).toEqual(
      expect.arrayContaining(['gateway-overview.json', 'rollout.json']),
    );
    const uids = dashboards.map((loaded) => loaded.dashboard.uid);
    expect(uids.every((uid) => typeof uid === 'string' && uid.length > 0)).toBe(true);
    expect(new Set(uids).size).toBe(uids.length);
  });

  for (const { file, dashboard } of dashboards) {
    describe(file, () => {
      const panels = allPanels(dashboard);
      const contentPanels = panels.filter((panel) => panel.type !== 'row');

      it('is a schema 39 dashboard with a templated Prometheus data source', () => {
        expect(dashboard.schemaVersion).toBe(39);
        expect(dashboard.title).toMatch(/^Rekindle Gateway/);
        const datasource = dashboard.templating?.list?.find((v) => v.name === 'datasource');
        expect(datasource).toMatchObject({ type: 'datasource', query: 'prometheus' });
      });

      it('uses only timeseries and stat panels, each on the datasource variable with PromQL targets', () => {
        expect(contentPanels.length).toBeGreaterThan(5);
        for (const panel of contentPanels) {
          expect(['timeseries', 'stat'], panel.title).toContain(panel.type);
          expect(panel.title, `panel ${panel.id}`).toBeTruthy();
          expect(panel.datasource, panel.title).toEqual(datasourceVariableReference);
          const targets = panel.targets ?? [];
          expect(targets.length, panel.title).toBeGreaterThan(0);
          expect(new Set(targets.map((t) => t.refId)).size, panel.title).toBe(targets.length);
          for (const target of targets) {
            expect(target.datasource, panel.title).toEqual(panel.datasource);
            expect(target.expr?.trim(), panel.title).toBeTruthy();
          }
        }
      });

      it('has unique panel ids and a grid without overlaps', () => {
        const ids = panels.map((panel) => panel.id);
        expect(new Set(ids).size).toBe(ids.length);
        const cells = new Map<string, string>();
        for (const panel of panels) {
          const { x, y, w, h } = panel.gridPos as NonNullable<GrafanaPanel['gridPos']>;
          expect([x, y, w, h].every(Number.isInteger), panel.title).toBe(true);
          expect(x >= 0 && w > 0 && x + w <= 24 && h > 0, panel.title).toBe(true);
          for (let row = y; row < y + h; row += 1) {
            for (let column = x; column < x + w; column += 1) {
              const taken = cells.get(`${row}:${column}`);
              expect(taken, `${panel.title} overlaps ${taken}`).toBeUndefined();
              cells.set(`${row}:${column}`, panel.title ?? '');
            }
          }
        }
      });
    });
  }

  it('refers only to metrics and labels defined in src/metrics (and the recording rules)', () => {
    const known = catalog();
    const problems = [...queries, ...rules].flatMap((query) => nameProblems(query, known));
    expect(problems).toEqual([]);
  });

  it('shows every gateway metric on some panel', () => {
    expect(unusedMetricFamilies(catalog(), queries, /^rekindle_process_/)).toEqual([]);
  });

  it('has the panels the issues ask for', () => {
    const overview = queries.filter((q) => q.source.startsWith('gateway-overview.json'));
    const rollout = queries.filter((q) => q.source.startsWith('rollout.json'));
    const exprs = (list: typeof queries) => list.map((query) => query.expr).join('\n');
    expect(exprs(overview)).toContain('sum by (model) (rate(rekindle_cost_usd_total[1h])) * 3600');
    for (const quantile of ['0.50', '0.95', '0.99']) {
      expect(exprs(overview)).toContain(
        `histogram_quantile(${quantile}, sum by (le) (rate(rekindle_request_duration_seconds_bucket`,
      );
    }
    expect(exprs(overview)).toContain('rekindle_time_to_first_token_seconds_bucket');
    // Reply, meeting and close rates: outcome events over messages sent, by model version.
    for (const event of ['replied', 'meeting_booked', 'deal_closed']) {
      expect(exprs(rollout)).toMatch(
        new RegExp(
          `sum by \\(model_version\\) \\(increase\\(rekindle_outcomes_total\\{[^}]*event="${event}"[^}]*\\}\\[[^\\]]+\\]\\)\\)\\s*/\\s*sum by \\(model_version\\) \\(increase\\(rekindle_messages_sent_total`,
        ),
      );
    }
    expect(exprs(rollout)).toContain('rekindle_model_traffic_ratio');
    expect(exprs(rollout)).toMatch(/max by \(model_version, bound\) \(rekindle_experiment_rate\{/);
  });
});
