/**
 * The life of a fake Together fine-tune: the statuses it will go through (decided when it is
 * created: a model named "error" or a scripted failure ends it in `error` / `user_error`) and the
 * events and fields entering each status adds.
 */
import type { createIdGenerator, JobProgression } from './fine-tuning-fake-support.ts';
import { roughTokens } from './fine-tuning-fake-support.ts';
import type { FileValidation } from './fine-tuning-file-validation.ts';

export type TogetherJobStatus =
  | 'pending'
  | 'queued'
  | 'running'
  | 'compressing'
  | 'uploading'
  | 'completed'
  | 'cancel_requested'
  | 'cancelled'
  | 'error'
  | 'user_error';

export interface FakeTogetherFile {
  object: Record<string, unknown> & { id: string };
  content: Buffer;
  validation: FileValidation;
}

export interface FakeTogetherEvent {
  object: 'fine-tune-event';
  created_at: string;
  level: 'info' | 'warning' | 'error';
  message: string;
  type: string;
  hash: string;
  param_count: number;
  token_count: number;
  wandb_url: string;
}

export type FakeTogetherJob = Record<string, unknown> & {
  id: string;
  status: TogetherJobStatus;
  events: FakeTogetherEvent[];
};

export interface JobRecord {
  job: FakeTogetherJob;
  progression: JobProgression<TogetherJobStatus>;
}

export interface ScriptedTogetherFailure {
  /** `error` (the vendor's fault) or `user_error` (the data's); default `error`. */
  status?: 'error' | 'user_error';
  /** The status the job fails after (default `running`). */
  after?: 'pending' | 'queued' | 'running' | 'compressing' | 'uploading';
  message?: string;
}

export const happyPath: TogetherJobStatus[] = [
  'pending',
  'queued',
  'running',
  'compressing',
  'uploading',
  'completed',
];

/** Events emitted on entering each status (type, message). */
export const eventsOnEnter: Partial<Record<TogetherJobStatus, [string, string][]>> = {
  queued: [['job_pending', 'Job is queued for training']],
  running: [
    ['job_start', 'Job started'],
    ['model_downloading', 'Downloading model'],
    ['training_data_downloading', 'Downloading training data'],
    ['training_start', 'Training started'],
  ],
  compressing: [
    ['epoch_complete', 'Epoch completed'],
    ['training_complete', 'Training completed'],
    ['model_compressing', 'Compressing output model'],
  ],
  uploading: [
    ['model_compression_complete', 'Model compression complete'],
    ['model_uploading', 'Uploading output model'],
  ],
  completed: [
    ['model_upload_complete', 'Model upload complete'],
    ['job_complete', 'Job finished'],
  ],
  cancel_requested: [['cancel_requested', 'Cancel requested']],
  cancelled: [['job_stopped', 'Job was cancelled']],
};

export interface TogetherJobLifecycleContext {
  files: ReadonlyMap<string, FakeTogetherFile>;
  scripted: ScriptedTogetherFailure[];
  ids: ReturnType<typeof createIdGenerator>;
  isoNow: () => string;
}

export function createTogetherJobLifecycle(context: TogetherJobLifecycleContext) {
  const { files, scripted, ids, isoNow } = context;

  const addEvent = (job: FakeTogetherJob, type: string, message: string, level = 'info') => {
    job.events.push({
      object: 'fine-tune-event',
      created_at: isoNow(),
      level: level as FakeTogetherEvent['level'],
      message,
      type,
      hash: ids.hex(12),
      param_count: 0,
      token_count: 0,
      wandb_url: '',
    });
  };

  function enter(job: FakeTogetherJob, status: TogetherJobStatus, failureMessage: string) {
    job.status = status;
    job.updated_at = isoNow();
    for (const [type, message] of eventsOnEnter[status] ?? []) {
      addEvent(job, type, message);
    }
    const training = files.get(job.training_file as string);
    const tokens = roughTokens(training?.content.toString('utf8') ?? '');
    if (status === 'running') {
      job.started_at = isoNow();
      job.token_count = tokens;
      job.total_steps = training?.validation.examples ?? 1;
    }
    if (status === 'completed') {
      job.steps_completed = job.total_steps;
      job.epochs_completed = job.n_epochs;
      job.total_price = Math.round(tokens * Number(job.n_epochs ?? 1) * 0.48) / 1_000_000;
    }
    if (status === 'error' || status === 'user_error') {
      addEvent(job, 'job_error', failureMessage, 'error');
    }
  }

  function planJob(model: string): { path: TogetherJobStatus[]; message: string } {
    const script = scripted.shift();
    if (!script && !model.includes('error')) {
      return { path: happyPath, message: '' };
    }
    const after = script?.after ?? 'running';
    const status = script?.status ?? 'error';
    const message =
      script?.message ??
      (status === 'user_error'
        ? 'Job failed: the training data could not be tokenized'
        : 'Job failed due to an internal error; it will not be charged');
    return { path: [...happyPath.slice(0, happyPath.indexOf(after) + 1), status], message };
  }

  return { addEvent, enter, planJob };
}
