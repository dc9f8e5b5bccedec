/**
 * Together's files and fine-tuning endpoints: the documented multipart `POST /v1/files/upload`,
 * `GET /v1/files/{id}`, `POST|GET /v1/fine-tunes`, `GET /v1/fine-tunes/{id}`, `POST …/{id}/cancel`,
 * `GET …/{id}/events` (the `together-ai` SDK's paths). A fine-tune goes `pending → queued → running
 * → compressing → uploading → completed` one status per poll, with Together's events; a file whose
 * conversations do not alternate is refused when the job is created, as Together does.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createIdMaker,
  isRecord,
  parseJson,
  parseMultipart,
  roughTokens,
  sendError,
  sendJson,
  type UpstreamRoute,
} from './http-helpers.ts';
import { JobProgression, validateChatJsonl } from './job-progression.ts';

type Status =
  | 'pending'
  | 'queued'
  | 'running'
  | 'compressing'
  | 'uploading'
  | 'completed'
  | 'cancel_requested'
  | 'cancelled';

interface StoredFile {
  object: Record<string, unknown> & { id: string };
  content: string;
  problem: string | null;
}

type Job = Record<string, unknown> & {
  id: string;
  status: Status;
  events: Array<Record<string, unknown>>;
};

const eventsOnEnter: Partial<Record<Status, Array<[string, string]>>> = {
  queued: [['job_pending', 'Job is queued for training']],
  running: [['training_start', 'Training started']],
  compressing: [
    ['training_complete', 'Training completed'],
    ['model_compressing', 'Compressing output model'],
  ],
  uploading: [['model_uploading', 'Uploading output model']],
  completed: [
    ['model_upload_complete', 'Model upload complete'],
    ['job_complete', 'Job finished'],
  ],
  cancel_requested: [['cancel_requested', 'Cancel requested']],
  cancelled: [['job_stopped', 'Job was cancelled']],
};

export function createTogetherFineTuningRoutes(options: {
  organization: string;
  seed: string;
  now: () => number;
}): UpstreamRoute {
  const files = new Map<string, StoredFile>();
  const jobs = new Map<string, { job: Job; progression: JobProgression<Status> }>();
  const makeId = createIdMaker(`together:${options.seed}`);
  const isoNow = () => new Date(options.now()).toISOString();

  const addEvent = (job: Job, type: string, message: string) => {
    job.events.push({
      object: 'fine-tune-event',
      created_at: isoNow(),
      level: 'info',
      message,
      type,
      hash: makeId('', 12),
      param_count: 0,
      token_count: 0,
      wandb_url: '',
    });
  };

  async function upload(request: IncomingMessage, response: ServerResponse, body: Buffer) {
    const form = await parseMultipart(request, body);
    const file = form?.get('file');
    if (!(file instanceof File)) {
      return sendError(response, 400, 'file is required', { param: 'file' });
    }
    const content = await file.text();
    const check = validateChatJsonl(content, { minimumExamples: 1, alternating: true });
    const id = `file-${makeId('', 24).toLowerCase()}`;
    const name = form?.get('file_name');
    const object = {
      id,
      object: 'file',
      created_at: Math.floor(options.now() / 1000),
      filename: typeof name === 'string' ? name : file.name,
      bytes: Buffer.byteLength(content),
      purpose: String(form?.get('purpose') ?? 'fine-tune'),
      Processed: true,
      FileType: 'jsonl',
      LineCount: check.examples,
    };
    files.set(id, { object, content, problem: check.problem });
    return sendJson(response, 200, object);
  }

  function createJob(response: ServerResponse, body: Buffer) {
    const input = parseJson(body);
    if (!isRecord(input) || typeof input.model !== 'string') {
      return sendError(response, 400, 'model is required', { param: 'model' });
    }
    const training =
      typeof input.training_file === 'string' ? files.get(input.training_file) : null;
    if (!training || training.problem) {
      const why = training?.problem ?? 'does not exist';
      return sendError(response, 400, `training_file ${String(input.training_file)}: ${why}`, {
        param: 'training_file',
      });
    }
    if (input.batch_size === undefined) {
      return sendError(response, 400, 'batch_size is required', { param: 'batch_size' });
    }
    const suffix = typeof input.suffix === 'string' ? input.suffix : '';
    const baseName = input.model.split('/').at(-1) ?? input.model;
    const now = isoNow();
    const job: Job = {
      id: `ft-${makeId('', 24).toLowerCase()}`,
      status: 'pending',
      model: input.model,
      model_output_name: `${options.organization}/${[baseName, suffix].filter(Boolean).join('-')}-${makeId('', 8).toLowerCase()}`,
      suffix,
      training_file: training.object.id,
      validation_file: typeof input.validation_file === 'string' ? input.validation_file : '',
      n_epochs: input.n_epochs ?? 1,
      n_checkpoints: input.n_checkpoints ?? 1,
      n_evals: input.n_evals ?? 0,
      batch_size: input.batch_size,
      learning_rate: input.learning_rate ?? 0.00001,
      training_type: input.training_type ?? { type: 'Full' },
      training_method: input.training_method ?? { method: 'sft', train_on_inputs: 'auto' },
      created_at: now,
      updated_at: now,
      events: [],
      token_count: 0,
      param_count: 8_030_000_000,
      total_price: 0,
      total_steps: 0,
      steps_completed: 0,
      epochs_completed: 0,
      queue_depth: 0,
      wandb_url: null,
    };
    addEvent(job, 'job_pending', 'Fine tune request created');
    const tokens = roughTokens(training.content);
    const path: Status[] = [
      'pending',
      'queued',
      'running',
      'running',
      'running',
      'compressing',
      'uploading',
      'completed',
    ];
    const progression = new JobProgression<Status>(path, (status) => {
      const entering = job.status !== status;
      job.status = status;
      job.updated_at = isoNow();
      for (const [type, message] of entering ? (eventsOnEnter[status] ?? []) : []) {
        addEvent(job, type, message);
      }
      if (status === 'running') {
        job.token_count = tokens;
        job.total_steps = 30;
        job.steps_completed = Math.min(30, Number(job.steps_completed) + 10);
      }
      if (status === 'completed') {
        job.epochs_completed = job.n_epochs;
        job.total_price = Math.round(tokens * Number(job.n_epochs) * 0.48) / 1_000_000;
      }
    });
    jobs.set(job.id, { job, progression });
    return sendJson(response, 200, job);
  }

  return async (request, response, body, url) => {
    const path = url.pathname;
    const method = request.method ?? 'GET';
    if (method === 'POST' && path === '/v1/files/upload') {
      return upload(request, response, body);
    }
    const file = /^\/v1\/files\/([^/]+)$/.exec(path);
    if (file && method === 'GET') {
      const stored = files.get(file[1] ?? '');
      return stored
        ? sendJson(response, 200, stored.object)
        : sendError(response, 404, `file ${file[1]} not found`, { param: 'id' });
    }
    if (path === '/v1/fine-tunes') {
      return method === 'POST'
        ? createJob(response, body)
        : sendJson(response, 200, { data: [...jobs.values()].map((record) => record.job) });
    }
    const match = /^\/v1\/fine-tunes\/([^/]+)(?:\/(cancel|events))?$/.exec(path);
    if (!match) {
      return false;
    }
    const record = jobs.get(match[1] ?? '');
    if (!record) {
      return sendError(response, 404, `fine-tune job ${match[1]} not found`, { param: 'id' });
    }
    if (match[2] === 'events') {
      return sendJson(response, 200, { data: record.job.events });
    }
    if (match[2] === 'cancel' && method === 'POST') {
      if (record.progression.isTerminal) {
        return sendError(response, 400, `cannot cancel a job in status ${record.job.status}`);
      }
      record.progression.divert(['cancel_requested', 'cancelled']);
      return sendJson(response, 200, record.job);
    }
    record.progression.observe();
    return sendJson(response, 200, record.job);
  };
}
