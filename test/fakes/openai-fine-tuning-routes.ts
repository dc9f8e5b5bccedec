/**
 * OpenAI's files and fine-tuning endpoints as a mountable route handler (see
 * `fine-tuning-fake.ts` for a standalone server). Objects follow the `openai` SDK's types
 * (`FileObject`, `FineTuningJob`, `FineTuningJobEvent`). A job goes `validating_files → queued →
 * running → succeeded` as it is retrieved (or as the clock runs); an invalid training file fails it
 * in `validating_files` with `error: {code: "invalid_training_file", message, param}`.
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
  paginate,
  parseJsonBody,
  parseMultipart,
  type RecordedRequest,
  recordRequest,
  roughTokens,
  sendJson,
  splitUrl,
} from './fine-tuning-fake-support.ts';
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

export interface OpenAIFineTuningFakeOptions {
  clock?: FakeClock;
  advance?: FakeAdvanceMode;
  /** Account name in `ft:<model>:<organization>:<suffix>:<id>`. */
  organization?: string;
  /** When set, only this bearer token is accepted. */
  apiKey?: string;
  /** Seed of the deterministic ids. */
  seed?: string;
  /** Answer false (not 404) for ids this fake does not hold, so another handler may answer. */
  passUnknownIds?: boolean;
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

interface JobRecord {
  job: FakeOpenAIJob;
  events: FakeOpenAIEvent[];
  progression: JobProgression<OpenAIJobStatus>;
}

export interface ScriptedOpenAIFailure {
  /** The status the job fails after (default `running`). */
  after?: 'validating_files' | 'queued' | 'running';
  error?: Partial<OpenAIJobError>;
}

export interface OpenAIFineTuningFake {
  handle: FakeRouteHandler;
  readonly files: ReadonlyMap<string, FakeOpenAIFile>;
  readonly jobs: ReadonlyMap<string, JobRecord>;
  readonly requests: RecordedRequest[];
  /** The next job created fails (after the given status) with the given error. */
  failNextJob(failure?: ScriptedOpenAIFailure): void;
  /** Freezes (or unfreezes) a job where it is: polls no longer move it. */
  hold(jobId: string, held?: boolean): void;
  /** Moves a job one status on by hand. */
  step(jobId: string): void;
  /** The next matching request(s) fail with this HTTP status (transient vendor errors). */
  injectHttpError(error: InjectedHttpError): void;
}

const defaultFailure: OpenAIJobError = {
  code: 'server_error',
  message: 'The job failed due to an internal error.',
  param: null,
};

function errorBody(message: string, type: string, param: string | null, code: string | null) {
  return { error: { message, type, param, code } };
}

export function createOpenAIFineTuningRoutes(
  options: OpenAIFineTuningFakeOptions = {},
): OpenAIFineTuningFake {
  const clock = options.clock ?? Date.now;
  const advance = options.advance ?? { mode: 'poll' };
  const organization = options.organization ?? 'rekindle-test';
  const ids = createIdGenerator(options.seed ?? 'openai-fine-tuning');
  const files = new Map<string, FakeOpenAIFile>();
  const jobs = new Map<string, JobRecord>();
  const requests: RecordedRequest[] = [];
  const injected = new InjectedErrors();
  const scripted: ScriptedOpenAIFailure[] = [];
  const seconds = () => Math.floor(clock() / 1000);

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

  function storeFile(filename: string, purpose: string, content: Buffer): FakeOpenAIFile {
    const file: FakeOpenAIFile = {
      object: {
        id: ids.base62('file-', 22),
        object: 'file',
        bytes: content.length,
        created_at: seconds(),
        filename,
        purpose,
        status: 'processed',
        status_details: null,
      },
      content,
    };
    files.set(file.object.id, file);
    return file;
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

  async function uploadFile(request: IncomingMessage, response: ServerResponse, body: Buffer) {
    const form = await parseMultipart(request, body);
    const file = form?.get('file');
    const purpose = form?.get('purpose');
    requests.push(recordRequest(request, '/v1/files', {}, form ? describeForm(form) : undefined));
    if (!form || !(file instanceof File)) {
      return sendJson(
        response,
        400,
        errorBody("'file' is a required property", 'invalid_request_error', 'file', null),
      );
    }
    if (typeof purpose !== 'string' || purpose.length === 0) {
      return sendJson(
        response,
        400,
        errorBody("'purpose' is a required property", 'invalid_request_error', 'purpose', null),
      );
    }
    const content = Buffer.from(await file.arrayBuffer());
    if (purpose === 'fine-tune' && !file.name.endsWith('.jsonl')) {
      return sendJson(
        response,
        400,
        errorBody(
          'Invalid file format for Fine-Tuning API. Must be .jsonl',
          'invalid_request_error',
          'file',
          null,
        ),
      );
    }
    if (content.length === 0) {
      return sendJson(
        response,
        400,
        errorBody('File is empty.', 'invalid_request_error', 'file', null),
      );
    }
    return sendJson(response, 200, storeFile(file.name, purpose, content).object);
  }

  function createJob(request: IncomingMessage, response: ServerResponse, body: Buffer) {
    const input = parseJsonBody(body);
    requests.push(recordRequest(request, '/v1/fine_tuning/jobs', {}, input));
    if (!isRecord(input) || typeof input.model !== 'string' || input.model.length === 0) {
      return sendJson(
        response,
        400,
        errorBody("'model' is a required property", 'invalid_request_error', 'model', null),
      );
    }
    const trainingFile = input.training_file;
    if (typeof trainingFile !== 'string' || !files.has(trainingFile)) {
      return sendJson(
        response,
        400,
        errorBody(
          `invalid training_file: ${String(trainingFile)}`,
          'invalid_request_error',
          'training_file',
          'invalid_training_file',
        ),
      );
    }
    const validationFile = typeof input.validation_file === 'string' ? input.validation_file : null;
    if (validationFile && !files.has(validationFile)) {
      return sendJson(
        response,
        400,
        errorBody(
          `invalid validation_file: ${validationFile}`,
          'invalid_request_error',
          'validation_file',
          'invalid_validation_file',
        ),
      );
    }
    if (typeof input.suffix === 'string' && input.suffix.length > 64) {
      return sendJson(
        response,
        400,
        errorBody('suffix must be at most 64 characters', 'invalid_request_error', 'suffix', null),
      );
    }
    const method = isRecord(input.method) ? input.method : undefined;
    const supervised = isRecord(method?.supervised) ? method.supervised : undefined;
    const hyperparameters = {
      batch_size: 'auto',
      learning_rate_multiplier: 'auto',
      n_epochs: 'auto',
      ...(isRecord(input.hyperparameters) ? input.hyperparameters : {}),
      ...(isRecord(supervised?.hyperparameters) ? supervised.hyperparameters : {}),
    };
    const plan = planJob(input.model, trainingFile, validationFile);
    const job: FakeOpenAIJob = {
      id: ids.base62('ftjob-', 24),
      object: 'fine_tuning.job',
      created_at: seconds(),
      error: null,
      fine_tuned_model: null,
      finished_at: null,
      hyperparameters,
      model: input.model,
      organization_id: `org-${organization}`,
      result_files: [],
      seed: typeof input.seed === 'number' ? input.seed : 42,
      status: 'validating_files',
      trained_tokens: null,
      training_file: trainingFile,
      validation_file: validationFile,
      estimated_finish: null,
      integrations: [],
      metadata: isRecord(input.metadata) ? input.metadata : null,
      method: { type: 'supervised', supervised: { hyperparameters } },
      user_provided_suffix: typeof input.suffix === 'string' ? input.suffix : null,
    };
    let record!: JobRecord;
    const progression = new JobProgression(plan.path, advance, clock, (status) =>
      enter(record, status, plan.failure),
    );
    record = { job, events: [], progression };
    jobs.set(job.id, record);
    addEvent(record, `Validating training file: ${trainingFile}`);
    addEvent(record, `Created fine-tuning job: ${job.id}`);
    return sendJson(response, 200, job);
  }

  function listJobs(response: ServerResponse, query: Record<string, string>) {
    const metadataFilters = Object.entries(query)
      .map(([key, value]) => [/^metadata\[(.+)\]$/.exec(key)?.[1], value] as const)
      .filter((entry): entry is readonly [string, string] => entry[0] !== undefined);
    const newestFirst = [...jobs.values()]
      .map((record) => record.job)
      .filter((job) =>
        metadataFilters.every(
          ([key, value]) => isRecord(job.metadata) && job.metadata[key] === value,
        ),
      )
      .reverse();
    return sendJson(response, 200, paginate(newestFirst, query));
  }

  const handle: FakeRouteHandler = async (request, response, body) => {
    const { path, query } = splitUrl(request);
    const method = request.method ?? 'GET';
    const isFiles = path === '/v1/files' || path.startsWith('/v1/files/');
    const isJobs = path === '/v1/fine_tuning/jobs' || path.startsWith('/v1/fine_tuning/jobs/');
    if (!isFiles && !isJobs) {
      return false;
    }
    const fileMatch = /^\/v1\/files\/([^/]+)(\/content)?$/.exec(path);
    const jobMatch = /^\/v1\/fine_tuning\/jobs\/([^/]+)(?:\/(cancel|events))?$/.exec(path);
    const unknownId =
      (fileMatch && !files.has(fileMatch[1] ?? '')) || (jobMatch && !jobs.has(jobMatch[1] ?? ''));
    if (unknownId && options.passUnknownIds) {
      return false;
    }
    const token = bearerToken(request);
    if (!token || (options.apiKey !== undefined && token !== options.apiKey)) {
      return sendJson(
        response,
        401,
        errorBody('Incorrect API key provided.', 'invalid_request_error', null, 'invalid_api_key'),
      );
    }
    if (injected.take(method, path, response)) {
      return true;
    }
    if (method === 'POST' && path === '/v1/files') {
      return uploadFile(request, response, body);
    }
    if (method === 'POST' && path === '/v1/fine_tuning/jobs') {
      return createJob(request, response, body);
    }
    if (method === 'GET' && path === '/v1/fine_tuning/jobs') {
      return listJobs(response, query);
    }
    if (method === 'GET' && path === '/v1/files') {
      return sendJson(
        response,
        200,
        paginate(
          [...files.values()].map((file) => file.object),
          query,
          10_000,
        ),
      );
    }
    if (fileMatch && method === 'GET') {
      const file = files.get(fileMatch[1] ?? '');
      if (!file) {
        return sendJson(
          response,
          404,
          errorBody(`No such File object: ${fileMatch[1]}`, 'invalid_request_error', 'id', null),
        );
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
        return sendJson(
          response,
          404,
          errorBody(
            `Could not find fine tune job: ${jobMatch[1]}`,
            'invalid_request_error',
            'fine_tune_id',
            'fine_tune_not_found',
          ),
        );
      }
      const action = jobMatch[2];
      if (method === 'GET' && action === undefined) {
        requests.push(recordRequest(request, path, query, undefined));
        record.progression.observe();
        return sendJson(response, 200, record.job);
      }
      if (method === 'GET' && action === 'events') {
        return sendJson(response, 200, paginate([...record.events].reverse(), query));
      }
      if (method === 'POST' && action === 'cancel') {
        requests.push(recordRequest(request, path, query, undefined));
        if (record.progression.isTerminal) {
          return sendJson(
            response,
            400,
            errorBody(
              `Job has already completed: ${record.job.id} (status ${record.job.status})`,
              'invalid_request_error',
              null,
              null,
            ),
          );
        }
        record.progression.divert(['cancelled']);
        return sendJson(response, 200, record.job);
      }
    }
    return sendJson(
      response,
      404,
      errorBody(`Invalid URL (${method} ${path})`, 'invalid_request_error', null, null),
    );
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
    step: (jobId) => jobs.get(jobId)?.progression.step(),
    injectHttpError: (error) => injected.add(error),
  };
}

/** `auto` epochs resolve to 3 here (OpenAI's default for mid-sized files). */
function resolvedEpochs(job: FakeOpenAIJob): number {
  const hyperparameters = isRecord(job.hyperparameters) ? job.hyperparameters : {};
  return typeof hyperparameters.n_epochs === 'number' ? hyperparameters.n_epochs : 3;
}
