/**
 * The HTML report: one self-contained file (inline CSS and SVG, no script, no CDN) with the
 * decision, three charts — reply rate by version over time, traffic split, cost per meeting — and
 * the tables of the text output, plus what each version wrote.
 */
import { statistics } from '../../../pipeline/index.ts';
import { formatDecisionTable, numericColumns, type TableData } from '../../format/index.ts';
import { demoWindows } from '../demo-settings.ts';
import type { DemoReport } from './collect-demo-report.ts';
import {
  flywheelTable,
  leaderboardTable,
  outcomeProgressTable,
  registryTable,
  trainingTable,
  verdictLine,
} from './demo-tables.ts';
import { barChart, escapeHtml, type LineSeries, lineChart, stackedBarChart } from './svg-charts.ts';

const palette = ['#6b7280', '#2563eb', '#16a34a', '#d97706', '#9333ea', '#dc2626'];

/** Weeks with fewer messages of a version than this get no reply-rate point (too noisy). */
const minimumWeeklyMessages = 30;

export function renderHtmlReport(report: DemoReport): string {
  const versions = [...new Set(report.weekly.map((row) => row.model_version))];
  const color = (version: string) =>
    palette[versions.indexOf(version) % palette.length] ?? '#111827';
  const charts = [
    replyRateChart(report, versions, color),
    trafficChart(report, versions, color),
    costChart(report, color),
  ];
  const { experiment } = report;
  const verdict = verdictLine(report);
  const promoted = experiment.action === 'promoted';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rekindle demo report — ${escapeHtml(verdict)}</title>
<style>
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111827; margin: 0; background: #f9fafb; }
main { max-width: 1100px; margin: 0 auto; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 32px 0 8px; }
.verdict { font-size: 18px; font-weight: 600; padding: 12px 16px; border-radius: 8px; margin: 16px 0; }
.verdict.promoted { background: #dcfce7; color: #14532d; } .verdict.other { background: #fef3c7; color: #78350f; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; } .charts svg { background: #fff; border: 1px solid #e5e7eb; border-radius: 8px; width: calc(50% - 10px); min-width: 320px; height: auto; }
table { border-collapse: collapse; background: #fff; font-size: 13px; margin: 8px 0; } th, td { padding: 4px 10px; border-bottom: 1px solid #e5e7eb; text-align: left; white-space: nowrap; } td.number { text-align: right; font-variant-numeric: tabular-nums; }
pre { background: #fff; border: 1px solid #e5e7eb; border-radius: 8px; padding: 12px; overflow-x: auto; font-size: 12px; }
.note { color: #4b5563; } .examples { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 12px; }
.example { background: #fff; border: 1px solid #e5e7eb; border-radius: 8px; padding: 12px; } .example pre { border: 0; padding: 0; white-space: pre-wrap; }
</style>
</head>
<body>
<main>
<h1>Rekindle demo — the learning loop, end to end</h1>
<p class="note">Seed ${report.settings.seed}, variant lift “${escapeHtml(report.settings.variantLift)}”, ${report.settings.leadsPerWeek} leads a week, ${experiment.variant} on ${report.settings.variantShare} % of route <code>outreach</code>. Simulated data: local stand-ins for OpenAI, Together, SendGrid and a CRM; the gateway, store, training orchestrator and decision engine are the real ones. Generated ${escapeHtml(report.generated_at)} in ${(report.duration_ms / 1000).toFixed(0)} s.</p>
<div class="verdict ${promoted ? 'promoted' : 'other'}" id="verdict">${escapeHtml(verdict)}</div>
<p>${escapeHtml((experiment.evaluation.variants[0]?.reasons ?? experiment.evaluation.reasons).join(' · '))}</p>
<h2>Charts</h2>
<div class="charts">${charts.join('\n')}</div>
<h2>Model comparison (leaderboard at the last look)</h2>
${htmlTable(leaderboardTable(experiment.leaderboard.rows))}
<pre>${escapeHtml(formatDecisionTable(experiment.evaluation))}</pre>
<h2>Weekly looks</h2>
${htmlTable({
  headers: [
    'Week',
    'Decision',
    'Reply lift',
    'Reply bound',
    'Close lift',
    'Close bound',
    'Variant msgs',
    'Why',
  ],
  rows: experiment.looks.map((look) => [
    `W${look.week}`,
    look.decision,
    percent(look.replyLift.lift),
    percent(look.replyLift.lowerBound),
    percent(look.closeLift.lift),
    percent(look.closeLift.lowerBound),
    String(look.variantMessages),
    look.decision === 'promote' ? '' : look.reason,
  ]),
})}
<h2>Outcome progress</h2>
${htmlTable(outcomeProgressTable(report))}
<h2>Training runs</h2>
${htmlTable(trainingTable(report.runs))}
<h2>Flywheel weekly metrics (<code>flywheel_weekly</code>)</h2>
${htmlTable(flywheelTable(report))}
<h2>What each version writes</h2>
<div class="examples">${report.examples
    .map(
      (example) =>
        `<div class="example"><strong>${escapeHtml(example.modelVersion)}</strong> <span class="note">${escapeHtml(example.model)}</span><pre>Subject: ${escapeHtml(example.subject ?? '')}\n\n${escapeHtml(example.body)}</pre></div>`,
    )
    .join('')}</div>
<h2>Registry and audit trail</h2>
${htmlTable(registryTable(report))}
${htmlTable({
  headers: ['When (database clock)', 'Version', 'Action', 'Actor', 'Reason'],
  rows: report.rollout_events.map((event) => [
    event.created_at,
    event.model_version ?? '',
    event.action,
    event.actor ?? '',
    (event.reason ?? '').slice(0, 160),
  ]),
})}
<p class="note">Outcome windows: reply ${demoWindows.reply} days, meeting ${demoWindows.meeting}, close ${demoWindows.close}. Webhooks delivered: ${report.webhooks_delivered.sendgrid} SendGrid events (ECDSA-signed), ${report.webhooks_delivered.crm} CRM events (Standard Webhooks), ${report.webhooks_delivered.replies} replies through the tracking API.</p>
</main>
</body>
</html>
`;
}

function replyRateChart(
  report: DemoReport,
  versions: readonly string[],
  color: (version: string) => string,
): string {
  const weeks = report.weeks.filter((week) => week.reply_window_closed);
  const series: LineSeries[] = versions.map((version) => ({
    name: version,
    color: color(version),
    points: weeks.map((week) => {
      const row = report.weekly.find(
        (candidate) => candidate.week === week.index && candidate.model_version === version,
      );
      if (!row || row.messages < minimumWeeklyMessages) {
        return null;
      }
      const interval = statistics.wilsonInterval(row.replies, row.messages);
      return { y: row.replies / row.messages, low: interval.lower, high: interval.upper };
    }),
  }));
  return lineChart({
    id: 'reply-rate',
    title: `Reply rate by version, per week of sending (${demoWindows.reply}-day window closed)`,
    xLabels: weeks.map((week) => week.label),
    series: series.filter((entry) => entry.points.some((point) => point !== null)),
    format: (value) => `${(value * 100).toFixed(0)}%`,
  });
}

function trafficChart(
  report: DemoReport,
  versions: readonly string[],
  color: (version: string) => string,
): string {
  const totals = report.weeks.map((week) =>
    report.weekly
      .filter((row) => row.week === week.index)
      .reduce((sum, row) => sum + row.messages, 0),
  );
  return stackedBarChart({
    id: 'traffic-split',
    title: 'Traffic split: share of emails per version, per week',
    xLabels: report.weeks.map((week) => week.label),
    series: versions.map((version) => ({
      name: version,
      color: color(version),
      values: report.weeks.map((week, index) => {
        const row = report.weekly.find(
          (candidate) => candidate.week === week.index && candidate.model_version === version,
        );
        const total = totals[index] ?? 0;
        return row && total > 0 ? row.messages / total : 0;
      }),
    })),
    format: (value) => `${(value * 100).toFixed(0)}%`,
  });
}

function costChart(report: DemoReport, color: (version: string) => string): string {
  const bars = report.experiment.leaderboard.rows.flatMap((row) => {
    const value = row.cost_per_meeting;
    if (typeof value !== 'number') {
      return [];
    }
    const interval = row.cost_per_meeting_ci95 as [number, number] | null | undefined;
    return [
      {
        label: row.model_version,
        color: color(row.model_version),
        value,
        low: interval?.[0],
        high: interval?.[1],
      },
    ];
  });
  return barChart({
    id: 'cost-per-meeting',
    title: 'Cost per meeting by version (experiment period, 95 % interval)',
    bars,
    format: (value) => `$${value.toFixed(value < 0.1 ? 4 : 2)}`,
  });
}

function htmlTable(table: TableData): string {
  const numeric = numericColumns(table);
  const head = table.headers.map((header) => `<th>${escapeHtml(header)}</th>`).join('');
  const body = table.rows
    .map(
      (row) =>
        `<tr>${row.map((cell, column) => `<td${numeric[column] ? ' class="number"' : ''}>${escapeHtml(cell)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function percent(value: number | null): string {
  return value === null ? '—' : `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}%`;
}
