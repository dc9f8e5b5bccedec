import type { TrainingRun, TrainingRunDetail } from '../../../store/index.ts';

type TrainingRunEvent = TrainingRunDetail['events'][number];

import { formatCount, formatInstant } from '../../views/format.ts';

/** Statuses after which nothing more happens to a run (registered: unless a deploy is pending). */
function runFinished(run: TrainingRun): boolean {
  return (
    run.finished_at !== null ||
    run.status === 'deployed' ||
    run.status === 'failed' ||
    run.status === 'cancelled' ||
    (run.status === 'registered' && !run.deploy_immediately)
  );
}

/** The fields of a run a page shows and the polling script refreshes (data-field names). */
export function runFields(run: TrainingRun): Record<string, string> {
  return {
    status: run.status,
    provider_status: run.provider_status ?? '—',
    provider_job_id: run.provider_job_id ?? '—',
    training_file_id: run.training_file_id ?? '—',
    fine_tuned_model: run.fine_tuned_model ?? '—',
    trained_tokens: run.trained_tokens === null ? '—' : formatCount(run.trained_tokens),
    updated_at: formatInstant(run.updated_at),
    error: run.error?.message ?? run.last_error?.message ?? '—',
  };
}

export interface TimelineEntry {
  readonly label: string;
  readonly time: string;
  readonly detail: string;
}

/** The run's state changes as the page and the script show them, oldest first. */
export function runTimeline(events: readonly TrainingRunEvent[]): TimelineEntry[] {
  return events.map((event) => ({
    label: event.from_status ? `${event.from_status} → ${event.to_status}` : event.to_status,
    time: formatInstant(event.created_at),
    detail: eventDetail(event),
  }));
}

function eventDetail(event: TrainingRunEvent): string {
  const parts = Object.entries(event.details)
    .filter(([, value]) => ['string', 'number', 'boolean'].includes(typeof value))
    .slice(0, 4)
    .map(([name, value]) => `${name.replaceAll('_', ' ')}: ${String(value)}`);
  return parts.join(' · ');
}

/** What GET …/progress.json answers for one run. */
export function runProgress(run: TrainingRunDetail) {
  return { finished: runFinished(run), fields: runFields(run), timeline: runTimeline(run.events) };
}

/** What GET /console/training/progress.json answers for the list: every run's status cells. */
export function listProgress(runs: readonly TrainingRun[]) {
  const fields: Record<string, string> = {};
  for (const run of runs) {
    const values = runFields(run);
    for (const name of [
      'status',
      'provider_status',
      'provider_job_id',
      'fine_tuned_model',
    ] as const) {
      fields[`${run.id}:${name}`] = values[name] ?? '—';
    }
  }
  return { finished: runs.every(runFinished), fields };
}
