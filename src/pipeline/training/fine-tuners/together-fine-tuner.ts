/**
 * Together fine-tuning: jobs through the `together-ai` SDK (`fineTuning.create/retrieve/cancel/
 * listEvents/list`), the training file through Together's documented multipart upload. SFT with
 * LoRA by default (`training_type: {type: "Lora", lora_r, lora_alpha, …}`), or a full fine-tune.
 */
import Together from 'together-ai';
import type {
  FineTuningCreateParams,
  FinetuneEvent,
  FinetuneResponse,
} from 'together-ai/resources/fine-tuning';
import type {
  CreateFineTuningJobInput,
  FineTuner,
  FineTuningEvent,
  FineTuningJobState,
  FineTuningStatus,
  LoraOptions,
} from './fine-tuner.ts';
import {
  FineTuningConfigError,
  type FineTuningOperation,
  toFineTuningError,
} from './fine-tuning-error.ts';
import { uploadTogetherFile } from './together-file-upload.ts';

export interface TogetherFineTunerOptions {
  apiKey: string;
  /** e.g. `https://api.together.ai/v1` or a fake's URL. */
  baseURL: string;
  defaults: {
    baseModel: string;
    suffix: string;
    /** Together's names: `n_epochs`, `learning_rate`, `batch_size`, `n_evals`, … */
    hyperparameters: Readonly<Record<string, number | string>>;
    /** LoRA settings (missing ones take `defaultLora`), or false for a full fine-tune. */
    lora: Partial<LoraOptions> | false;
  };
  /** As for OpenAI: retries for idempotent calls (default 3); job creation is not retried. */
  maxRetries?: number;
  timeoutMs?: number;
  uploadTimeoutMs?: number;
}

/** Together's documented LoRA defaults (r 8, alpha 16, dropout 0, all linear layers). */
const defaultLora: LoraOptions = {
  r: 8,
  alpha: 16,
  dropout: 0,
  trainableModules: 'all-linear',
};

/** `POST /fine-tunes` fields the config and a run may set. */
export const togetherHyperparameterNames: ReadonlySet<string> = new Set([
  'n_epochs',
  'learning_rate',
  'batch_size',
  'n_checkpoints',
  'n_evals',
  'warmup_ratio',
  'max_grad_norm',
  'weight_decay',
  'random_seed',
]);

const statusMap: Record<string, FineTuningStatus> = {
  pending: 'queued',
  queued: 'queued',
  running: 'running',
  compressing: 'running',
  uploading: 'running',
  // Not terminal yet: the job is still stopping.
  cancel_requested: 'running',
  cancelled: 'cancelled',
  error: 'failed',
  user_error: 'failed',
  completed: 'succeeded',
};

export function createTogetherFineTuner(options: TogetherFineTunerOptions): FineTuner {
  const maxRetries = options.maxRetries ?? 3;
  const client = new Together({
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    // Explicit: the SDK would otherwise read TOGETHER_PROJECT_ID itself.
    projectID: null,
    maxRetries,
    timeout: options.timeoutMs ?? 60_000,
  });
  const call = async <T>(operation: FineTuningOperation, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw toFineTuningError('together', operation, error);
    }
  };

  return {
    provider: 'together',

    uploadTrainingFile: (input) =>
      uploadTogetherFile(input, {
        apiKey: options.apiKey,
        baseURL: options.baseURL,
        maxRetries,
        timeoutMs: options.uploadTimeoutMs ?? 600_000,
      }),

    async createJob(input: CreateFineTuningJobInput): Promise<FineTuningJobState> {
      const body = togetherJobBody(input, options.defaults);
      const job = await call('create_job', () =>
        client.fineTuning.create(body as unknown as FineTuningCreateParams, { maxRetries: 0 }),
      );
      return toJobState(job as FinetuneResponse);
    },

    async getJob(jobId: string): Promise<FineTuningJobState> {
      return toJobState(await call('get_job', () => client.fineTuning.retrieve(jobId)));
    },

    async cancelJob(jobId: string): Promise<FineTuningJobState> {
      const job = await call('cancel_job', () => client.fineTuning.cancel(jobId));
      return toJobState(job as FinetuneResponse);
    },

    async listEvents(jobId, listOptions = {}): Promise<FineTuningEvent[]> {
      const response = await call('list_events', () => client.fineTuning.listEvents(jobId));
      return response.data.map(toEvent).slice(-(listOptions.limit ?? 100));
    },

    async findJobForTrainingFile(trainingFileId: string): Promise<FineTuningJobState | null> {
      const response = await call('list_jobs', () => client.fineTuning.list());
      const matches = response.data
        .filter((job) => job.training_file === trainingFileId)
        .sort((left, right) => (right.created_at ?? '').localeCompare(left.created_at ?? ''));
      return matches[0] ? toJobState(matches[0] as FinetuneResponse) : null;
    },
  };
}

/** The `POST /fine-tunes` body: configured defaults, then the call's own values. */
function togetherJobBody(
  input: CreateFineTuningJobInput,
  defaults: TogetherFineTunerOptions['defaults'],
): Record<string, unknown> {
  const hyperparameters: Record<string, number | string> = {
    ...defaults.hyperparameters,
    ...input.hyperparameters,
  };
  for (const key of Object.keys(hyperparameters)) {
    if (!togetherHyperparameterNames.has(key)) {
      throw new FineTuningConfigError(
        `unknown Together hyperparameter "${key}" (known: ${[...togetherHyperparameterNames].join(', ')})`,
      );
    }
  }
  const epochs = Number(hyperparameters.n_epochs ?? 1);
  const lora = input.lora ?? defaults.lora;
  const loraSettings = lora === false ? null : { ...defaultLora, ...defaults.lora, ...lora };
  const suffix = input.suffix ?? defaults.suffix;
  return {
    model: input.baseModel ?? defaults.baseModel,
    training_file: input.trainingFileId,
    ...(input.validationFileId ? { validation_file: input.validationFileId } : {}),
    ...(suffix ? { suffix } : {}),
    // Together documents batch_size as optional yet refuses a job without it; "max" is its default.
    batch_size: 'max',
    n_checkpoints: 1,
    // One evaluation per epoch when there is a validation file; none without one.
    n_evals: input.validationFileId ? epochs : 0,
    ...hyperparameters,
    n_epochs: epochs,
    ...(input.seed === undefined ? {} : { random_seed: input.seed }),
    training_method: { method: 'sft', train_on_inputs: 'auto' },
    training_type: loraSettings
      ? {
          type: 'Lora',
          lora_r: loraSettings.r,
          lora_alpha: loraSettings.alpha,
          lora_dropout: loraSettings.dropout,
          lora_trainable_modules: loraSettings.trainableModules,
        }
      : { type: 'Full' },
  };
}

function toJobState(job: FinetuneResponse): FineTuningJobState {
  const events = (job.events ?? []).map(toEvent);
  let status = statusMap[job.status] ?? 'running';
  // Together documents "completed" as carrying model_output_name; without it there is nothing to
  // serve yet, so keep polling rather than register an empty model.
  if (status === 'succeeded' && !job.model_output_name) {
    status = 'running';
  }
  const failed = status === 'failed';
  const lastError = [...events].reverse().find((event) => event.level === 'error');
  const terminal = status === 'succeeded' || status === 'failed' || status === 'cancelled';
  return {
    provider: 'together',
    jobId: job.id,
    status,
    vendorStatus: job.status,
    baseModel: job.model ?? null,
    fineTunedModel: status === 'succeeded' ? (job.model_output_name ?? null) : null,
    trainingFileId: job.training_file ?? null,
    validationFileId: job.validation_file ? job.validation_file : null,
    error: failed
      ? {
          code: job.status,
          message: lastError?.message ?? `Together fine-tune ended in status ${job.status}`,
          param: null,
        }
      : null,
    trainedTokens: job.token_count ? job.token_count : null,
    createdAt: job.created_at ?? null,
    finishedAt: terminal ? (job.updated_at ?? null) : null,
    events,
  };
}

function toEvent(event: FinetuneEvent): FineTuningEvent {
  const level = event.level ?? 'info';
  return {
    id: null,
    createdAt: event.created_at,
    level: level.includes('error') ? 'error' : level.includes('warn') ? 'warning' : 'info',
    message: event.message,
    type: event.type ?? null,
    data: null,
  };
}
