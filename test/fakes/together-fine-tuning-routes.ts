/**
 * Together's files and fine-tunes endpoints as a mountable route handler (see
 * `fine-tuning-fake.ts` for a standalone server). Objects follow the `together-ai` SDK's types
 * (`FileResponse`, `FinetuneResponse`, `FinetuneEvent`). A job goes `pending → queued → running →
 * compressing → uploading → completed` as it is retrieved (or as the clock runs); a base model
 * whose name contains `error` ends in `error`; cancel goes `cancel_requested → cancelled`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  bearerToken,
  createIdGenerator,
  describeForm,
  type FakeAdvanceMode,
  type FakeClock,
  type FakeRouteHandler,
  InjectedErrors,
  type InjectedHttpError,
  isRecord,
  JobProgression,
  parseJsonBody,
  parseMultipart,
  type RecordedRequest,
  recordRequest,
  sendError,
  sendJson,
  splitUrl,
} from './fine-tuning-fake-support.ts';
import { validateTogetherFile } from './fine-tuning-file-validation.ts';
import {
  createTogetherJobLifecycle,
  type FakeTogetherFile,
  type FakeTogetherJob,
  type JobRecord,
  type ScriptedTogetherFailure,
} from './together-fine-tuning-jobs.ts';

export type {
  FakeTogetherEvent,
  FakeTogetherFile,
  FakeTogetherJob,
  ScriptedTogetherFailure,
  TogetherJobStatus,
} from './together-fine-tuning-jobs.ts';

export interface TogetherFineTuningFakeOptions {
  clock?: FakeClock;
  advance?: FakeAdvanceMode;
  /** Account namespace in `model_output_name` (`<organization>/<model>-<suffix>-<hash>`). */
  organization?: string;
  apiKey?: string;
  seed?: string;
  /** Answer false (not 404) for routes and ids this fake does not serve, so another handler may. */
  passThrough?: boolean;
}

export interface TogetherFineTuningFake {
  handle: FakeRouteHandler;
  readonly files: ReadonlyMap<string, FakeTogetherFile>;
  readonly jobs: ReadonlyMap<string, JobRecord>;
  readonly requests: RecordedRequest[];
  failNextJob(failure?: ScriptedTogetherFailure): void;
  hold(jobId: string, held?: boolean): void;
  /** The next job created starts held (frozen in its first status until `hold(id, false)`). */
  holdNextJob(): void;
  step(jobId: string): void;
  /** The next matching request(s) fail with this HTTP status (transient vendor errors). */
  injectHttpError(error: InjectedHttpError): void;
}

export function createTogetherFineTuningRoutes(
  options: TogetherFineTuningFakeOptions = {},
): TogetherFineTuningFake {
  const clock = options.clock ?? Date.now;
  const advance = options.advance ?? { mode: 'poll' };
  const organization = options.organization ?? 'rekindle-test';
  const ids = createIdGenerator(options.seed ?? 'together-fine-tuning');
  const files = new Map<string, FakeTogetherFile>();
  const jobs = new Map<string, JobRecord>();
  const requests: RecordedRequest[] = [];
  const injected = new InjectedErrors();
  let holdNext = 0;
  const scripted: ScriptedTogetherFailure[] = [];
  const isoNow = () => new Date(clock()).toISOString();

  const { addEvent, enter, planJob } = createTogetherJobLifecycle({ files, scripted, ids, isoNow });

  async function uploadFile(request: IncomingMessage, response: ServerResponse, body: Buffer) {
    const form = await parseMultipart(request, body);
    requests.push(
      recordRequest(request, '/v1/files/upload', {}, form ? describeForm(form) : undefined),
    );
    const file = form?.get('file');
    if (!form || !(file instanceof File)) {
      return sendError(response, 400, 'file is required', 'file', null);
    }
    const purpose = form.get('purpose');
    if (purpose !== 'fine-tune' && purpose !== 'eval' && purpose !== 'batch-api') {
      return sendError(response, 400, `invalid purpose: ${String(purpose)}`, 'purpose', null);
    }
    const fileType = form.get('file_type') ?? 'jsonl';
    if (fileType !== 'jsonl') {
      return sendError(
        response,
        400,
        `unsupported file_type for this fake: ${String(fileType)}`,
        'file_type',
        null,
      );
    }
    const fileName = form.get('file_name');
    const content = Buffer.from(await file.arrayBuffer());
    const validation = validateTogetherFile(content.toString('utf8'));
    const id = `file-${ids.uuid()}`;
    const object = {
      id,
      object: 'file',
      created_at: Math.floor(clock() / 1000),
      filename: typeof fileName === 'string' ? fileName : file.name,
      bytes: content.length,
      purpose,
      Processed: true,
      FileType: 'jsonl',
      LineCount: validation.examples,
      processing_status: validation.valid ? 'COMPLETED' : 'INVALID_FORMAT',
      validation_report: validation.valid
        ? {
            valid: true,
            dataset_format: validation.format,
            nlines: validation.examples,
            file_id: id,
          }
        : {
            valid: false,
            error: validation.message,
            error_type: 'INVALID_FORMAT',
            nlines: validation.examples,
            file_id: id,
          },
    };
    files.set(id, { object, content, validation });
    return sendJson(response, 200, object);
  }

  function fileProblem(param: string, fileId: unknown): string | undefined {
    if (fileId === undefined && param === 'validation_file') {
      return undefined;
    }
    const file = typeof fileId === 'string' ? files.get(fileId) : undefined;
    if (!file) {
      return `${param} ${String(fileId)} does not exist`;
    }
    return file.validation.valid
      ? undefined
      : `${param} ${file.object.id} failed validation: ${file.validation.message}`;
  }

  function createJob(request: IncomingMessage, response: ServerResponse, body: Buffer) {
    const input = parseJsonBody(body);
    requests.push(recordRequest(request, '/v1/fine-tunes', {}, input));
    if (!isRecord(input) || typeof input.model !== 'string' || input.model.length === 0) {
      return sendError(response, 400, 'model is required', 'model', null);
    }
    for (const param of ['training_file', 'validation_file']) {
      const problem = fileProblem(param, input[param]);
      if (problem) {
        return sendError(response, 400, problem, param, null);
      }
    }
    // Together documents batch_size as optional but refuses a job without it.
    if (input.batch_size === undefined) {
      return sendError(response, 400, 'batch_size is required', 'batch_size', null);
    }
    const suffix = typeof input.suffix === 'string' ? input.suffix : '';
    if (suffix.length > 40) {
      return sendError(response, 400, 'suffix must be at most 40 characters', 'suffix', null);
    }
    const plan = planJob(input.model);
    const baseName = input.model.split('/').at(-1) ?? input.model;
    const now = isoNow();
    const job: FakeTogetherJob = {
      id: `ft-${ids.uuid()}`,
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
      created_at: now,
      updated_at: now,
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
    addEvent(job, 'job_pending', 'Fine tune request created');
    const progression = new JobProgression(
      plan.path,
      (status) => enter(job, status, plan.message),
      {
        advance,
        clock,
      },
    );
    if (holdNext > 0) {
      holdNext -= 1;
      progression.held = true;
    }
    jobs.set(job.id, { job, progression });
    return sendJson(response, 200, job);
  }

  const handle: FakeRouteHandler = async (request, response, body) => {
    const { path, query } = splitUrl(request);
    const method = request.method ?? 'GET';
    const isFiles = path === '/v1/files' || path.startsWith('/v1/files/');
    const isJobs = path === '/v1/fine-tunes' || path.startsWith('/v1/fine-tunes/');
    if (!isFiles && !isJobs) {
      return false;
    }
    const fileMatch = /^\/v1\/files\/([^/]+)(\/content)?$/.exec(path);
    const jobMatch = /^\/v1\/fine-tunes\/([^/]+)(?:\/(cancel|events))?$/.exec(path);
    const knownFile = fileMatch?.[1] === 'upload' || files.has(fileMatch?.[1] ?? '');
    const unknownId = (fileMatch && !knownFile) || (jobMatch && !jobs.has(jobMatch[1] ?? ''));
    if (unknownId && options.passThrough) {
      return false;
    }
    const token = bearerToken(request);
    if (!token || (options.apiKey !== undefined && token !== options.apiKey)) {
      return sendError(response, 401, 'Invalid API key provided', null, null);
    }
    if (injected.take(method, path, response)) {
      return true;
    }
    if (method === 'POST' && path === '/v1/files/upload') {
      return uploadFile(request, response, body);
    }
    if (method === 'POST' && path === '/v1/fine-tunes') {
      return createJob(request, response, body);
    }
    if (method === 'GET' && path === '/v1/fine-tunes') {
      return sendJson(response, 200, { data: [...jobs.values()].map((record) => record.job) });
    }
    if (method === 'GET' && path === '/v1/files') {
      return sendJson(response, 200, { data: [...files.values()].map((file) => file.object) });
    }
    if (fileMatch && method === 'GET') {
      const file = files.get(fileMatch[1] ?? '');
      if (!file) {
        return sendError(response, 404, `file ${fileMatch[1]} not found`, 'id', null);
      }
      if (fileMatch[2]) {
        response.writeHead(200, { 'content-type': 'application/octet-stream' });
        response.end(file.content);
        return true;
      }
      return sendJson(response, 200, file.object);
    }
    if (jobMatch) {
      const record = jobs.get(jobMatch[1] ?? '');
      if (!record) {
        return sendError(response, 404, `fine-tune job ${jobMatch[1]} not found`, 'id', null);
      }
      const action = jobMatch[2];
      if (method === 'GET' && action === undefined) {
        requests.push(recordRequest(request, path, query, undefined));
        record.progression.observe();
        return sendJson(response, 200, record.job);
      }
      if (method === 'GET' && action === 'events') {
        return sendJson(response, 200, { data: record.job.events });
      }
      if (method === 'POST' && action === 'cancel') {
        requests.push(recordRequest(request, path, query, undefined));
        if (record.progression.isTerminal || record.job.status === 'cancel_requested') {
          return sendError(
            response,
            400,
            `cannot cancel a job in status ${record.job.status}`,
            null,
            null,
          );
        }
        record.progression.divert(['cancel_requested', 'cancelled']);
        return sendJson(response, 200, record.job);
      }
    }
    if (options.passThrough) {
      return false;
    }
    return sendError(response, 404, `no route for ${method} ${path}`, null, null);
  };

  return {
    handle,
    files,
    jobs,
    requests,
    failNextJob: (failure = {}) => {
      scripted.push(failure);
    },
    hold: (jobId, held = true) => {
      const record = jobs.get(jobId);
      if (record) {
        record.progression.held = held;
      }
    },
    holdNextJob: () => {
      holdNext += 1;
    },
    step: (jobId) => jobs.get(jobId)?.progression.step(),
    injectHttpError: (error) => injected.add(error),
  };
}
