/** Training runs as text (`rekindle train` and `train status` without --json). */
import type { TrainingExportStats } from '../../pipeline/index.ts';
import type { TrainingRun, TrainingRunDetail } from '../../store/index.ts';
import { textTable } from './text-table.ts';

const numberFormat = new Intl.NumberFormat('en-US');

function written(run: TrainingRun): string | null {
  const stats = run.stats as Partial<TrainingExportStats>;
  if (!stats.written) {
    return null;
  }
  const quality =
    typeof stats.average_quality_score === 'number'
      ? `, average quality ${stats.average_quality_score}`
      : '';
  return `${stats.written.total} (train ${stats.written.train}, validation ${stats.written.validation})${quality}`;
}

/** `deployed (openai: succeeded)`, `running (openai: running, next poll 12:00:03)`. */
export function describeRunStatus(run: TrainingRun): string {
  const parts = [run.provider_status ? `${run.provider}: ${run.provider_status}` : null];
  if (run.last_error && !run.error) {
    parts.push(`attempt ${run.attempts + 1} after: ${run.last_error.message}`);
  }
  const detail = parts.filter(Boolean).join('; ');
  return detail ? `${run.status} (${detail})` : run.status;
}

export function formatTrainingRun(run: TrainingRun | TrainingRunDetail): string {
  const lines = [
    `Training run ${run.id} — ${run.model_version} on ${run.provider}, route ${run.route}`,
  ];
  const field = (name: string, value: string | null | undefined) => {
    if (value !== null && value !== undefined && value !== '') {
      lines.push(`  ${name.padEnd(12)}${value}`);
    }
  };
  field('status', describeRunStatus(run));
  field('base model', run.base_model);
  field('examples', written(run));
  field('min quality', String(run.min_quality_score));
  field('file', run.training_file_id);
  field('job', run.provider_job_id);
  field('model', run.fine_tuned_model);
  field('tokens', run.trained_tokens === null ? null : numberFormat.format(run.trained_tokens));
  field(
    'deploy',
    run.deploy_immediately ? `${run.ab_test_traffic ?? 10} % of route ${run.route}` : 'no',
  );
  field('error', run.error ? `${run.error.code ?? 'error'}: ${run.error.message}` : null);
  field('created', run.created_at);
  field('finished', run.finished_at);
  const events = (run as Partial<TrainingRunDetail>).events ?? [];
  if (events.length > 0) {
    lines.push('  history');
    for (const event of events) {
      lines.push(`    ${event.created_at}  ${event.from_status ?? '—'} → ${event.to_status}`);
    }
  }
  return lines.join('\n');
}

export function formatTrainingRunList(runs: readonly TrainingRun[]): string {
  if (runs.length === 0) {
    return 'No training runs.';
  }
  return textTable({
    headers: ['ID', 'VERSION', 'PROVIDER', 'STATUS', 'MODEL', 'CREATED'],
    rows: runs.map((run) => [
      run.id,
      run.model_version,
      run.provider,
      run.status,
      run.fine_tuned_model ?? '',
      run.created_at,
    ]),
  });
}
