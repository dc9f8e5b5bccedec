/**
 * Together's files and fine-tunes endpoints as a route to mount on a simulator (see
 * `fine-tuning-simulator.ts` for a standalone server). Objects follow the `together-ai` SDK's types
 * (`FileResponse`, `FinetuneResponse`, `FinetuneEvent`). A job goes `pending → queued → running →
 * compressing → uploading → completed` as it is retrieved (or as the clock runs); a base model
 * whose name contains `error` ends in `error`; cancel goes `cancel_requested → cancelled`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createIdGenerator,
  createJobControls,
  describeForm,
  type FineTuningOptions,
  type FineTuningRequest,
  type JobControls,
  recordRequest,
} from './fine-tuning-support.ts';
import { JobProgression } from './job-progression.ts';
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
import {
  createTogetherJobLifecycle,
  newTogetherJob,
  type ScriptedTogetherFailure,
  type SimulatedTogetherFile,
  type TogetherJobRecord,
} from './together-fine-tuning-jobs.ts';
import { validateTogetherFile } from './training-file-validation.ts';

export interface TogetherFineTuningRoutes extends JobControls<ScriptedTogetherFailure> {
  handle: SimulatorRoute;
  readonly files: ReadonlyMap<string, SimulatedTogetherFile>;
  readonly jobs: ReadonlyMap<string, TogetherJobRecord>;
  readonly requests: FineTuningRequest[];
}

export function createTogetherFineTuningRoutes(
  options: FineTuningOptions = {},
): TogetherFineTuningRoutes {
  const clock = options.clock ?? Date.now;
  const advance = options.advance ?? { mode: 'poll' };
  const organization = options.organization ?? 'rekindle-test';
  const ids = createIdGenerator(options.seed ?? 'together-fine-tuning');
  const files = new Map<string, SimulatedTogetherFile>();
  const jobs = new Map<string, TogetherJobRecord>();
  const requests: FineTuningRequest[] = [];
  const { controls, scripted, injected, holdIfAsked } =
    createJobControls<ScriptedTogetherFailure>(jobs);
  const isoNow = () => new Date(clock()).toISOString();
  const runningPolls = options.runningPolls ?? 1;
  const lifecycle = createTogetherJobLifecycle({ files, scripted, ids, isoNow, runningPolls });

  async function uploadFile(request: IncomingMessage, response: ServerResponse, body: Buffer) {
    const form = await parseMultipart(request, body);
    const described = form ? describeForm(form) : undefined;
    requests.push(recordRequest(request, '/v1/files/upload', {}, described));
    const file = form?.get('file');
    if (!form || !(file instanceof File)) {
      return sendError(response, 400, 'file is required', 'file');
    }
    const purpose = form.get('purpose');
    if (purpose !== 'fine-tune' && purpose !== 'eval' && purpose !== 'batch-api') {
      return sendError(response, 400, `invalid purpose: ${String(purpose)}`, 'purpose');
    }
    const fileType = form.get('file_type') ?? 'jsonl';
    if (fileType !== 'jsonl') {
      const message = `unsupported file_type for this simulator: ${String(fileType)}`;
      return sendError(response, 400, message, 'file_type');
    }
    const fileName = form.get('file_name');
    const content = Buffer.from(await file.arrayBuffer());
    const validation = validateTogetherFile(content.toString('utf8'));
    const id = `file-${ids.uuid()}`;
    const report = { nlines: validation.examples, file_id: id };
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
        ? { valid: true, dataset_format: validation.format, ...report }
        : { valid: false, error: validation.message, error_type: 'INVALID_FORMAT', ...report },
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
    const input = parseJson(body);
    requests.push(recordRequest(request, '/v1/fine-tunes', {}, input));
    if (!isRecord(input) || typeof input.model !== 'string' || input.model.length === 0) {
      return sendError(response, 400, 'model is required', 'model');
    }
    for (const param of ['training_file', 'validation_file']) {
      const problem = fileProblem(param, input[param]);
      if (problem) {
        return sendError(response, 400, problem, param);
      }
    }
    // Together documents batch_size as optional but refuses a job without it.
    if (input.batch_size === undefined) {
      return sendError(response, 400, 'batch_size is required', 'batch_size');
    }
    const suffix = typeof input.suffix === 'string' ? input.suffix : '';
    if (suffix.length > 40) {
      return sendError(response, 400, 'suffix must be at most 40 characters', 'suffix');
    }
    const plan = lifecycle.planJob(input.model);
    const job = newTogetherJob(
      { ...input, model: input.model },
      { id: `ft-${ids.uuid()}`, now: isoNow(), organization, suffix, ids },
    );
    lifecycle.addEvent(job, 'job_pending', 'Fine tune request created');
    const progression = new JobProgression(
      plan.path,
      (status) => lifecycle.enter(job, status, plan.message),
      { advance, clock },
    );
    holdIfAsked(progression);
    jobs.set(job.id, { job, progression });
    return sendJson(response, 200, job);
  }

  function getFile(response: ServerResponse, id: string, content: boolean) {
    const file = files.get(id);
    if (!file) {
      return sendError(response, 404, `file ${id} not found`, 'id');
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
      return sendError(response, 404, `fine-tune job ${match[1]} not found`, 'id');
    }
    const action = `${request.method} ${match[2] ?? ''}`;
    if (action === 'GET ') {
      requests.push(recordRequest(request, path, query, undefined));
      record.progression.observe();
      return sendJson(response, 200, record.job);
    }
    if (action === 'GET events') {
      return sendJson(response, 200, { data: record.job.events });
    }
    if (action === 'POST cancel') {
      requests.push(recordRequest(request, path, query, undefined));
      if (record.progression.isTerminal || record.job.status === 'cancel_requested') {
        const message = `cannot cancel a job in status ${record.job.status}`;
        return sendError(response, 400, message);
      }
      record.progression.divert(['cancel_requested', 'cancelled']);
      return sendJson(response, 200, record.job);
    }
    return undefined;
  }

  const handle: SimulatorRoute = async (request, response, body) => {
    const { path } = splitUrl(request);
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
      return sendError(response, 401, 'Invalid API key provided');
    }
    if (injected.take(method, path, response)) {
      return true;
    }
    const route = `${method} ${path}`;
    if (route === 'POST /v1/files/upload') {
      return uploadFile(request, response, body);
    }
    if (route === 'POST /v1/fine-tunes') {
      return createJob(request, response, body);
    }
    if (route === 'GET /v1/fine-tunes') {
      return sendJson(response, 200, { data: [...jobs.values()].map((record) => record.job) });
    }
    if (route === 'GET /v1/files') {
      return sendJson(response, 200, { data: [...files.values()].map((file) => file.object) });
    }
    if (fileMatch && method === 'GET') {
      return getFile(response, fileMatch[1] ?? '', fileMatch[2] !== undefined);
    }
    const answered = jobMatch ? jobAction(request, response, [...jobMatch]) : undefined;
    if (answered !== undefined) {
      return answered;
    }
    return options.passThrough ? false : sendError(response, 404, `no route for ${route}`);
  };

  return { handle, files, jobs, requests, ...controls };
}
