import type {
  ExperimentEvaluation,
  Leaderboard,
  LeaderboardRow,
  VariantEvaluation,
} from '../../../pipeline/index.ts';
import type { RegistryRow, RolloutEvent } from '../../../store/index.ts';
import type { ConsoleViewer } from '../../session/console-viewer.ts';
import { CsrfField, Notice, Section, TableWrap } from '../../views/components.tsx';
import {
  formatCount,
  formatInstant,
  formatInterval,
  formatPercent,
  formatSignedPercent,
  formatUsd,
} from '../../views/format.ts';
import { Layout } from '../../views/layout.tsx';
import { interval, metric } from '../leaderboard-fields.ts';
import { AuditTrail, RoutePicker } from '../registry-parts.tsx';

export interface ExperimentsPageProps {
  readonly viewer: ConsoleViewer;
  readonly routes: readonly string[];
  readonly route: string;
  readonly evaluation: ExperimentEvaluation;
  readonly leaderboard: Leaderboard;
  readonly models: readonly RegistryRow[];
  readonly events: readonly RolloutEvent[];
  readonly notice: string | null;
  /** Whose messages the numbers count: null for every organization. */
  readonly organizationId: string | null;
}

export function ExperimentsPage(props: ExperimentsPageProps) {
  return (
    <Layout title="Experiments" viewer={props.viewer} active="experiments">
      <Notice text={props.notice} />
      <RoutePicker routes={props.routes} route={props.route} action="/console/experiments" />
      <p class="muted" data-as-of={props.leaderboard.as_of}>
        Counting messages of{' '}
        {props.organizationId === null
          ? 'every organization'
          : `organization ${props.organizationId}`}{' '}
        since the current traffic split took effect; as of {formatInstant(props.leaderboard.as_of)}.
      </p>
      <DecisionPanel evaluation={props.evaluation} />
      <LeaderboardTable {...props} />
      {props.viewer.canChange ? (
        <RouteActions {...props} />
      ) : (
        <p class="muted" data-read-only="true">
          This session is read-only: promote, roll back and share changes need the admin token.
        </p>
      )}
      <AuditTrail events={props.events} />
    </Layout>
  );
}

function DecisionPanel({ evaluation }: { evaluation: ExperimentEvaluation }) {
  return (
    <Section title="Decision" id="decision">
      <p>
        <span
          class={`decision decision-${evaluation.decision}`}
          data-decision={evaluation.decision}
        >
          {decisionLabel(evaluation.decision)}
          {evaluation.promoted_variant ? ` ${evaluation.promoted_variant}` : ''}
        </span>
      </p>
      {evaluation.variants.length === 0 ? (
        <ul data-reasons="route">
          {evaluation.reasons.map((reason) => (
            <li>{reason}</li>
          ))}
        </ul>
      ) : (
        evaluation.variants.map((variant) => <VariantDecision variant={variant} />)
      )}
    </Section>
  );
}

function decisionLabel(decision: ExperimentEvaluation['decision']): string {
  return {
    promote: 'Promote',
    keep_testing: 'Keep testing',
    rollback: 'Roll back',
    invalid: 'Invalid',
  }[decision];
}

function VariantDecision({ variant }: { variant: VariantEvaluation }) {
  const estimate = variant.estimate;
  return (
    <div data-variant-decision={variant.model_version}>
      <h3>
        {variant.model_version}: {decisionLabel(variant.decision)}
      </h3>
      <ul>
        {variant.reasons.map((reason) => (
          <li>{reason}</li>
        ))}
      </ul>
      {estimate && (
        <p class="muted" data-estimate={variant.model_version}>
          {estimate.additional_messages_to_send !== null
            ? `Messages still needed: ${formatCount(estimate.additional_messages_to_send)}${estimate.weeks_needed !== null ? ` (about ${estimate.weeks_needed.toFixed(1)} weeks)` : ''}. `
            : ''}
          {estimate.explanation}
        </p>
      )}
    </div>
  );
}

const rateColumns = [
  ['reply_rate', 'Reply rate', 'reply'],
  ['meeting_rate', 'Meeting rate', 'meeting'],
  ['close_rate', 'Close rate', 'close'],
] as const;

function LeaderboardTable(props: ExperimentsPageProps) {
  return (
    <Section title="Leaderboard" id="leaderboard">
      <TableWrap label="Leaderboard">
        <table data-table="leaderboard">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col" class="number">
                Share
              </th>
              <th scope="col" class="number">
                Messages
              </th>
              {rateColumns.map(([, label]) => (
                <th scope="col">{label}</th>
              ))}
              <th scope="col" class="number">
                Cost / message
              </th>
              <th scope="col" class="number">
                Cost / meeting
              </th>
            </tr>
          </thead>
          <tbody>
            {props.leaderboard.rows.map((row) => (
              <LeaderboardLine row={row} />
            ))}
          </tbody>
        </table>
      </TableWrap>
      {props.leaderboard.rows.length === 0 && <p class="muted">No messages on this route yet.</p>}
    </Section>
  );
}

function LeaderboardLine({ row }: { row: LeaderboardRow }) {
  return (
    <tr data-version={row.model_version}>
      <th scope="row">
        {row.model_version} {row.is_baseline && <span class="badge badge-neutral">baseline</span>}
      </th>
      <td class="number" data-cell="share">
        {row.traffic_percentage} %
      </td>
      <td class="number" data-cell="messages">
        {formatCount(row.total_messages_sent)}
      </td>
      {rateColumns.map(([name, , window]) => {
        const matured = row.matured_messages[window];
        const closed = matured >= row.total_messages_sent;
        const lift = metric(row, `${name}_vs_baseline`);
        return (
          <td data-cell={name} class="rate-cell">
            <span data-value={name}>{formatPercent(metric(row, name), 2)}</span>
            {lift !== null && <span class="muted"> ({formatSignedPercent(lift)} vs baseline)</span>}
            <span class="detail">CI {formatInterval(interval(row, name))}</span>
            <span class="detail">
              <span class={`badge ${closed ? 'badge-good' : 'badge-warn'}`} data-window={window}>
                {closed ? 'window closed' : 'window open'}
              </span>{' '}
              <span data-matured={window}>
                {formatCount(matured)} of {formatCount(row.total_messages_sent)} matured
              </span>
            </span>
          </td>
        );
      })}
      <td class="number" data-cell="cost_per_message">
        {formatUsd(metric(row, 'cost_per_message'))}
      </td>
      <td class="number" data-cell="cost_per_meeting">
        {formatUsd(metric(row, 'cost_per_meeting'))}
      </td>
    </tr>
  );
}

function RouteActions(props: ExperimentsPageProps) {
  const variants = props.models.filter((row) => row.status === 'testing' && !row.is_baseline);
  return (
    <Section title="Actions" id="actions">
      <p class="muted">
        Each action asks for confirmation, is written to the audit trail and changes routing at
        once.
      </p>
      {variants.length === 0 && <p>No testing variant on this route.</p>}
      {variants.map((row) => (
        <div class="actions" data-actions={row.model_version}>
          <strong>{row.model_version}</strong>
          <ActionForm
            action="share"
            route={props.route}
            version={row.model_version}
            viewer={props.viewer}
          >
            <label for={`share-${row.id}`}>Share %</label>
            <input
              type="number"
              id={`share-${row.id}`}
              name="traffic_percentage"
              min="0.01"
              max="100"
              step="0.01"
              value={String(row.traffic_percentage)}
              required
            />
            <button type="submit" class="secondary">
              Change share
            </button>
          </ActionForm>
          <ActionForm
            action="promote"
            route={props.route}
            version={row.model_version}
            viewer={props.viewer}
          >
            <button type="submit">Promote {row.model_version}</button>
          </ActionForm>
          <ActionForm
            action="rollback"
            route={props.route}
            version={row.model_version}
            viewer={props.viewer}
          >
            <button type="submit" class="danger">
              Roll back {row.model_version}
            </button>
          </ActionForm>
        </div>
      ))}
      <div class="actions">
        <ActionForm action="rollback" route={props.route} version="" viewer={props.viewer}>
          <button type="submit" class="secondary">
            Roll back the last promotion
          </button>
        </ActionForm>
      </div>
    </Section>
  );
}

function ActionForm(props: {
  action: string;
  route: string;
  version: string;
  viewer: ConsoleViewer;
  children?: unknown;
}) {
  return (
    <form method="post" action={`/console/actions/${props.action}`}>
      <CsrfField viewer={props.viewer} />
      <input type="hidden" name="route" value={props.route} />
      <input type="hidden" name="model_version" value={props.version} />
      <input type="hidden" name="return_to" value="experiments" />
      {props.children}
    </form>
  );
}
