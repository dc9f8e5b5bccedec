import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { prometheusService, startPrometheusServer } from '../../helpers/prometheus-server.ts';
import { describeWithServices } from '../../helpers/services.ts';
import {
  checkDashboardsAgainst,
  observeTraffic,
  scrapeAndCheckDashboards,
} from './check-dashboards-against.ts';
import {
  dashboardQueries,
  datasourceVariableReference,
  loadDashboards,
  ruleQueries,
} from './observed-queries.ts';
import { type SampleMetricsServer, startSampleMetricsServer } from './sample-metrics-server.ts';

const metricsToken = 'test-metrics-token';

describeWithServices(
  [prometheusService()],
  'dashboards and rules against a real Prometheus',
  () => {
    let sample: SampleMetricsServer;
    const temporaryDirectories: string[] = [];

    beforeAll(async () => {
      sample = await startSampleMetricsServer({ bearerToken: metricsToken });
    });

    afterAll(async () => {
      await sample?.close();
      for (const directory of temporaryDirectories) {
        rmSync(directory, { recursive: true, force: true });
      }
    });

    it('every panel, variable, annotation and rule expression parses, and every panel has data', async () => {
      const report = await scrapeAndCheckDashboards({
        targets: [sample.target],
        bearerToken: metricsToken,
        traffic: () => sample.recordTraffic(),
        expectData: true,
      });
      expect(report.failures).toEqual([]);
      const expected = dashboardQueries(loadDashboards()).length + ruleQueries().length;
      expect(report.checked).toHaveLength(expected);
      const panels = report.checked.filter((check) => check.query.kind === 'panel');
      expect(panels.length).toBeGreaterThan(40);
      expect(panels.every((check) => (check.seriesCount ?? 0) > 0)).toBe(true);
    }, 60_000);

    it('reports parse errors, queries without data, wrong legends and rules Prometheus did not load', async () => {
      const directory = mkdtempSync(join(tmpdir(), 'rekindle-dashboards-'));
      temporaryDirectories.push(directory);
      const target = (refId: string, expr: string, legendFormat: string) => ({
        refId,
        expr,
        legendFormat,
        datasource: datasourceVariableReference,
      });
      writeFileSync(
        join(directory, 'broken.json'),
        JSON.stringify({
          uid: 'broken',
          schemaVersion: 39,
          templating: { list: [{ name: 'route', type: 'custom' }] },
          panels: [
            {
              id: 1,
              type: 'timeseries',
              title: 'Broken',
              targets: [
                target('A', 'sum(rate(rekindle_requests_total[5m])', ''),
                target(
                  'B',
                  'sum(rate(rekindle_request_total{route=~"$route"}[$__rate_interval]))',
                  '',
                ),
                target('C', 'sum by (route) (rate(rekindle_requests_total[1m]))', '{{model}}'),
                target('D', 'sum by (route) (rate(rekindle_requests_total[1m]))', '{{route}}'),
              ],
            },
          ],
        }),
      );
      // A Prometheus without the rule files: the checker must notice that the rules are missing.
      const prometheus = await startPrometheusServer({
        targets: [sample.target],
        bearerToken: metricsToken,
      });
      try {
        await observeTraffic(prometheus, () => sample.recordTraffic(), 2);
        const withData = await checkDashboardsAgainst(prometheus, {
          expectData: true,
          dashboardsDirectory: directory,
        });
        const failures = withData.failures.join('\n');
        expect(failures).toMatch(/broken\.json › Broken \[A\]: bad_data: .*parse error/);
        expect(failures).toContain(
          'broken.json › Broken [B]: no data for sum(rate(rekindle_request_total{route=~".+"}[1m]))',
        );
        expect(failures).toContain('broken.json › Broken [C]: legend uses {{model}}');
        expect(failures).not.toContain('Broken [D]');
        expect(failures).toContain(
          'rekindle-alerts.yml › alert RekindleHighErrorRate: not loaded by Prometheus',
        );

        // An allowed-empty panel is not reported for lack of data.
        const allowing = await checkDashboardsAgainst(prometheus, {
          expectData: true,
          allowEmpty: [/› Broken \[B\]$/],
          dashboardsDirectory: directory,
        });
        expect(allowing.failures.join('\n')).not.toContain('Broken [B]');
        expect(allowing.failures.join('\n')).toContain('Broken [C]');

        // Without expecting data only the syntax error (and the missing rules) remain.
        const syntaxOnly = await checkDashboardsAgainst(prometheus, {
          expectData: false,
          dashboardsDirectory: directory,
        });
        const dashboardFailures = syntaxOnly.failures.filter((f) => f.startsWith('broken.json'));
        expect(dashboardFailures).toHaveLength(1);
        expect(dashboardFailures[0]).toMatch(/Broken \[A\]: bad_data/);
      } finally {
        await prometheus.stop();
      }
    }, 60_000);
  },
);
