/**
 * OpenAI fine-tuning through the official SDK: `files.create({purpose: 'fine-tune'})`,
 * `fineTuning.jobs.create/retrieve/cancel/listEvents/list`. Supervised method; the hyperparameters
 * are OpenAI's own names (`n_epochs`, `batch_size`, `learning_rate_multiplier`, each a number or
 * `"auto"`).
 */
import OpenAI from 'openai';
import type { FineTuningJob, FineTuningJobEvent } from 'openai/resources/fine-tuning/jobs/jobs';
import type {
  CreateFineTuningJobInput,
  FineTuner,
  FineTuningEvent,
  FineTuningJobState,
  FineTuningStatus,
  UploadTrainingFileInput,
} from './fine-tuner.ts';
import {
  FineTuningConfigError,
  type FineTuningOperation,
  toFineTuningError,
} from './fine-tuning-error.ts';
import { toUploadFile } from './training-file-source.ts';

export interface OpenAIFineTunerOptions {
  apiKey: string;
  /** e.g. `https://api.openai.com/v1` or a fake's URL. */
  baseURL: string;
  defaults: {
    baseModel: string;
    suffix: string;
    hyperparameters: Readonly<Record<string, number | string>>;
  };
  /**
   * SDK retries for idempotent calls (408/409/429/5xx and connection errors, exponential backoff
   * honouring `retry-after`). Default 3. Job creation is never retried by the SDK: a lost response
   * would otherwise buy a second job; the orchestrator recovers with `findJobForTrainingFile`.
   */
  maxRetries?: number;
  /** Per-request timeout for job calls (default 60 s). */
  timeoutMs?: number;
  /** Per-request timeout for file uploads (default 10 min). */
  uploadTimeoutMs?: number;
}

/** The supervised method's hyperparameters (each a number or `"auto"`). */
export const openAIHyperparameterNames: ReadonlySet<string> = new Set([
  'n_epochs',
  'batch_size',
  'learning_rate_multiplier',
]);
/** How many recent jobs `findJobForTrainingFile` looks through. */
const recoveryScanLimit = 500;

const statusMap: Record<FineTuningJob['status'], FineTuningStatus> = {
  validating_files: 'queued',
  queued: 'queued',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
};

export function createOpenAIFineTuner(options: OpenAIFineTunerOptions): FineTuner {
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    // Explicit nulls: the SDK would otherwise read OPENAI_ORG_ID / OPENAI_PROJECT_ID itself.
    organization: null,
    project: null,
    maxRetries: options.maxRetries ?? 3,
    timeout: options.timeoutMs ?? 60_000,
  });
  const call = async <T>(operation: FineTuningOperation, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw toFineTuningError('openai', operation, error);
    }
  };

  return {
    provider: 'openai',

    async uploadTrainingFile(input: UploadTrainingFileInput): Promise<string> {
      const file = await toUploadFile(input);
      const created = await call('upload_file', () =>
        client.files.create(
          { file, purpose: 'fine-tune' },
          { timeout: options.uploadTimeoutMs ?? 600_000 },
        ),
      );
      return created.id;
    },

    async createJob(input: CreateFineTuningJobInput): Promise<FineTuningJobState> {
      const hyperparameters = { ...options.defaults.hyperparameters, ...input.hyperparameters };
      for (const key of Object.keys(hyperparameters)) {
        if (!openAIHyperparameterNames.has(key)) {
          throw new FineTuningConfigError(
            `unknown OpenAI hyperparameter "${key}" (known: ${[...openAIHyperparameterNames].join(', ')})`,
          );
        }
      }
      const suffix = input.suffix ?? options.defaults.suffix;
      const job = await call('create_job', () =>
        client.fineTuning.jobs.create(
          {
            model: input.baseModel ?? options.defaults.baseModel,
            training_file: input.trainingFileId,
            ...(input.validationFileId ? { validation_file: input.validationFileId } : {}),
            ...(suffix ? { suffix } : {}),
            ...(input.seed === undefined ? {} : { seed: input.seed }),
            ...(input.metadata ? { metadata: { ...input.metadata } } : {}),
            method: {
              type: 'supervised',
              supervised: { hyperparameters: hyperparameters as SupervisedHyperparameters },
            },
          },
          { maxRetries: 0 },
        ),
      );
      return toJobState(job);
    },

    async getJob(jobId: string): Promise<FineTuningJobState> {
      return toJobState(await call('get_job', () => client.fineTuning.jobs.retrieve(jobId)));
    },

    async cancelJob(jobId: string): Promise<FineTuningJobState> {
      return toJobState(await call('cancel_job', () => client.fineTuning.jobs.cancel(jobId)));
    },

    async listEvents(jobId, listOptions = {}): Promise<FineTuningEvent[]> {
      const page = await call('list_events', () =>
        client.fineTuning.jobs.listEvents(jobId, { limit: listOptions.limit ?? 100 }),
      );
      // OpenAI lists newest first; callers get them in the order they happened.
      return page.data.map(toEvent).reverse();
    },

    async findJobForTrainingFile(trainingFileId: string): Promise<FineTuningJobState | null> {
      return call('list_jobs', async () => {
        let seen = 0;
        for await (const job of client.fineTuning.jobs.list({ limit: 100 })) {
          if (job.training_file === trainingFileId) {
            return toJobState(job);
          }
          seen += 1;
          if (seen >= recoveryScanLimit) {
            break;
          }
        }
        return null;
      });
    },
  };
}

type SupervisedHyperparameters = {
  n_epochs?: number | 'auto';
  batch_size?: number | 'auto';
  learning_rate_multiplier?: number | 'auto';
};

const isoFromSeconds = (seconds: number | null | undefined): string | null =>
  typeof seconds === 'number' ? new Date(seconds * 1000).toISOString() : null;

function toJobState(job: FineTuningJob): FineTuningJobState {
  const status = statusMap[job.status] ?? 'running';
  const error =
    job.error && typeof job.error.message === 'string' && job.error.message ? job.error : null;
  return {
    provider: 'openai',
    jobId: job.id,
    status,
    vendorStatus: job.status,
    baseModel: job.model ?? null,
    fineTunedModel: status === 'succeeded' ? (job.fine_tuned_model ?? null) : null,
    trainingFileId: job.training_file ?? null,
    validationFileId: job.validation_file ?? null,
    error: error
      ? { code: error.code ?? null, message: error.message, param: error.param ?? null }
      : null,
    trainedTokens: job.trained_tokens ?? null,
    createdAt: isoFromSeconds(job.created_at),
    finishedAt: isoFromSeconds(job.finished_at),
    events: null,
  };
}

function toEvent(event: FineTuningJobEvent): FineTuningEvent {
  return {
    id: event.id,
    createdAt: isoFromSeconds(event.created_at) ?? new Date(0).toISOString(),
    level: event.level === 'warn' ? 'warning' : event.level,
    message: event.message,
    type: event.type ?? null,
    data: event.data ?? null,
  };
}
