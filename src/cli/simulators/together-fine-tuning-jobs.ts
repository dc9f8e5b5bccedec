/**
 * The life of a simulated Together fine-tune: the statuses it will go through (decided when it is
 * created: a model named "error" or a scripted failure ends it in `error` / `user_error`), the
 * events and fields entering each status adds, and the job as `POST /v1/fine-tunes` creates it.
 */
import type { IdGenerator } from './fine-tuning-support.ts';
import type { JobProgression } from './job-progression.ts';
import { roughTokens } from './simulator-http.ts';
import type { FileValidation } from './training-file-validation.ts';

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

export interface SimulatedTogetherFile {
  object: Record<string, unknown> & { id: string };
  content: Buffer;
  validation: FileValidation;
}

interface SimulatedTogetherEvent {
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

export type SimulatedTogetherJob = Record<string, unknown> & {
  id: string;
  status: TogetherJobStatus;
  events: SimulatedTogetherEvent[];
};

export interface TogetherJobRecord {
  job: SimulatedTogetherJob;
  progression: JobProgression<TogetherJobStatus>;
}

export interface ScriptedTogetherFailure {
  /** `error` (the vendor's fault) or `user_error` (the data's); default `error`. */
  status?: 'error' | 'user_error';
  /** The status the job fails after (default `running`). */
  after?: 'pending' | 'queued' | 'running' | 'compressing' | 'uploading';
  message?: string;
}

/** Events emitted on entering each status (type, message). */
const eventsOnEnter: Partial<Record<TogetherJobStatus, [string, string][]>> = {
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
  files: ReadonlyMap<string, SimulatedTogetherFile>;
  scripted: ScriptedTogetherFailure[];
  ids: IdGenerator;
  isoNow: () => string;
  runningPolls: number;
}

export function createTogetherJobLifecycle(context: TogetherJobLifecycleContext) {
  const { files, scripted, ids, isoNow, runningPolls } = context;
  const happyPath: TogetherJobStatus[] = [
    'pending',
    'queued',
    ...Array.from({ length: runningPolls }, () => 'running' as const),
    'compressing',
    'uploading',
    'completed',
  ];

  const addEvent = (job: SimulatedTogetherJob, type: string, message: string, level = 'info') => {
    job.events.push({
      object: 'fine-tune-event',
      created_at: isoNow(),
      level: level as SimulatedTogetherEvent['level'],
      message,
      type,
      hash: ids.hex(12),
      param_count: 0,
      token_count: 0,
      wandb_url: '',
    });
  };

  function enter(job: SimulatedTogetherJob, status: TogetherJobStatus, failureMessage: string) {
    const entering = job.status !== status;
    job.status = status;
    job.updated_at = isoNow();
    for (const [type, message] of entering ? (eventsOnEnter[status] ?? []) : []) {
      addEvent(job, type, message);
    }
    const training = files.get(job.training_file as string);
    const tokens = roughTokens(training?.content.toString('utf8') ?? '');
    if (status === 'running' && entering) {
      job.started_at = isoNow();
      job.token_count = tokens;
      job.total_steps = training?.validation.examples ?? 1;
    } else if (status === 'running') {
      const total = Number(job.total_steps);
      const done = Number(job.steps_completed) + Math.ceil(total / runningPolls);
      job.steps_completed = Math.min(total, done);
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
    return { path: [...happyPath.slice(0, happyPath.lastIndexOf(after) + 1), status], message };
  }

  return { addEvent, enter, planJob };
}

/** The fine-tune as `POST /v1/fine-tunes` creates it, from the request's (checked) fields. */
export function newTogetherJob(
  input: Record<string, unknown> & { model: string },
  context: { id: string; now: string; organization: string; suffix: string; ids: IdGenerator },
): SimulatedTogetherJob {
  const { organization, suffix, ids } = context;
  const baseName = input.model.split('/').at(-1) ?? input.model;
  return {
    id: context.id,
    status: 'pending',
    user_id: `user-${organization}`,
    owner_address: `0x${ids.hex(40)}`,
    model: input.model,
    model_output_name: `${organization}/${[baseName, suffix].filter(Boolean).join('-')}-${ids.hex(8)}`,
    suffix,
    training_file: input.training_file,
    validation_file: input.validation_file ?? '',
    n_epochs: input.n_epochs ?? 1,
    n_checkpoints: input.n_checkpoints ?? 1,
    n_evals: input.n_evals ?? 0,
    batch_size: input.batch_size,
    learning_rate: input.learning_rate ?? 0.00001,
    lr_scheduler: input.lr_scheduler ?? {
      lr_scheduler_type: 'linear',
      lr_scheduler_args: { min_lr_ratio: 0 },
    },
    warmup_ratio: input.warmup_ratio ?? 0,
    max_grad_norm: input.max_grad_norm ?? 1,
    weight_decay: input.weight_decay ?? 0,
    training_type: input.training_type ?? { type: 'Full' },
    training_method: input.training_method ?? { method: 'sft', train_on_inputs: 'auto' },
    created_at: context.now,
    updated_at: context.now,
    events: [],
    token_count: 0,
    param_count: 8_030_000_000,
    total_price: 0,
    total_steps: 0,
    steps_completed: 0,
    epochs_completed: 0,
    evals_completed: 0,
    queue_depth: 0,
    wandb_url: null,
  };
}
