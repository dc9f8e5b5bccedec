import type { TrainingRunDetail } from '../../../store/index.ts';
import type { ConsoleViewer } from '../../session/console-viewer.ts';
import { Section } from '../../views/components.tsx';
import { formatInstant } from '../../views/format.ts';
import { Layout } from '../../views/layout.tsx';
import { runFields, runTimeline } from './training-progress.ts';

/** One run: its facts (kept current by the polling script) and its state timeline. */
export function TrainingRunPage({
  viewer,
  run,
}: {
  viewer: ConsoleViewer;
  run: TrainingRunDetail;
}) {
  const fields = runFields(run);
  const field = (name: string) => <span data-field={name}>{fields[name] ?? '—'}</span>;
  return (
    <Layout title={`Training run ${run.model_version}`} viewer={viewer} active="training">
      <div data-poll-url={`/console/training/runs/${encodeURIComponent(run.id)}/progress.json`}>
        <p class="muted" aria-live="polite" data-poll-status>
          This page updates on its own while the run is in progress.
        </p>
        <Section title="Run" id="run">
          <dl class="facts">
            <dt>Status</dt>
            <dd>{field('status')}</dd>
            <dt>Provider</dt>
            <dd>
              {run.provider} ({run.base_model})
            </dd>
            <dt>Vendor status</dt>
            <dd>{field('provider_status')}</dd>
            <dt>Vendor job id</dt>
            <dd>{field('provider_job_id')}</dd>
            <dt>Training file id</dt>
            <dd>{field('training_file_id')}</dd>
            <dt>Fine-tuned model</dt>
            <dd>{field('fine_tuned_model')}</dd>
            <dt>Trained tokens</dt>
            <dd>{field('trained_tokens')}</dd>
            <dt>Route</dt>
            <dd>{run.route}</dd>
            <dt>Minimum quality</dt>
            <dd>{String(run.min_quality_score)}</dd>
            <dt>Deploy share</dt>
            <dd>{run.deploy_immediately ? `${run.ab_test_traffic ?? 10} %` : 'register only'}</dd>
            <dt>Outcomes of</dt>
            <dd>{run.organization_id ?? 'every organization'}</dd>
            <dt>Started by</dt>
            <dd>
              {run.triggered_by}, {formatInstant(run.created_at)}
            </dd>
            <dt>Last update</dt>
            <dd>{field('updated_at')}</dd>
            <dt>Error</dt>
            <dd>{field('error')}</dd>
          </dl>
        </Section>
        <Section title="Timeline" id="timeline">
          <ol class="timeline" data-timeline>
            {runTimeline(run.events).map((entry) => (
              <li>
                <strong>{entry.label}</strong>
                <time>{entry.time}</time>
                {entry.detail && <span>{entry.detail}</span>}
              </li>
            ))}
          </ol>
        </Section>
      </div>
      <p>
        <a href="/console/training">All runs</a>
      </p>
    </Layout>
  );
}
