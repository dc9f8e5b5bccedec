/**
 * OpenAI's files and fine-tuning endpoints, as the `openai` SDK calls them: `POST /v1/files`,
 * `GET /v1/files/{id}`, `POST|GET /v1/fine_tuning/jobs`, `GET /v1/fine_tuning/jobs/{id}`,
 * `POST …/{id}/cancel`, `GET …/{id}/events`. A job goes `validating_files → queued → running →
 * succeeded` one status per poll (running lasts several polls and reports a falling training
 * loss); an invalid training file fails it in `validating_files` as OpenAI does.
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

type Status = 'validating_files' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

interface StoredFile {
  object: Record<string, unknown> & { id: string };
  content: string;
}

interface StoredJob {
  job: Record<string, unknown> & { id: string; status: Status };
  events: Array<Record<string, unknown>>;
  progression: JobProgression<Status>;
}

const runningPolls = 4;

export function createOpenAIFineTuningRoutes(options: {
  organization: string;
  seed: string;
  now: () => number;
}): UpstreamRoute {
  const files = new Map<string, StoredFile>();
  const jobs = new Map<string, StoredJob>();
  const makeId = createIdMaker(`openai:${options.seed}`);
  const seconds = () => Math.floor(options.now() / 1000);

  const addEvent = (record: StoredJob, message: string, data?: Record<string, unknown>) => {
    record.events.push({
      id: makeId('ftevent-', 24),
      object: 'fine_tuning.job.event',
      created_at: seconds(),
      level: 'info',
      message,
      type: data ? 'metrics' : 'message',
      data: data ?? {},
    });
  };

  async function upload(request: IncomingMessage, response: ServerResponse, body: Buffer) {
    const form = await parseMultipart(request, body);
    const file = form?.get('file');
    if (!(file instanceof File)) {
      return sendError(response, 400, "'file' is a required property", { param: 'file' });
    }
    if (form?.get('purpose') === 'fine-tune' && !file.name.endsWith('.jsonl')) {
      return sendError(response, 400, 'Invalid file format for Fine-Tuning API. Must be .jsonl', {
        param: 'file',
      });
    }
    const content = await file.text();
    const object = {
      id: makeId('file-', 22),
      object: 'file',
      bytes: Buffer.byteLength(content),
      created_at: seconds(),
      filename: file.name,
      purpose: String(form?.get('purpose') ?? 'fine-tune'),
      status: 'processed',
      status_details: null,
    };
    files.set(object.id, { object, content });
    return sendJson(response, 200, object);
  }

  function createJob(response: ServerResponse, body: Buffer) {
    const input = parseJson(body);
    if (!isRecord(input) || typeof input.model !== 'string') {
      return sendError(response, 400, "'model' is a required property", { param: 'model' });
    }
    const training =
      typeof input.training_file === 'string' ? files.get(input.training_file) : null;
    if (!training) {
      return sendError(response, 400, `invalid training_file: ${String(input.training_file)}`, {
        param: 'training_file',
        code: 'invalid_training_file',
      });
    }
    const check = validateChatJsonl(training.content, { minimumExamples: 10, alternating: false });
    const method = isRecord(input.method) ? input.method : {};
    const supervised = isRecord(method.supervised) ? method.supervised : {};
    const hyperparameters = {
      batch_size: 'auto',
      learning_rate_multiplier: 'auto',
      n_epochs: 'auto',
      ...(isRecord(supervised.hyperparameters) ? supervised.hyperparameters : {}),
    };
    const suffix = typeof input.suffix === 'string' ? input.suffix : '';
    const job = {
      id: makeId('ftjob-', 24),
      object: 'fine_tuning.job',
      created_at: seconds(),
      error: null as Record<string, unknown> | null,
      fine_tuned_model: null as string | null,
      finished_at: null as number | null,
      hyperparameters,
      model: input.model,
      organization_id: `org-${options.organization}`,
      result_files: [],
      seed: typeof input.seed === 'number' ? input.seed : 42,
      status: 'validating_files' as Status,
      trained_tokens: null as number | null,
      training_file: training.object.id,
      validation_file: typeof input.validation_file === 'string' ? input.validation_file : null,
      estimated_finish: null,
      integrations: [],
      metadata: isRecord(input.metadata) ? input.metadata : null,
      method: { type: 'supervised', supervised: { hyperparameters } },
      user_provided_suffix: suffix || null,
    };
    const path: Status[] = check.problem
      ? ['validating_files', 'failed']
      : [
          'validating_files',
          'queued',
          ...Array.from({ length: runningPolls }, () => 'running' as const),
          'succeeded',
        ];
    const record: StoredJob = {
      job,
      events: [],
      progression: new JobProgression(path, (status, step) => {
        job.status = status;
        if (status === 'running') {
          const progress = step - 1;
          addEvent(record, `Step ${progress * 25}/100: training loss=${loss(progress)}`, {
            step: progress * 25,
            train_loss: loss(progress),
            total_steps: 100,
          });
        } else {
          addEvent(record, statusMessages[status]);
        }
        if (status === 'succeeded') {
          job.fine_tuned_model = `ft:${job.model}:${options.organization}:${suffix}:${makeId('', 8)}`;
          job.trained_tokens = roughTokens(training.content) * 3;
          job.finished_at = seconds();
        }
        if (status === 'failed') {
          job.error = {
            code: 'invalid_training_file',
            message: `The job failed due to an invalid training file. ${check.problem}`,
            param: 'training_file',
          };
          job.finished_at = seconds();
        }
        if (status === 'cancelled') {
          job.finished_at = seconds();
        }
      }),
    };
    jobs.set(job.id, record);
    addEvent(record, `Validating training file: ${training.object.id}`);
    return sendJson(response, 200, job);
  }

  return async (request, response, body, url) => {
    const path = url.pathname;
    const method = request.method ?? 'GET';
    if (method === 'POST' && path === '/v1/files') {
      return upload(request, response, body);
    }
    const file = /^\/v1\/files\/([^/]+)$/.exec(path);
    if (file && method === 'GET') {
      const stored = files.get(file[1] ?? '');
      return stored
        ? sendJson(response, 200, stored.object)
        : sendError(response, 404, `No such File object: ${file[1]}`, { param: 'id' });
    }
    if (path === '/v1/fine_tuning/jobs') {
      if (method === 'POST') {
        return createJob(response, body);
      }
      const newestFirst = [...jobs.values()].map((record) => record.job).reverse();
      return sendJson(response, 200, { object: 'list', data: newestFirst, has_more: false });
    }
    const match = /^\/v1\/fine_tuning\/jobs\/([^/]+)(?:\/(cancel|events))?$/.exec(path);
    if (!match) {
      return false;
    }
    const record = jobs.get(match[1] ?? '');
    if (!record) {
      return sendError(response, 404, `Could not find fine tune job: ${match[1]}`, {
        param: 'fine_tune_id',
        code: 'fine_tune_not_found',
      });
    }
    if (match[2] === 'events') {
      return sendJson(response, 200, {
        object: 'list',
        data: [...record.events].reverse(),
        has_more: false,
      });
    }
    if (match[2] === 'cancel' && method === 'POST') {
      if (record.progression.isTerminal) {
        return sendError(response, 400, `Job has already completed: ${record.job.id}`);
      }
      record.progression.divert(['cancelled']);
      return sendJson(response, 200, record.job);
    }
    record.progression.observe();
    return sendJson(response, 200, record.job);
  };
}

const statusMessages: Record<Status, string> = {
  validating_files: 'Validating training file',
  queued: 'Files validated, moving job to queued state',
  running: 'Fine-tuning job started',
  succeeded: 'The job has successfully completed',
  failed: 'The job failed due to an invalid training file.',
  cancelled: 'The job was cancelled',
};

/** A training loss that falls as the job runs (a made-up but plausible curve). */
function loss(progress: number): number {
  return Math.round((1.9 * Math.exp(-0.45 * progress) + 0.35) * 1000) / 1000;
}
