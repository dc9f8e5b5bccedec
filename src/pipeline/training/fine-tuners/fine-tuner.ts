/**
 * The one interface both fine-tuning vendors sit behind. Every method is a single vendor call (or a
 * short paginated read) keyed by ids the caller stores, so a durable orchestrator can drive a run
 * step by step and repeat any step after a crash: upload → (find or) create → poll → cancel.
 */
import type { Readable } from 'node:stream';

export type FineTuningProvider = 'openai' | 'together';

/** Vendor statuses folded into the five an orchestrator acts on. */
export type FineTuningStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

type TrainingFileSource =
  | { path: string; stream?: never }
  | { stream: Readable | AsyncIterable<Uint8Array>; path?: never };

export type UploadTrainingFileInput = TrainingFileSource & {
  /** Name the vendor stores; must end in `.jsonl`. */
  filename: string;
  kind: 'train' | 'validation';
};

export interface LoraOptions {
  r: number;
  alpha: number;
  dropout: number;
  trainableModules: string;
}

export interface CreateFineTuningJobInput {
  trainingFileId: string;
  validationFileId?: string | null;
  /** Defaults to `config.training.<provider>.base_model`. */
  baseModel?: string;
  /** Defaults to `config.training.<provider>.suffix`. */
  suffix?: string;
  /** Merged over the configured hyperparameters (vendor names: `n_epochs`, `batch_size`, …). */
  hyperparameters?: Readonly<Record<string, number | string>>;
  /** Together only: LoRA adapter settings, or `false` for a full fine-tune. */
  lora?: Partial<LoraOptions> | false;
  /** OpenAI only: stored on the job and filterable in the job list (e.g. the training run id). */
  metadata?: Readonly<Record<string, string>>;
  seed?: number;
}

interface FineTuningJobError {
  code: string | null;
  message: string;
  param: string | null;
}

export interface FineTuningEvent {
  id: string | null;
  /** ISO 8601. */
  createdAt: string;
  level: 'info' | 'warning' | 'error';
  message: string;
  type: string | null;
  data: unknown;
}

export interface FineTuningJobState {
  provider: FineTuningProvider;
  jobId: string;
  status: FineTuningStatus;
  /** The vendor's own status word (`validating_files`, `compressing`, `user_error`, …). */
  vendorStatus: string;
  baseModel: string | null;
  /** The model id to serve; set only once the job succeeded. */
  fineTunedModel: string | null;
  trainingFileId: string | null;
  validationFileId: string | null;
  error: FineTuningJobError | null;
  trainedTokens: number | null;
  createdAt: string | null;
  finishedAt: string | null;
  /** Events the vendor returned with the job (Together does); null when not fetched. */
  events: FineTuningEvent[] | null;
}

interface ListEventsOptions {
  /** The most recent N events, returned oldest first (default 100). */
  limit?: number;
}

export interface FineTuner {
  readonly provider: FineTuningProvider;
  /** Uploads a JSONL training or validation file; returns the vendor's file id. */
  uploadTrainingFile(input: UploadTrainingFileInput): Promise<string>;
  createJob(input: CreateFineTuningJobInput): Promise<FineTuningJobState>;
  getJob(jobId: string): Promise<FineTuningJobState>;
  /** Asks the vendor to stop the job; returns its state right after (may still be cancelling). */
  cancelJob(jobId: string): Promise<FineTuningJobState>;
  listEvents(jobId: string, options?: ListEventsOptions): Promise<FineTuningEvent[]>;
  /**
   * The newest job created from this training file, if any: lets an orchestrator that crashed
   * between "create" and "store the job id" recover the job instead of paying for a second one.
   */
  findJobForTrainingFile(trainingFileId: string): Promise<FineTuningJobState | null>;
}

export const terminalStatuses: ReadonlySet<FineTuningStatus> = new Set([
  'succeeded',
  'failed',
  'cancelled',
]);
