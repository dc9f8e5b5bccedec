import type { Child } from 'hono/jsx';
import type { RegistryRow, RolloutEvent } from '../../../store/index.ts';
import type { ConsoleViewer } from '../../session/console-viewer.ts';
import { CsrfField, Notice, Section, TableWrap } from '../../views/components.tsx';
import { formatInstant } from '../../views/format.ts';
import { Layout } from '../../views/layout.tsx';
import { AuditTrail, RoutePicker } from '../registry-parts.tsx';

export interface ModelsPageProps {
  readonly viewer: ConsoleViewer;
  readonly routes: readonly string[];
  readonly route: string;
  readonly models: readonly RegistryRow[];
  readonly events: readonly RolloutEvent[];
  readonly notice: string | null;
  readonly providers: readonly string[];
}

export function ModelsPage(props: ModelsPageProps) {
  return (
    <Layout title="Models" viewer={props.viewer} active="models">
      <Notice text={props.notice} />
      <RoutePicker routes={props.routes} route={props.route} action="/console/models" />
      <RegistryTable {...props} />
      {props.viewer.canChange ? (
        <RegisterForm {...props} />
      ) : (
        <p class="muted" data-read-only="true">
          This session is read-only: registering, deploying and deprecating need the admin token.
        </p>
      )}
      <AuditTrail events={props.events} />
    </Layout>
  );
}

function RegistryTable(props: ModelsPageProps) {
  const rows = [...props.models].sort(
    (left, right) =>
      Number(right.is_baseline) - Number(left.is_baseline) ||
      right.traffic_percentage - left.traffic_percentage ||
      left.created_at.localeCompare(right.created_at),
  );
  return (
    <Section title={`Registry of ${props.route}`} id="registry">
      <TableWrap label="Model registry">
        <table data-table="registry">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Model</th>
              <th scope="col">Status</th>
              <th scope="col" class="number">
                Share
              </th>
              <th scope="col">Training stats</th>
              <th scope="col">History</th>
              {props.viewer.canChange && <th scope="col">Actions</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr data-version={row.model_version}>
                <th scope="row">
                  {row.model_version}{' '}
                  {row.is_baseline && <span class="badge badge-neutral">baseline</span>}
                </th>
                <td>
                  {row.provider}/{row.model_id}
                  {row.base_model && <span class="muted"> from {row.base_model}</span>}
                </td>
                <td data-cell="status">
                  <span class={`badge ${statusBadge(row.status)}`}>{row.status}</span>
                </td>
                <td class="number" data-cell="share">
                  {row.traffic_percentage} %
                </td>
                <td>
                  <TrainingStats stats={row.training_stats} />
                </td>
                <td class="muted">
                  registered {formatInstant(row.created_at)}
                  {row.deployed_at && (
                    <>
                      <br />
                      deployed {formatInstant(row.deployed_at)}
                    </>
                  )}
                  {row.promoted_at && (
                    <>
                      <br />
                      promoted {formatInstant(row.promoted_at)}
                    </>
                  )}
                  {row.deprecated_at && (
                    <>
                      <br />
                      deprecated {formatInstant(row.deprecated_at)}
                    </>
                  )}
                </td>
                {props.viewer.canChange && (
                  <td>
                    <RowActions row={row} viewer={props.viewer} />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {rows.length === 0 && <p class="muted">Nothing registered on this route.</p>}
    </Section>
  );
}

function statusBadge(status: RegistryRow['status']): string {
  return status === 'active'
    ? 'badge-good'
    : status === 'testing'
      ? 'badge-warn'
      : status === 'rolled_back'
        ? 'badge-bad'
        : 'badge-neutral';
}

/** Scalar training statistics (examples, tokens, job ids…) as they were recorded. */
function TrainingStats({ stats }: { stats: Readonly<Record<string, unknown>> }) {
  const entries = Object.entries(stats)
    .filter(([, value]) => ['string', 'number', 'boolean'].includes(typeof value))
    .slice(0, 8);
  if (entries.length === 0) {
    return <span class="muted">—</span>;
  }
  return (
    <dl class="facts">
      {entries.map(([name, value]) => (
        <>
          <dt>{name.replaceAll('_', ' ')}</dt>
          <dd>{String(value)}</dd>
        </>
      ))}
    </dl>
  );
}

function RowActions({ row, viewer }: { row: RegistryRow; viewer: ConsoleViewer }) {
  if (row.is_baseline) {
    return <span class="muted">takes the remaining traffic</span>;
  }
  return (
    <div class="actions">
      <ModelForm action="deploy" row={row} viewer={viewer}>
        <label for={`deploy-${row.id}`}>Share %</label>
        <input
          type="number"
          id={`deploy-${row.id}`}
          name="traffic_percentage"
          min="0.01"
          max="100"
          step="0.01"
          value={row.traffic_percentage > 0 ? String(row.traffic_percentage) : '10'}
          required
        />
        <button type="submit" class="secondary">
          Deploy
        </button>
      </ModelForm>
      {row.status !== 'deprecated' && (
        <ModelForm action="deprecate" row={row} viewer={viewer}>
          <button type="submit" class="danger">
            Deprecate
          </button>
        </ModelForm>
      )}
    </div>
  );
}

function ModelForm(props: {
  action: string;
  row: RegistryRow;
  viewer: ConsoleViewer;
  children?: Child;
}) {
  return (
    <form method="post" action={`/console/actions/${props.action}`}>
      <CsrfField viewer={props.viewer} />
      <input type="hidden" name="route" value={props.row.route} />
      <input type="hidden" name="model_version" value={props.row.model_version} />
      <input type="hidden" name="return_to" value="models" />
      {props.children}
    </form>
  );
}

function RegisterForm(props: ModelsPageProps) {
  return (
    <Section title="Register a model" id="register">
      <form method="post" action="/console/actions/register" class="form-grid">
        <CsrfField viewer={props.viewer} />
        <div class="field">
          <label for="register-route">Route</label>
          <input type="text" id="register-route" name="route" value={props.route} required />
        </div>
        <div class="field">
          <label for="register-model">Model id</label>
          <input
            type="text"
            id="register-model"
            name="model_id"
            placeholder="ft:gpt-4o-mini:…"
            required
          />
        </div>
        <div class="field">
          <label for="register-provider">Provider</label>
          <select id="register-provider" name="provider">
            <option value="">From the model id</option>
            {props.providers.map((provider) => (
              <option value={provider}>{provider}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="register-version">Model version</label>
          <input
            type="text"
            id="register-version"
            name="model_version"
            placeholder="v1.2.0"
            required
          />
        </div>
        <div class="field">
          <label for="register-base">Base model</label>
          <input type="text" id="register-base" name="base_model" placeholder="optional" />
        </div>
        <div class="field">
          <button type="submit">Register…</button>
        </div>
      </form>
    </Section>
  );
}
