import type { TrainingRun } from '../../../store/index.ts';
import type { ConsoleViewer } from '../../session/console-viewer.ts';
import { CsrfField, Notice, Section, TableWrap } from '../../views/components.tsx';
import { formatInstant } from '../../views/format.ts';
import { Layout } from '../../views/layout.tsx';
import { runFields } from './training-progress.ts';

export interface TrainingPageProps {
  readonly viewer: ConsoleViewer;
  readonly runs: readonly TrainingRun[];
  readonly notice: string | null;
  /** Fine-tuning providers with a key on this gateway. */
  readonly providers: readonly ('openai' | 'together')[];
  readonly minQualityScore: number;
  readonly route: string;
}

export function TrainingPage(props: TrainingPageProps) {
  return (
    <Layout title="Training" viewer={props.viewer} active="training">
      <Notice text={props.notice} />
      <RunsTable runs={props.runs} />
      {props.viewer.canChange ? (
        <StartForm {...props} />
      ) : (
        <p class="muted" data-read-only="true">
          This session is read-only: starting a run needs the admin token.
        </p>
      )}
      <ExportForm {...props} />
    </Layout>
  );
}

function RunsTable({ runs }: { runs: readonly TrainingRun[] }) {
  return (
    <section
      class="panel"
      aria-labelledby="runs-heading"
      data-poll-url="/console/training/progress.json"
    >
      <h2 id="runs-heading">Runs</h2>
      <p class="muted" aria-live="polite" data-poll-status>
        Runs in progress update on their own.
      </p>
      <TableWrap label="Training runs">
        <table data-table="training-runs">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Provider</th>
              <th scope="col">Status</th>
              <th scope="col">Vendor status</th>
              <th scope="col">Vendor job</th>
              <th scope="col">Model</th>
              <th scope="col">Started</th>
              <th scope="col">By</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => {
              const fields = runFields(run);
              return (
                <tr data-run={run.id}>
                  <th scope="row">
                    <a href={`/console/training/runs/${encodeURIComponent(run.id)}`}>
                      {run.model_version}
                    </a>
                  </th>
                  <td>{run.provider}</td>
                  <td data-field={`${run.id}:status`}>{fields.status}</td>
                  <td data-field={`${run.id}:provider_status`}>{fields.provider_status}</td>
                  <td data-field={`${run.id}:provider_job_id`}>{fields.provider_job_id}</td>
                  <td data-field={`${run.id}:fine_tuned_model`}>{fields.fine_tuned_model}</td>
                  <td>{formatInstant(run.created_at)}</td>
                  <td>{run.triggered_by}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
      {runs.length === 0 && <p class="muted">No training runs yet.</p>}
    </section>
  );
}

function StartForm(props: TrainingPageProps) {
  return (
    <Section title="Start a run" id="start-run">
      {props.providers.length === 0 && (
        <p class="muted">Set OPENAI_API_KEY or TOGETHER_API_KEY to fine-tune on that provider.</p>
      )}
      <form method="post" action="/console/actions/train" class="form-grid">
        <CsrfField viewer={props.viewer} />
        <div class="field">
          <label for="train-provider">Provider</label>
          <select id="train-provider" name="provider" required>
            {(['openai', 'together'] as const).map((provider) => (
              <option value={provider}>
                {provider}
                {props.providers.includes(provider) ? '' : ' (no key)'}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="train-version">Model version</label>
          <input type="text" id="train-version" name="model_version" placeholder="next (v1.2.0…)" />
        </div>
        <div class="field">
          <label for="train-quality">Minimum quality</label>
          <input
            type="number"
            id="train-quality"
            name="min_quality_score"
            min="0"
            max="1"
            step="0.01"
            value={String(props.minQualityScore)}
          />
        </div>
        <div class="field">
          <label for="train-share">Deploy share %</label>
          <input
            type="number"
            id="train-share"
            name="deploy_share"
            min="0.01"
            max="100"
            step="0.01"
            placeholder="register only"
          />
        </div>
        <div class="field">
          <label for="train-org">Outcomes of organization</label>
          <input
            type="text"
            id="train-org"
            name="organization_id"
            placeholder="every organization"
          />
        </div>
        <div class="field">
          <button type="submit">Start run…</button>
        </div>
      </form>
      <p class="muted">Runs train route {props.route}.</p>
    </Section>
  );
}

function ExportForm(props: TrainingPageProps) {
  return (
    <Section title="Download the training data" id="export">
      <p class="muted">
        Training-ready outcomes as chat fine-tuning JSONL, names, emails, phone numbers and URLs
        scrubbed
        {props.viewer.organizationId === null
          ? ''
          : ` (organization ${props.viewer.organizationId} only)`}
        . The file streams as it is written.
      </p>
      <form method="get" action="/console/training/export.jsonl" class="form-grid">
        <div class="field">
          <label for="export-quality">Minimum quality</label>
          <input
            type="number"
            id="export-quality"
            name="min_quality_score"
            min="0"
            max="1"
            step="0.01"
            value={String(props.minQualityScore)}
          />
        </div>
        <div class="field">
          <label for="export-format">Format</label>
          <select id="export-format" name="format">
            <option value="openai">OpenAI</option>
            <option value="together">Together</option>
          </select>
        </div>
        {props.viewer.organizationId === null && (
          <div class="field">
            <label for="export-org">Organization</label>
            <input type="text" id="export-org" name="org" placeholder="every organization" />
          </div>
        )}
        <div class="field">
          <button type="submit">Download JSONL</button>
        </div>
      </form>
    </Section>
  );
}
