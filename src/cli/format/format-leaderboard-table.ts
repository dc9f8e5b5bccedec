import { type Leaderboard, type LeaderboardRow, signedPercent } from '../../pipeline/index.ts';
import { textTable } from './text-table.ts';

const columns: readonly { header: string; cell: (row: LeaderboardRow) => string }[] = [
  {
    header: 'Model version',
    cell: (row) => `${row.model_version}${row.is_baseline ? ' (baseline)' : ''}`,
  },
  { header: 'Traffic', cell: (row) => `${row.traffic_percentage}%` },
  { header: 'Sent', cell: (row) => row.total_messages_sent.toLocaleString('en-US') },
  { header: 'Reply', cell: (row) => rate(row, 'reply_rate') },
  { header: 'Meeting', cell: (row) => rate(row, 'meeting_rate') },
  { header: 'Close', cell: (row) => rate(row, 'close_rate') },
  { header: 'Neg. sentiment', cell: (row) => rate(row, 'negative_sentiment_rate') },
  { header: 'Bounce', cell: (row) => rate(row, 'bounce_rate') },
  { header: 'Cost/msg', cell: (row) => money(row.cost_per_message) },
  { header: 'Cost/meeting', cell: (row) => money(row.cost_per_meeting) },
  { header: 'Reply vs baseline', cell: (row) => lift(row, 'reply_rate_vs_baseline') },
  { header: 'Close vs baseline', cell: (row) => lift(row, 'close_rate_vs_baseline') },
];

/** The leaderboard as a text table: one row per model version, rates with 95 % intervals in JSON. */
export function formatLeaderboardTable(leaderboard: Leaderboard): string {
  const table = {
    headers: columns.map((column) => column.header),
    rows: leaderboard.rows.map((row) => columns.map((column) => column.cell(row))),
  };
  return [
    `Leaderboard for route "${leaderboard.route}" (as of ${leaderboard.as_of}; only messages whose outcome window has closed count)`,
    '',
    textTable(table, { rule: true }),
    '',
  ].join('\n');
}

function rate(row: LeaderboardRow, name: string): string {
  const value = row[name];
  return typeof value === 'number' ? `${(value * 100).toFixed(value < 0.01 ? 3 : 2)}%` : 'n/a';
}

function money(value: unknown): string {
  return typeof value === 'number' ? `$${value.toFixed(value < 1 ? 4 : 2)}` : 'n/a';
}

function lift(row: LeaderboardRow, name: string): string {
  const value = row[name];
  const interval = row[`${name}_ci95`];
  if (typeof value !== 'number') {
    return '';
  }
  if (Array.isArray(interval) && interval.length === 2) {
    const [lower, upper] = interval as [number, number];
    return `${signedPercent(value)} [${signedPercent(lower)}, ${signedPercent(upper)}]`;
  }
  return signedPercent(value);
}
