/**
 * Everything the tables, the JSON answer and the HTML report show, gathered once at the end: the
 * phases' own results, the registry and its audit trail from the admin API, and three reads of
 * the store — outcome progress per version, the seed's `flywheel_weekly` view, and the demo's
 * weeks per version (for the charts).
 */
import type { RegistryRow, RolloutEvent, TrainingRunDetail } from '../../../store/index.ts';
import type { DeliveryCounts } from '../audience/audience-sender.ts';
import type { VersionExample } from '../audience/campaign-sender.ts';
import type { DemoContext } from '../demo-context.ts';
import { type DemoSettings, demoWindows, organizationId, route } from '../demo-settings.ts';
import type { ExperimentOutcome } from '../phases/experiment-phase.ts';
import type { HistoryOutcome } from '../phases/history-phase.ts';
import { dayMs, weekMs } from '../simulated-clock.ts';

interface OutcomeProgressRow {
  model_version: string;
  messages: number;
  delivered: number;
  opened: number;
  clicked: number;
  bounced: number;
  replied: number;
  positive_replies: number;
  neutral_replies: number;
  negative_replies: number;
  meetings: number;
  deals: number;
  revenue: number;
  cost_usd: number;
  training_ready: number;
}

interface FlywheelWeek {
  iso_week: string;
  week_start: string;
  messages_sent: number;
  replies: number;
  meetings: number;
  deals: number;
  reply_rate: number;
  meeting_rate: number;
  close_rate: number;
  revenue: number;
  cost_usd: number;
  training_ready_count: number;
  active_model_versions: number;
}

interface DemoWeek {
  index: number;
  label: string;
  start: string;
  end: string;
  /** The reply window of every message of the week has closed (its reply rate is final). */
  reply_window_closed: boolean;
}

interface WeeklyVersionRow {
  week: number;
  model_version: string;
  messages: number;
  /** Replies within the reply window. */
  replies: number;
  meetings: number;
  cost_usd: number;
}

export interface DemoReport {
  readonly settings: DemoSettings;
  readonly generated_at: string;
  readonly duration_ms: number;
  readonly simulated_now: string;
  readonly history: HistoryOutcome;
  readonly runs: readonly TrainingRunDetail[];
  readonly experiment: ExperimentOutcome;
  readonly outcome_progress: readonly OutcomeProgressRow[];
  readonly flywheel: readonly FlywheelWeek[];
  readonly weeks: readonly DemoWeek[];
  readonly weekly: readonly WeeklyVersionRow[];
  readonly registry: readonly RegistryRow[];
  readonly rollout_events: readonly RolloutEvent[];
  readonly examples: readonly VersionExample[];
  readonly webhooks_delivered: DeliveryCounts;
  readonly upstream_completions: Readonly<Record<string, number>>;
}

export async function collectDemoReport(
  context: DemoContext,
  parts: {
    history: HistoryOutcome;
    runs: readonly TrainingRunDetail[];
    experiment: ExperimentOutcome;
    durationMs: number;
  },
): Promise<DemoReport> {
  const { environment, clock, campaigns, audience } = context;
  const executor = environment.store.executor;
  if (!executor) {
    throw new Error('the demo reads its report from the embedded store, which has no SQL executor');
  }
  await environment.gateway.tracking.flush();
  const now = clock.now();
  const weeks = demoWeeks(context, parts.history, parts.experiment, now);
  const [outcomeProgress, flywheel, weekly, registry, events] = await Promise.all([
    executor.query<OutcomeProgressRow>(outcomeProgressSql, [organizationId]),
    executor.query<FlywheelWeek>('select * from public.flywheel_weekly order by week_start'),
    executor.query<WeeklyVersionRow>(weeklySql, [JSON.stringify(weeks), organizationId]),
    environment.admin.models.list(route),
    environment.admin.models.events(route, 50),
  ]);
  const completions: Record<string, number> = {};
  for (const upstream of [environment.openai, environment.together]) {
    for (const [model, count] of upstream.completions) {
      completions[`${upstream.vendor}:${model}`] = count;
    }
  }
  return {
    settings: context.settings,
    generated_at: new Date().toISOString(),
    duration_ms: parts.durationMs,
    simulated_now: new Date(now).toISOString(),
    history: parts.history,
    runs: parts.runs,
    experiment: parts.experiment,
    outcome_progress: outcomeProgress.map(numbers),
    flywheel: flywheel.map((row) => ({ ...numbers(row), week_start: String(row.week_start) })),
    weeks,
    weekly: weekly.map(numbers),
    registry,
    rollout_events: events,
    examples: [...campaigns.examples.values()],
    webhooks_delivered: { ...audience.delivered },
    upstream_completions: completions,
  };
}

function demoWeeks(
  context: DemoContext,
  history: HistoryOutcome,
  experiment: ExperimentOutcome,
  now: number,
): DemoWeek[] {
  const spans: Array<{ label: string; start: number; end: number }> = [];
  for (let week = 0; week < context.settings.historyWeeks; week += 1) {
    const start = history.start + week * weekMs;
    spans.push({ label: `H${week + 1}`, start, end: start + weekMs });
  }
  experiment.looks.forEach((_, index) => {
    const start = experiment.start + index * weekMs;
    spans.push({ label: `W${index + 1}`, start, end: start + weekMs });
  });
  const experimentEnd = experiment.start + experiment.looks.length * weekMs;
  spans.push({ label: 'next', start: experimentEnd, end: Math.max(now, experimentEnd) + 1 });
  return spans.map((span, index) => ({
    index,
    label: span.label,
    start: new Date(span.start).toISOString(),
    end: new Date(span.end).toISOString(),
    reply_window_closed: span.end + demoWindows.reply * dayMs <= now,
  }));
}

/** numeric and bigint columns arrive as strings or bigints from some drivers: make them numbers. */
function numbers<Row extends object>(row: Row): Row {
  const converted: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    converted[key] =
      typeof value === 'bigint' || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))
        ? Number(value)
        : value;
  }
  return converted as Row;
}

const outcomeProgressSql = `
select model_version,
  count(*)::int as messages,
  count(*) filter (where delivered)::int as delivered,
  count(*) filter (where opened)::int as opened,
  count(*) filter (where clicked)::int as clicked,
  count(*) filter (where bounced)::int as bounced,
  count(*) filter (where replied)::int as replied,
  count(*) filter (where reply_sentiment_label = 'positive')::int as positive_replies,
  count(*) filter (where reply_sentiment_label = 'neutral')::int as neutral_replies,
  count(*) filter (where reply_sentiment_label = 'negative')::int as negative_replies,
  count(*) filter (where meeting_booked)::int as meetings,
  count(*) filter (where deal_closed)::int as deals,
  coalesce(sum(deal_value) filter (where deal_closed), 0)::float8 as revenue,
  coalesce(sum(cost_usd), 0)::float8 as cost_usd,
  count(*) filter (where quality_score >= 0.6)::int as training_ready
from public.outcome_labels
where organization_id = $1
group by model_version
order by min(created_at)`;

const weeklySql = `
select b.index as week, o.model_version,
  count(*)::int as messages,
  count(*) filter (where o.replied
    and (o.replied_at is null or o.replied_at <= o.created_at + interval '${demoWindows.reply} days'))::int as replies,
  count(*) filter (where o.meeting_booked
    and (o.meeting_booked_at is null
      or o.meeting_booked_at <= o.created_at + interval '${demoWindows.meeting} days'))::int as meetings,
  coalesce(sum(o.cost_usd), 0)::float8 as cost_usd
from jsonb_to_recordset($1::jsonb) as b(index int, label text, start timestamptz, "end" timestamptz)
join public.outcome_labels o
  on o.created_at >= b.start and o.created_at < b."end" and o.organization_id = $2
group by b.index, o.model_version
order by b.index, o.model_version`;
