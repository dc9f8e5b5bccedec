/**
 * The life of a fake OpenAI fine-tuning job: which statuses it will go through (decided when it
 * is created: an invalid file fails it in `validating_files`, a model named "error" or a scripted
 * failure fails it later) and what entering each status changes on the job and its events.
 */
import type { createIdGenerator, JobProgression } from './fine-tuning-fake-support.ts';
import { isRecord, roughTokens } from './fine-tuning-fake-support.ts';
import { validateOpenAIChatFile } from './fine-tuning-file-validation.ts';

export type OpenAIJobStatus =
  | 'validating_files'
  | 'queued'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'cancelled';

export interface OpenAIJobError {
  code: string;
  message: string;
  param: string | null;
}

export interface FakeOpenAIFile {
  object: {
    id: string;
    object: 'file';
    bytes: number;
    created_at: number;
    filename: string;
    purpose: string;
    status: 'processed';
    status_details: null;
  };
  content: Buffer;
}

export interface FakeOpenAIEvent {
  id: string;
  object: 'fine_tuning.job.event';
  created_at: number;
  level: 'info' | 'warn' | 'error';
  message: string;
  type: 'message' | 'metrics';
  data?: Record<string, unknown>;
}

export type FakeOpenAIJob = Record<string, unknown> & { id: string; status: OpenAIJobStatus };

export interface JobRecord {
  job: FakeOpenAIJob;
  events: FakeOpenAIEvent[];
  progression: JobProgression<OpenAIJobStatus>;
}

export interface ScriptedOpenAIFailure {
  /** The status the job fails after (default `running`). */
  after?: 'validating_files' | 'queued' | 'running';
  error?: Partial<OpenAIJobError>;
}

export const defaultFailure: OpenAIJobError = {
  code: 'server_error',
  message: 'The job failed due to an internal error.',
  param: null,
};

export interface OpenAIJobLifecycleContext {
  files: ReadonlyMap<string, FakeOpenAIFile>;
  scripted: ScriptedOpenAIFailure[];
  organization: string;
  ids: ReturnType<typeof createIdGenerator>;
  seconds: () => number;
  storeFile(filename: string, purpose: string, content: Buffer): FakeOpenAIFile;
}

export function createOpenAIJobLifecycle(context: OpenAIJobLifecycleContext) {
  const { files, scripted, organization, ids, seconds, storeFile } = context;
  const addEvent = (record: JobRecord, message: string, extra: Partial<FakeOpenAIEvent> = {}) => {
    record.events.push({
      id: ids.base62('ftevent-', 24),
      object: 'fine_tuning.job.event',
      created_at: seconds(),
      level: 'info',
      message,
      type: 'message',
      ...extra,
    });
  };

  function enter(record: JobRecord, status: OpenAIJobStatus, failure: OpenAIJobError): void {
    const { job } = record;
    job.status = status;
    const training = files.get(job.training_file as string);
    const examples = training ? validateOpenAIChatFile(training.content.toString('utf8')) : null;
    switch (status) {
      case 'queued':
        addEvent(record, 'Files validated, moving job to queued state');
        return;
      case 'running': {
        const epochs = resolvedEpochs(job);
        job.hyperparameters = { batch_size: 1, learning_rate_multiplier: 1.8, n_epochs: epochs };
        job.estimated_finish = seconds() + 2;
        addEvent(record, 'Fine-tuning job started');
        addEvent(record, `Step 1/${examples?.examples ?? 1}: training loss=1.42`, {
          type: 'metrics',
          data: { step: 1, train_loss: 1.42, total_steps: examples?.examples ?? 1 },
        });
        return;
      }
      case 'succeeded': {
        const suffix = typeof job.user_provided_suffix === 'string' ? job.user_provided_suffix : '';
        job.fine_tuned_model = `ft:${job.model}:${organization}:${suffix}:${ids.base62('', 8)}`;
        job.finished_at = seconds();
        job.estimated_finish = null;
        job.trained_tokens =
          roughTokens(training?.content.toString('utf8') ?? '') * resolvedEpochs(job);
        const results = storeFile(`step_metrics.csv`, 'fine-tune-results', Buffer.from('step\n'));
        job.result_files = [results.object.id];
        addEvent(record, `New fine-tuned model created: ${job.fine_tuned_model}`);
        addEvent(record, 'The job has successfully completed');
        return;
      }
      case 'failed':
        job.error = failure;
        job.finished_at = seconds();
        job.estimated_finish = null;
        addEvent(record, failure.message, { level: 'error' });
        return;
      case 'cancelled':
        job.finished_at = seconds();
        job.estimated_finish = null;
        addEvent(record, 'Fine-tuning job cancelled');
        return;
      case 'validating_files':
        return;
    }
  }

  /** The status path and failure a new job will follow, decided at creation. */
  function planJob(model: string, trainingFile: string, validationFile: string | null) {
    const problems = [
      ['training_file', trainingFile, 'invalid_training_file'],
      ['validation_file', validationFile, 'invalid_validation_file'],
    ] as const;
    for (const [param, fileId, code] of problems) {
      const file = fileId ? files.get(fileId) : undefined;
      if (!file) {
        continue;
      }
      const minimum = param === 'training_file' ? undefined : 1;
      const check = validateOpenAIChatFile(file.content.toString('utf8'), minimum);
      if (!check.valid) {
        const which = param === 'training_file' ? 'training' : 'validation';
        const message = `The job failed due to an invalid ${which} file. ${check.message}`;
        const path: OpenAIJobStatus[] = ['validating_files', 'failed'];
        return { path, failure: { code, message, param } };
      }
    }
    const script = scripted.shift();
    if (script || model.includes('error')) {
      const failure = { ...defaultFailure, ...script?.error };
      const order: OpenAIJobStatus[] = ['validating_files', 'queued', 'running'];
      const path = [...order.slice(0, order.indexOf(script?.after ?? 'running') + 1), 'failed'];
      return { path: path as OpenAIJobStatus[], failure };
    }
    const path: OpenAIJobStatus[] = ['validating_files', 'queued', 'running', 'succeeded'];
    return { path, failure: defaultFailure };
  }

  return { addEvent, enter, planJob };
}

/** `auto` epochs resolve to 3 here (OpenAI's default for mid-sized files). */
function resolvedEpochs(job: FakeOpenAIJob): number {
  const hyperparameters = isRecord(job.hyperparameters) ? job.hyperparameters : {};
  return typeof hyperparameters.n_epochs === 'number' ? hyperparameters.n_epochs : 3;
}
