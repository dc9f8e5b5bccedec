import type { ConsoleOverview, FlywheelWeek } from '../../../store/index.ts';
import type { LiveReading } from '../../live/live-figures.ts';
import type { ConsoleViewer } from '../../session/console-viewer.ts';
import { Chart } from '../../views/charts.tsx';
import { OrganizationPicker, Section, Stat, Stats, TableWrap } from '../../views/components.tsx';
import {
  formatCount,
  formatInstant,
  formatMilliseconds,
  formatPercent,
  formatScore,
  formatSignedScore,
  formatUsd,
} from '../../views/format.ts';
import { Layout } from '../../views/layout.tsx';
import { type OverviewWindow, overviewWindows } from './overview-window.ts';

export interface OverviewPageProps {
  readonly viewer: ConsoleViewer;
  readonly window: OverviewWindow;
  readonly organizationId: string | null;
  readonly organizations: readonly string[];
  readonly overview: ConsoleOverview;
  readonly weeks: readonly FlywheelWeek[];
  readonly live: LiveReading;
  /** The window's exact bounds (ISO), also in data attributes for scripts and tests. */
  readonly since: string | null;
  readonly until: string;
}

export function OverviewPage(props: OverviewPageProps) {
  return (
    <Layout title="Overview" viewer={props.viewer} active="overview">
      <OrganizationPicker
        viewer={props.viewer}
        organizations={props.organizations}
        selected={props.organizationId}
        action="/console"
        hidden={{ window: props.window.key }}
      />
      <Progress {...props} />
      <Flywheel weeks={props.weeks} />
      <Live live={props.live} />
    </Layout>
  );
}

function Progress(props: OverviewPageProps) {
  const { overview } = props;
  const rate = (count: number) => (overview.outcomes > 0 ? count / overview.outcomes : null);
  const query = (key: string) =>
    `/console?window=${key}${props.organizationId && props.viewer.organizationId === null ? `&org=${encodeURIComponent(props.organizationId)}` : ''}`;
  return (
    <Section title="Progress" id="progress">
      <p class="window-picker">
        {overviewWindows.map((window) => (
          <a
            href={query(window.key)}
            aria-current={window.key === props.window.key ? 'true' : undefined}
          >
            {window.label}
          </a>
        ))}
      </p>
      <p
        class="muted"
        data-window={props.window.key}
        data-since={props.since ?? ''}
        data-until={props.until}
      >
        Messages created {props.window.label.toLowerCase()} (to {formatInstant(props.until)}),{' '}
        {scopeText(props)}.
      </p>
      <Stats label="Progress numbers">
        <Stat name="outcomes" label="Outcomes" value={formatCount(overview.outcomes)} />
        <Stat
          name="training_ready"
          label="Training-ready"
          value={formatCount(overview.training_ready)}
          hint={`${formatPercent(rate(overview.training_ready))} of outcomes`}
        />
        <Stat
          name="replies"
          label="Replies"
          value={formatCount(overview.replies)}
          hint={`${formatPercent(rate(overview.replies))} reply rate`}
        />
        <Stat
          name="meetings"
          label="Meetings"
          value={formatCount(overview.meetings)}
          hint={`${formatPercent(rate(overview.meetings))} meeting rate`}
        />
        <Stat
          name="deals"
          label="Deals"
          value={formatCount(overview.deals)}
          hint={`${formatUsd(overview.revenue)} revenue`}
        />
        <Stat
          name="avg_quality"
          label="Average quality"
          value={formatScore(overview.avg_quality)}
        />
        <Stat
          name="avg_sentiment"
          label="Average reply sentiment"
          value={formatScore(overview.avg_sentiment)}
        />
        <Stat name="cost_usd" label="Generation cost" value={formatUsd(overview.cost_usd)} />
      </Stats>
    </Section>
  );
}

function scopeText(props: OverviewPageProps): string {
  return props.organizationId === null
    ? 'every organization'
    : `organization ${props.organizationId}`;
}

function Flywheel({ weeks }: { weeks: readonly FlywheelWeek[] }) {
  const labels = weeks.map((week) => week.iso_week.slice(5));
  return (
    <Section title="Weekly flywheel" id="flywheel">
      <div class="charts">
        <Chart
          id="flywheel-volume"
          kind="bar"
          title="Outcomes and training examples per week"
          description={`Weeks ${weeks[0]?.iso_week ?? ''} to ${weeks.at(-1)?.iso_week ?? ''}; the numbers are in the table below.`}
          labels={labels}
          series={[
            { name: 'Outcomes', values: weeks.map((week) => week.outcomes) },
            { name: 'Training examples', values: weeks.map((week) => week.training_examples) },
          ]}
          formatValue={(value) => formatCount(Math.round(value))}
          integerTicks
        />
        <Chart
          id="flywheel-sentiment"
          kind="line"
          title="Average reply sentiment per week"
          description="Mean sentiment score (0 to 1) of the week's replies; gaps are weeks without replies."
          labels={labels}
          series={[{ name: 'Average sentiment', values: weeks.map((week) => week.avg_sentiment) }]}
          formatValue={(value) => value.toFixed(2)}
        />
      </div>
      <TableWrap label="Weekly flywheel numbers">
        <table data-table="flywheel">
          <caption>Per ISO week (UTC)</caption>
          <thead>
            <tr>
              <th scope="col">Week</th>
              <th scope="col" class="number">
                Outcomes
              </th>
              <th scope="col" class="number">
                Training examples
              </th>
              <th scope="col" class="number">
                Replies
              </th>
              <th scope="col" class="number">
                Avg sentiment
              </th>
              <th scope="col" class="number">
                Week on week
              </th>
            </tr>
          </thead>
          <tbody>
            {weeks.map((week) => (
              <tr data-week={week.iso_week}>
                <th scope="row">
                  {week.iso_week} <span class="muted">({week.week_start})</span>
                </th>
                <td class="number">{formatCount(week.outcomes)}</td>
                <td class="number">{formatCount(week.training_examples)}</td>
                <td class="number">{formatCount(week.replies)}</td>
                <td class="number">{formatScore(week.avg_sentiment)}</td>
                <td class="number">{formatSignedScore(week.sentiment_change)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </Section>
  );
}

function Live({ live }: { live: LiveReading }) {
  const span = live.window_seconds > 0 ? `over the last ${live.window_seconds} s` : 'no sample yet';
  return (
    <Section title="Live gateway" id="live">
      <p class="muted">This gateway process, {span} (chat completions).</p>
      <Stats label="Live gateway figures">
        <Stat
          name="requests_per_second"
          label="Requests / s"
          value={live.requests_per_second === null ? '—' : live.requests_per_second.toFixed(2)}
        />
        <Stat
          name="p95_latency"
          label="p95 latency"
          value={formatMilliseconds(live.p95_latency_ms)}
        />
        <Stat
          name="error_share"
          label="Error share (5xx)"
          value={formatPercent(live.error_share, 2)}
        />
        <Stat
          name="cost_per_hour"
          label="Cost per hour"
          value={formatUsd(live.cost_per_hour_usd)}
        />
        <Stat
          name="open_breakers"
          label="Open breakers"
          value={String(live.open_breakers.length)}
          {...(live.open_breakers.length > 0 ? { hint: live.open_breakers.join(', ') } : {})}
        />
      </Stats>
    </Section>
  );
}
