import type { RegistryRow } from '../../store/index.ts';
import { textTable } from './text-table.ts';

/** `v2 (openai/ft:…) on route outreach: testing, group B`: a registry row in one line. */
export function describeRegistryRow(row: RegistryRow): string {
  const group = row.ab_test_group ? `, group ${row.ab_test_group}` : '';
  return `${row.model_version} (${row.provider}/${row.model_id}) on route ${row.route}: ${row.status}${row.is_baseline ? ', baseline' : ''}${group}`;
}

/** `rekindle models list`. */
export function formatRegistryRows(rows: readonly RegistryRow[]): string {
  if (rows.length === 0) {
    return 'No registered models.';
  }
  return textTable({
    headers: ['ROUTE', 'VERSION', 'MODEL', 'PROVIDER', 'STATUS', 'TRAFFIC', 'GROUP'],
    rows: rows.map((row) => [
      row.route,
      row.model_version,
      row.model_id,
      row.provider,
      row.is_baseline ? `${row.status} (baseline)` : row.status,
      row.is_baseline ? 'rest' : `${row.traffic_percentage} %`,
      row.ab_test_group ?? '',
    ]),
  });
}

/** `rekindle models report`: the router's per-model statistics of a running gateway. */
export function formatRouterReport(report: Record<string, unknown>): string {
  const models = (Array.isArray(report.models) ? report.models : []) as Array<
    Record<string, number | string | null>
  >;
  if (models.length === 0) {
    return 'No requests routed yet.';
  }
  const number = (value: unknown, digits: number) =>
    typeof value === 'number' ? value.toFixed(digits) : '-';
  return textTable({
    headers: [
      'MODEL',
      'PROVIDER',
      'REQUESTS',
      'SUCCESS',
      'AVG MS',
      'P95 MS',
      'AVG USD',
      'TOKENS IN/OUT',
    ],
    rows: models.map((m) => [
      String(m.model),
      String(m.provider),
      String(m.requests),
      typeof m.success_rate === 'number' ? `${(m.success_rate * 100).toFixed(1)} %` : '-',
      number(m.avg_latency_ms, 0),
      number(m.p95_latency_ms, 0),
      number(m.avg_cost_usd, 6),
      `${m.prompt_tokens}/${m.completion_tokens}`,
    ]),
  });
}
