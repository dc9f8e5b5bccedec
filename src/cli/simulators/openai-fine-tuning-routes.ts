/**
 * OpenAI's files and fine-tuning endpoints as a route to mount on a simulator (see
 * `fine-tuning-simulator.ts` for a standalone server). Objects follow the `openai` SDK's types
 * (`FileObject`, `FineTuningJob`, `FineTuningJobEvent`). A job goes `validating_files → queued →
 * running → succeeded` as it is retrieved (or as the clock runs); an invalid training file fails it
 * in `validating_files` with `error: {code: "invalid_training_file", message, param}`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createIdGenerator,
  createJobControls,
  describeForm,
  type FineTuningOptions,
  type FineTuningRequest,
  type JobControls,
  paginate,
  recordRequest,
} from './fine-tuning-support.ts';
import { JobProgression } from './job-progression.ts';
import {
  createOpenAIJobLifecycle,
  newOpenAIJob,
  type OpenAIJobRecord,
  type ScriptedOpenAIFailure,
  type SimulatedOpenAIFile,
} from './openai-fine-tuning-jobs.ts';
import {
  bearerToken,
  isRecord,
  parseJson,
  parseMultipart,
  sendError,
  sendJson,
  splitUrl,
} from './simulator-http.ts';
import type { SimulatorRoute } from './simulator-server.ts';

export interface OpenAIFineTuningRoutes extends JobControls<ScriptedOpenAIFailure> {
  handle: SimulatorRoute;
  readonly files: ReadonlyMap<string, SimulatedOpenAIFile>;
  readonly jobs: ReadonlyMap<string, OpenAIJobRecord>;
  readonly requests: FineTuningRequest[];
}

export function createOpenAIFineTuningRoutes(
  options: FineTuningOptions = {},
): OpenAIFineTuningRoutes {
  const clock = options.clock ?? Date.now;
  const advance = options.advance ?? { mode: 'poll' };
  const organization = options.organization ?? 'rekindle-test';
  const ids = createIdGenerator(options.seed ?? 'openai-fine-tuning');
  const files = new Map<string, SimulatedOpenAIFile>();
  const jobs = new Map<string, OpenAIJobRecord>();
  const requests: FineTuningRequest[] = [];
  const { controls, scripted, injected, holdIfAsked } =
    createJobControls<ScriptedOpenAIFailure>(jobs);
  const seconds = () => Math.floor(clock() / 1000);
  const { addEvent, enter, planJob } = createOpenAIJobLifecycle({
    files,
    scripted,
    organization,
    ids,
    seconds,
    runningPolls: options.runningPolls ?? 1,
    storeFile: (filename, purpose, content) => storeFile(filename, purpose, content),
  });

  function storeFile(filename: string, purpose: string, content: Buffer): SimulatedOpenAIFile {
    const file: SimulatedOpenAIFile = {
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
      return sendError(response, 400, "'file' is a required property", 'file');
    }
    if (typeof purpose !== 'string' || purpose.length === 0) {
      return sendError(response, 400, "'purpose' is a required property", 'purpose');
    }
    const content = Buffer.from(await file.arrayBuffer());
    if (purpose === 'fine-tune' && !file.name.endsWith('.jsonl')) {
      const message = 'Invalid file format for Fine-Tuning API. Must be .jsonl';
      return sendError(response, 400, message, 'file');
    }
    if (content.length === 0) {
      return sendError(response, 400, 'File is empty.', 'file');
    }
    return sendJson(response, 200, storeFile(file.name, purpose, content).object);
  }

  function createJob(request: IncomingMessage, response: ServerResponse, body: Buffer) {
    const input = parseJson(body);
    requests.push(recordRequest(request, '/v1/fine_tuning/jobs', {}, input));
    if (!isRecord(input) || typeof input.model !== 'string' || input.model.length === 0) {
      return sendError(response, 400, "'model' is a required property", 'model');
    }
    const trainingFile = input.training_file;
    if (typeof trainingFile !== 'string' || !files.has(trainingFile)) {
      const message = `invalid training_file: ${String(trainingFile)}`;
      return sendError(response, 400, message, 'training_file', 'invalid_training_file');
    }
    const validationFile = typeof input.validation_file === 'string' ? input.validation_file : null;
    if (validationFile && !files.has(validationFile)) {
      const message = `invalid validation_file: ${validationFile}`;
      return sendError(response, 400, message, 'validation_file', 'invalid_validation_file');
    }
    if (typeof input.suffix === 'string' && input.suffix.length > 64) {
      return sendError(response, 400, 'suffix must be at most 64 characters', 'suffix');
    }
    const plan = planJob(input.model, trainingFile, validationFile);
    const job = newOpenAIJob(
      { ...input, model: input.model, training_file: trainingFile },
      { id: ids.base62('ftjob-', 24), createdAt: seconds(), organization },
    );
    const record: OpenAIJobRecord = {
      job,
      events: [],
      progression: new JobProgression(plan.path, (status) => enter(record, status, plan.failure), {
        advance,
        clock,
      }),
    };
    holdIfAsked(record.progression);
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

  function getFile(response: ServerResponse, id: string, content: boolean) {
    const file = files.get(id);
    if (!file) {
      return sendError(response, 404, `No such File object: ${id}`, 'id');
    }
    if (content) {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.end(file.content);
      return true;
    }
    return sendJson(response, 200, file.object);
  }

  function jobAction(request: IncomingMessage, response: ServerResponse, match: string[]) {
    const { path, query } = splitUrl(request);
    const record = jobs.get(match[1] ?? '');
    if (!record) {
      const message = `Could not find fine tune job: ${match[1]}`;
      return sendError(response, 404, message, 'fine_tune_id', 'fine_tune_not_found');
    }
    const action = `${request.method} ${match[2] ?? ''}`;
    if (action === 'GET ') {
      requests.push(recordRequest(request, path, query, undefined));
      record.progression.observe();
      return sendJson(response, 200, record.job);
    }
    if (action === 'GET events') {
      return sendJson(response, 200, paginate([...record.events].reverse(), query));
    }
    if (action === 'POST cancel') {
      requests.push(recordRequest(request, path, query, undefined));
      if (record.progression.isTerminal) {
        const message = `Job has already completed: ${record.job.id} (status ${record.job.status})`;
        return sendError(response, 400, message);
      }
      record.progression.divert(['cancelled']);
      return sendJson(response, 200, record.job);
    }
    return undefined;
  }

  const handle: SimulatorRoute = async (request, response, body) => {
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
    const route = `${method} ${path}`;
    if (route === 'POST /v1/files') {
      return uploadFile(request, response, body);
    }
    if (route === 'POST /v1/fine_tuning/jobs') {
      return createJob(request, response, body);
    }
    if (route === 'GET /v1/fine_tuning/jobs') {
      return listJobs(response, query);
    }
    if (route === 'GET /v1/files') {
      const objects = [...files.values()].map((file) => file.object);
      return sendJson(response, 200, paginate(objects, query, 10_000));
    }
    if (fileMatch && method === 'GET') {
      return getFile(response, fileMatch[1] ?? '', fileMatch[2] !== undefined);
    }
    const answered = jobMatch ? jobAction(request, response, [...jobMatch]) : undefined;
    if (answered !== undefined) {
      return answered;
    }
    return options.passThrough
      ? false
      : sendError(response, 404, `Invalid URL (${method} ${path})`);
  };

  return { handle, files, jobs, requests, ...controls };
}
