/**
 * The seed's tables as text: outcome progress, training stats, the weekly looks of the experiment,
 * the model comparison (the engine's own decision table and the leaderboard), and the flywheel's
 * weekly metrics from the `flywheel_weekly` view.
 */
import type { LeaderboardRow } from '../../../pipeline/index.ts';
import type { TrainingRunDetail } from '../../../store/index.ts';
import { formatDecisionTable, type TableData, textTable } from '../../format/index.ts';
import { describeLook } from '../phases/experiment-phase.ts';
import type { DemoReport } from './collect-demo-report.ts';
import { count, rate, share, signed, usd } from './table-cells.ts';

const table = (headers: string[], rows: string[][]): TableData => ({ headers, rows });
/** The demo's tables: a rule under the headers, numbers right-aligned. */
const text = (data: TableData) => textTable(data, { rule: true, alignNumbers: true });

export function outcomeProgressTable(report: DemoReport): TableData {
  return table(
    [
      'Version',
      'Messages',
      'Delivered',
      'Opened',
      'Clicked',
      'Bounced',
      'Replied',
      'Pos/Neu/Neg',
      'Meetings',
      'Deals',
      'Revenue',
      'Training-ready',
    ],
    report.outcome_progress.map((row) => [
      row.model_version,
      count(row.messages),
      share(row.delivered, row.messages),
      share(row.opened, row.messages),
      share(row.clicked, row.messages),
      share(row.bounced, row.messages),
      `${count(row.replied)} (${share(row.replied, row.messages)})`,
      `${row.positive_replies}/${row.neutral_replies}/${row.negative_replies}`,
      count(row.meetings),
      count(row.deals),
      usd(row.revenue, 0),
      count(row.training_ready),
    ]),
  );
}

export function trainingTable(runs: readonly TrainingRunDetail[]): TableData {
  return table(
    [
      'Version',
      'Vendor',
      'Examples (train/val)',
      'Filtered',
      'Avg quality',
      'Est. tokens',
      'Est. cost',
      'Job',
      'Model',
      'Status',
    ],
    runs.map((run) => {
      const stats = run.stats as TrainingStats;
      const estimated = stats.estimated_cost_usd?.[run.provider]?.estimated_usd;
      return [
        run.model_version,
        run.provider,
        `${count(stats.written?.total ?? 0)} (${stats.written?.train ?? 0}/${stats.written?.validation ?? 0})`,
        count(stats.filtered?.total ?? 0),
        (stats.average_quality_score ?? 0).toFixed(3),
        count(stats.estimated_tokens?.total ?? 0),
        usd(estimated, 4),
        run.provider_job_id ?? '—',
        run.fine_tuned_model ?? '—',
        run.status,
      ];
    }),
  );
}

export interface TrainingStats {
  written?: { total: number; train: number; validation: number };
  filtered?: { total: number } & Record<string, number>;
  fetched?: number;
  average_quality_score?: number;
  estimated_tokens?: { total: number };
  estimated_cost_usd?: Partial<Record<string, { estimated_usd: number }>>;
}

function weeklyLooksTable(report: DemoReport): string {
  return report.experiment.looks.map((look) => describeLook(look)).join('\n');
}

export function leaderboardTable(rows: readonly LeaderboardRow[]): TableData {
  return table(
    [
      'Version',
      'Role',
      'Traffic',
      'Messages',
      'Reply rate',
      'Meeting rate',
      'Close rate',
      'Neg. sentiment',
      'Cost/msg',
      'Cost/meeting',
      'Reply vs base',
    ],
    rows.map((row) => [
      row.model_version,
      row.is_baseline ? 'baseline' : 'variant',
      `${row.traffic_percentage}%`,
      count(row.total_messages_sent),
      rate(row.reply_rate as number),
      rate(row.meeting_rate as number),
      rate(row.close_rate as number),
      rate(row.negative_sentiment_rate as number),
      usd(row.cost_per_message as number, 6),
      usd(row.cost_per_meeting as number, 4),
      signed(row.reply_rate_vs_baseline as number | null),
    ]),
  );
}

export function flywheelTable(report: DemoReport): TableData {
  return table(
    [
      'ISO week',
      'Messages',
      'Replies',
      'Meetings',
      'Deals',
      'Reply rate',
      'Meeting rate',
      'Close rate',
      'Revenue',
      'Cost',
      'Training-ready',
      'Versions',
    ],
    report.flywheel.map((week) => [
      week.iso_week,
      count(week.messages_sent),
      count(week.replies),
      count(week.meetings),
      count(week.deals),
      rate(week.reply_rate),
      rate(week.meeting_rate),
      rate(week.close_rate),
      usd(week.revenue, 0),
      usd(week.cost_usd, 2),
      count(week.training_ready_count),
      String(week.active_model_versions),
    ]),
  );
}

export function registryTable(report: DemoReport): TableData {
  return table(
    ['Version', 'Model', 'Provider', 'Status', 'Baseline', 'Traffic'],
    report.registry.map((row) => [
      row.model_version,
      row.model_id,
      row.provider,
      row.status,
      row.is_baseline ? 'yes' : 'no',
      `${row.traffic_percentage}%`,
    ]),
  );
}

/** The whole story in text, phase by phase (stdout of `rekindle demo`). */
export function formatDemoText(report: DemoReport, reportPath: string): string {
  const { experiment } = report;
  const first = report.runs[0];
  const next = report.runs[1];
  const sections = [
    `Rekindle demo — seed ${report.settings.seed}, variant lift "${report.settings.variantLift}", ${(report.duration_ms / 1000).toFixed(0)} s`,
    '',
    'Outcome progress (every tracked message, by model version)',
    text(outcomeProgressTable(report)),
    '',
    'Training runs',
    text(trainingTable(report.runs)),
    '',
    `Experiment: ${experiment.variant} at ${report.settings.variantShare} % against the baseline, one look per week`,
    weeklyLooksTable(report),
    '',
    'Model comparison (leaderboard at the last look)',
    text(leaderboardTable(experiment.leaderboard.rows)),
    '',
    formatDecisionTable(experiment.evaluation).trimEnd(),
    '',
    'Flywheel weekly metrics (flywheel_weekly)',
    text(flywheelTable(report)),
    '',
    verdictLine(report),
    '',
    'Registry of route outreach at the end',
    text(registryTable(report)),
    '',
    first && next
      ? `Next cycle: ${next.model_version} trained on ${next.provider} (${next.fine_tuned_model}), ${next.status} at ${next.ab_test_traffic ?? 10} %.`
      : '',
    `Report: ${reportPath}`,
  ];
  return `${sections.join('\n')}\n`;
}

export function verdictLine(report: DemoReport): string {
  const { experiment } = report;
  const week = experiment.decidedInWeek === null ? '' : ` in week ${experiment.decidedInWeek}`;
  switch (experiment.action) {
    case 'promoted':
      return `Decision: PROMOTE${week} — ${experiment.variant} is the new baseline.`;
    case 'rolled_back':
      return `Decision: ROLLBACK${week} — ${experiment.variant} was rolled back.`;
    default:
      return `Decision: ${experiment.decision.toUpperCase()} after ${experiment.looks.length} week(s) — ${experiment.variant} was not promoted.`;
  }
}
