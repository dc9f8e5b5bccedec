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
  sendError,
  sendJson,
  splitUrl,
} from './fine-tuning-fake-support.ts';
import {
  createOpenAIJobLifecycle,
  type FakeOpenAIFile,
  type FakeOpenAIJob,
  type JobRecord,
  type ScriptedOpenAIFailure,
} from './openai-fine-tuning-jobs.ts';

export type {
  FakeOpenAIEvent,
  FakeOpenAIFile,
  FakeOpenAIJob,
  OpenAIJobError,
  OpenAIJobStatus,
  ScriptedOpenAIFailure,
} from './openai-fine-tuning-jobs.ts';

export interface OpenAIFineTuningFakeOptions {
  clock?: FakeClock;
  advance?: FakeAdvanceMode;
  /** Account name in `ft:<model>:<organization>:<suffix>:<id>`. */
  organization?: string;
  /** When set, only this bearer token is accepted. */
  apiKey?: string;
  /** Seed of the deterministic ids. */
  seed?: string;
  /** Answer false (not 404) for routes and ids this fake does not serve, so another handler may. */
  passThrough?: boolean;
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
  /** The next job created starts held (frozen in its first status until `hold(id, false)`). */
  holdNextJob(): void;
  /** Moves a job one status on by hand. */
  step(jobId: string): void;
  /** The next matching request(s) fail with this HTTP status (transient vendor errors). */
  injectHttpError(error: InjectedHttpError): void;
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
  let holdNext = 0;
  const scripted: ScriptedOpenAIFailure[] = [];
  const seconds = () => Math.floor(clock() / 1000);

  const lifecycle = createOpenAIJobLifecycle({
    files,
    scripted,
    organization,
    ids,
    seconds,
    storeFile: (filename, purpose, content) => storeFile(filename, purpose, content),
  });
  const { addEvent, enter, planJob } = lifecycle;

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

  async function uploadFile(request: IncomingMessage, response: ServerResponse, body: Buffer) {
    const form = await parseMultipart(request, body);
    const file = form?.get('file');
    const purpose = form?.get('purpose');
    requests.push(recordRequest(request, '/v1/files', {}, form ? describeForm(form) : undefined));
    if (!form || !(file instanceof File)) {
      return sendError(response, 400, "'file' is a required property", 'file', null);
    }
    if (typeof purpose !== 'string' || purpose.length === 0) {
      return sendError(response, 400, "'purpose' is a required property", 'purpose', null);
    }
    const content = Buffer.from(await file.arrayBuffer());
    if (purpose === 'fine-tune' && !file.name.endsWith('.jsonl')) {
      return sendError(
        response,
        400,
        'Invalid file format for Fine-Tuning API. Must be .jsonl',
        'file',
        null,
      );
    }
    if (content.length === 0) {
      return sendError(response, 400, 'File is empty.', 'file', null);
    }
    return sendJson(response, 200, storeFile(file.name, purpose, content).object);
  }

  function createJob(request: IncomingMessage, response: ServerResponse, body: Buffer) {
    const input = parseJsonBody(body);
    requests.push(recordRequest(request, '/v1/fine_tuning/jobs', {}, input));
    if (!isRecord(input) || typeof input.model !== 'string' || input.model.length === 0) {
      return sendError(response, 400, "'model' is a required property", 'model', null);
    }
    const trainingFile = input.training_file;
    if (typeof trainingFile !== 'string' || !files.has(trainingFile)) {
      return sendError(
        response,
        400,
        `invalid training_file: ${String(trainingFile)}`,
        'training_file',
        'invalid_training_file',
      );
    }
    const validationFile = typeof input.validation_file === 'string' ? input.validation_file : null;
    if (validationFile && !files.has(validationFile)) {
      return sendError(
        response,
        400,
        `invalid validation_file: ${validationFile}`,
        'validation_file',
        'invalid_validation_file',
      );
    }
    if (typeof input.suffix === 'string' && input.suffix.length > 64) {
      return sendError(response, 400, 'suffix must be at most 64 characters', 'suffix', null);
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
    const progression = new JobProgression(
      plan.path,
      (status) => enter(record, status, plan.failure),
      {
        advance,
        clock,
      },
    );
    record = { job, events: [], progression };
    if (holdNext > 0) {
      holdNext -= 1;
      progression.held = true;
    }
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
    if (unknownId && options.passThrough) {
      return false;
    }
    const token = bearerToken(request);
    if (!token || (options.apiKey !== undefined && token !== options.apiKey)) {
      return sendError(response, 401, 'Incorrect API key provided.', null, 'invalid_api_key');
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
        return sendError(response, 404, `No such File object: ${fileMatch[1]}`, 'id', null);
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
        return sendError(
          response,
          404,
          `Could not find fine tune job: ${jobMatch[1]}`,
          'fine_tune_id',
          'fine_tune_not_found',
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
          return sendError(
            response,
            400,
            `Job has already completed: ${record.job.id} (status ${record.job.status})`,
            null,
            null,
          );
        }
        record.progression.divert(['cancelled']);
        return sendJson(response, 200, record.job);
      }
    }
    if (options.passThrough) {
      return false;
    }
    return sendError(response, 404, `Invalid URL (${method} ${path})`, null, null);
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
