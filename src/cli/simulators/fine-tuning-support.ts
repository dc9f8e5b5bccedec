/**
 * What the OpenAI and Together fine-tuning simulators share: deterministic ids, pagination, the
 * record of each request, transient failures a test injects, and the controls a test drives jobs
 * with (scripted failures, holds, manual steps).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JobAdvance } from './job-progression.ts';
import { sendJson } from './simulator-http.ts';

export type FineTuningClock = () => number;

export interface FineTuningOptions {
  clock?: FineTuningClock;
  /** How jobs advance: one status per poll (default) or per `stepMs` of the clock. */
  advance?: JobAdvance;
  /** Account name in the fine-tuned model's id. */
  organization?: string;
  /** When set, only this bearer token is accepted. */
  apiKey?: string;
  /** Seed of the deterministic ids. */
  seed?: string;
  /** Answer false (not 404) for routes and ids this simulator does not serve, so another may. */
  passThrough?: boolean;
  /** Polls (or steps) a job stays `running`, each with progress; default 1. */
  runningPolls?: number;
}

/** One request to the fine-tuning routes. */
export interface FineTuningRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, the multipart fields (file fields as `{filename, bytes}`), or undefined. */
  body: unknown;
}

const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Deterministic ids: the same seed and call order give the same ids on every run. */
export function createIdGenerator(seed: string) {
  let counter = 0;
  const digest = (kind: string) => {
    counter += 1;
    return createHash('sha256').update(`${seed}:${kind}:${counter}`).digest();
  };
  return {
    base62(prefix: string, length: number): string {
      const bytes = digest(prefix);
      let text = '';
      for (let index = 0; index < length; index += 1) {
        text += base62[(bytes[index % bytes.length] ?? 0) % 62];
      }
      return `${prefix}${text}`;
    },
    hex(length: number): string {
      return digest('hex').toString('hex').slice(0, length);
    },
    uuid(): string {
      const hex = digest('uuid').toString('hex');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    },
  };
}

export type IdGenerator = ReturnType<typeof createIdGenerator>;

/** Cursor pagination the way OpenAI lists do it: `after` is the id of the last item seen. */
export function paginate<Item extends { id: string }>(
  items: readonly Item[],
  query: Record<string, string>,
  defaultLimit = 20,
): { object: 'list'; data: Item[]; has_more: boolean } {
  const limit = Math.max(1, Math.min(100, Number(query.limit ?? defaultLimit) || defaultLimit));
  const start = query.after ? items.findIndex((item) => item.id === query.after) + 1 : 0;
  const data = items.slice(start, start + limit);
  return { object: 'list', data, has_more: start + limit < items.length };
}

export function recordRequest(
  request: IncomingMessage,
  path: string,
  query: Record<string, string>,
  body: unknown,
): FineTuningRequest {
  return { method: request.method ?? 'GET', path, query, headers: { ...request.headers }, body };
}

/** Multipart fields as plain data for `requests` (file contents summarized, not copied). */
export function describeForm(form: FormData): Record<string, unknown> {
  const described: Record<string, unknown> = {};
  for (const [name, value] of form.entries()) {
    described[name] =
      typeof value === 'string' ? value : { filename: value.name, bytes: value.size };
  }
  return described;
}

interface InjectedHttpError {
  status: number;
  /** Only requests whose path contains this (default: any route of the simulator). */
  pathIncludes?: string;
  method?: string;
  /** How many matching requests fail (default 1). */
  times?: number;
  headers?: Record<string, string>;
}

/** Transient vendor failures (429, 500, …) queued by a test; each matching request consumes one. */
class InjectedErrors {
  private readonly queue: Array<InjectedHttpError & { remaining: number }> = [];

  add(error: InjectedHttpError): void {
    this.queue.push({ ...error, remaining: error.times ?? 1 });
  }

  /** Answers the request with the next matching injected error; false when none matches. */
  take(method: string, path: string, response: ServerResponse): boolean {
    const match = this.queue.find(
      (candidate) =>
        (candidate.method === undefined || candidate.method === method) &&
        (candidate.pathIncludes === undefined || path.includes(candidate.pathIncludes)),
    );
    if (!match) {
      return false;
    }
    match.remaining -= 1;
    if (match.remaining <= 0) {
      this.queue.splice(this.queue.indexOf(match), 1);
    }
    const error = {
      message: `injected failure (${match.status})`,
      type: match.status === 429 ? 'rate_limit_error' : 'server_error',
      param: null,
      code: null,
    };
    return sendJson(response, match.status, { error }, match.headers ?? {});
  }
}

/** How a test drives jobs. */
export interface JobControls<Failure> {
  /** The next job created fails (after the given status) as the failure says. */
  failNextJob(failure?: Partial<Failure>): void;
  /** Freezes (or unfreezes) a job where it is: polls no longer move it. */
  hold(jobId: string, held?: boolean): void;
  /** The next job created starts held (frozen in its first status until `hold(id, false)`). */
  holdNextJob(): void;
  /** Moves a job one status on by hand. */
  step(jobId: string): void;
  /** The next matching request(s) fail with this HTTP status (transient vendor errors). */
  injectHttpError(error: InjectedHttpError): void;
}

interface Controllable {
  progression: { held: boolean; step(): void };
}

/** The controls, plus what the routes read: scripted failures, injected errors, pending holds. */
export function createJobControls<Failure extends object>(jobs: ReadonlyMap<string, Controllable>) {
  const scripted: Array<Partial<Failure>> = [];
  const injected = new InjectedErrors();
  let holdNext = 0;
  const controls: JobControls<Failure> = {
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
  /** Holds a new job's progression when `holdNextJob()` asked for it. */
  const holdIfAsked = (progression: Controllable['progression']) => {
    if (holdNext > 0) {
      holdNext -= 1;
      progression.held = true;
    }
  };
  return { controls, scripted, injected, holdIfAsked };
}
