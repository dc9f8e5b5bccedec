/**
 * The life of a simulated OpenAI fine-tuning job: which statuses it will go through (decided when
 * it is created: an invalid file fails it in `validating_files`, a model named "error" or a
 * scripted failure fails it later), what entering each status changes on the job and its events,
 * and the job object as `POST /v1/fine_tuning/jobs` creates it.
 */
import type { IdGenerator } from './fine-tuning-support.ts';
import type { JobProgression } from './job-progression.ts';
import { isRecord, roughTokens } from './simulator-http.ts';
import { validateOpenAIChatFile } from './training-file-validation.ts';

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

export interface SimulatedOpenAIFile {
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

export interface SimulatedOpenAIEvent {
  id: string;
  object: 'fine_tuning.job.event';
  created_at: number;
  level: 'info' | 'warn' | 'error';
  message: string;
  type: 'message' | 'metrics';
  data?: Record<string, unknown>;
}

export type SimulatedOpenAIJob = Record<string, unknown> & {
  id: string;
  status: OpenAIJobStatus;
};

export interface OpenAIJobRecord {
  job: SimulatedOpenAIJob;
  events: SimulatedOpenAIEvent[];
  progression: JobProgression<OpenAIJobStatus>;
}

export interface ScriptedOpenAIFailure {
  /** The status the job fails after (default `running`). */
  after?: 'validating_files' | 'queued' | 'running';
  error?: Partial<OpenAIJobError>;
}

const defaultFailure: OpenAIJobError = {
  code: 'server_error',
  message: 'The job failed due to an internal error.',
  param: null,
};

export interface OpenAIJobLifecycleContext {
  files: ReadonlyMap<string, SimulatedOpenAIFile>;
  scripted: ScriptedOpenAIFailure[];
  organization: string;
  ids: IdGenerator;
  seconds: () => number;
  runningPolls: number;
  storeFile(filename: string, purpose: string, content: Buffer): SimulatedOpenAIFile;
}

export function createOpenAIJobLifecycle(context: OpenAIJobLifecycleContext) {
  const { files, scripted, organization, ids, seconds, runningPolls, storeFile } = context;
  const addEvent = (
    record: OpenAIJobRecord,
    message: string,
    extra: Partial<SimulatedOpenAIEvent> = {},
  ) => {
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

  /** Each poll in `running` reports one more training step and a lower loss. */
  function reportStep(record: OpenAIJobRecord, examples: number) {
    const step = record.events.filter((event) => event.type === 'metrics').length + 1;
    const total = Math.max(examples, runningPolls);
    const loss = Math.round(1420 * 0.75 ** (step - 1)) / 1000;
    addEvent(record, `Step ${step}/${total}: training loss=${loss}`, {
      type: 'metrics',
      data: { step, train_loss: loss, total_steps: total },
    });
  }

  function enter(record: OpenAIJobRecord, status: OpenAIJobStatus, failure: OpenAIJobError): void {
    const { job } = record;
    const entering = job.status !== status;
    job.status = status;
    const training = files.get(job.training_file as string);
    const examples = training ? validateOpenAIChatFile(training.content.toString('utf8')) : null;
    switch (status) {
      case 'queued':
        addEvent(record, 'Files validated, moving job to queued state');
        return;
      case 'running': {
        if (entering) {
          const epochs = resolvedEpochs(job);
          job.hyperparameters = { batch_size: 1, learning_rate_multiplier: 1.8, n_epochs: epochs };
          job.estimated_finish = seconds() + 2;
          addEvent(record, 'Fine-tuning job started');
        }
        reportStep(record, examples?.examples ?? 1);
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
    const running = Array.from({ length: runningPolls }, () => 'running' as const);
    const order: OpenAIJobStatus[] = ['validating_files', 'queued', ...running];
    const script = scripted.shift();
    if (script || model.includes('error')) {
      const failure = { ...defaultFailure, ...script?.error };
      const path = [...order.slice(0, order.lastIndexOf(script?.after ?? 'running') + 1), 'failed'];
      return { path: path as OpenAIJobStatus[], failure };
    }
    return { path: [...order, 'succeeded'] as OpenAIJobStatus[], failure: defaultFailure };
  }

  return { addEvent, enter, planJob };
}

/** `auto` epochs resolve to 3 here (OpenAI's default for mid-sized files). */
function resolvedEpochs(job: SimulatedOpenAIJob): number {
  const hyperparameters = isRecord(job.hyperparameters) ? job.hyperparameters : {};
  return typeof hyperparameters.n_epochs === 'number' ? hyperparameters.n_epochs : 3;
}

/** The job as `POST /v1/fine_tuning/jobs` creates it, from the request's (checked) fields. */
export function newOpenAIJob(
  input: Record<string, unknown> & { model: string; training_file: string },
  context: { id: string; createdAt: number; organization: string },
): SimulatedOpenAIJob {
  const method = isRecord(input.method) ? input.method : undefined;
  const supervised = isRecord(method?.supervised) ? method.supervised : undefined;
  const hyperparameters = {
    batch_size: 'auto',
    learning_rate_multiplier: 'auto',
    n_epochs: 'auto',
    ...(isRecord(input.hyperparameters) ? input.hyperparameters : {}),
    ...(isRecord(supervised?.hyperparameters) ? supervised.hyperparameters : {}),
  };
  return {
    id: context.id,
    object: 'fine_tuning.job',
    created_at: context.createdAt,
    error: null,
    fine_tuned_model: null,
    finished_at: null,
    hyperparameters,
    model: input.model,
    organization_id: `org-${context.organization}`,
    result_files: [],
    seed: typeof input.seed === 'number' ? input.seed : 42,
    status: 'validating_files',
    trained_tokens: null,
    training_file: input.training_file,
    validation_file: typeof input.validation_file === 'string' ? input.validation_file : null,
    estimated_finish: null,
    integrations: [],
    metadata: isRecord(input.metadata) ? input.metadata : null,
    method: { type: 'supervised', supervised: { hyperparameters } },
    user_provided_suffix: typeof input.suffix === 'string' ? input.suffix : null,
  };
}
