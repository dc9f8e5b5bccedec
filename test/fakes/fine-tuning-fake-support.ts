/**
 * Shared plumbing of the fine-tuning fakes (OpenAI and Together): route-handler type, JSON and
 * multipart helpers, deterministic ids, and the job progression that moves a job one status at a
 * time as it is polled (or as an injected clock advances).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A route handler a host fake server can mount; returns true when it answered the request. */
export type FakeRouteHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  body: Buffer,
) => boolean | Promise<boolean>;

export type FakeClock = () => number;

/**
 * How jobs advance. `poll`: every `pollsPerStep` retrievals of a job move it one status on (the
 * default, 1, means each GET returns the next status). `time`: a job moves one status per `stepMs`
 * of the injected clock since it entered its current status; retrievals only observe.
 */
export type FakeAdvanceMode =
  | { mode: 'poll'; pollsPerStep?: number }
  | { mode: 'time'; stepMs: number };

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, the multipart fields (file fields as `{filename, bytes}`), or undefined. */
  body: unknown;
}

export function sendJson(response: ServerResponse, status: number, body: unknown): true {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
  return true;
}

/** Parses a multipart/form-data body with the platform's own parser (undici's `formData()`). */
export async function parseMultipart(
  request: IncomingMessage,
  body: Buffer,
): Promise<FormData | undefined> {
  const contentType = request.headers['content-type'] ?? '';
  if (!contentType.startsWith('multipart/form-data')) {
    return undefined;
  }
  try {
    return await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return undefined;
  }
}

export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) {
    return undefined;
  }
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function splitUrl(request: IncomingMessage): {
  path: string;
  query: Record<string, string>;
} {
  const url = new URL(request.url ?? '/', 'http://fake.local');
  return { path: url.pathname, query: Object.fromEntries(url.searchParams) };
}

export function bearerToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match?.[1];
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

/** A job's remaining path through the vendor's statuses, advanced by polls or by the clock. */
export class JobProgression<Status extends string> {
  private path: Status[];
  private index = 0;
  private pollsInStatus = 0;
  private enteredAt: number;
  held = false;

  constructor(
    path: readonly Status[],
    private readonly advance: FakeAdvanceMode,
    private readonly clock: FakeClock,
    private readonly onEnter: (status: Status) => void,
  ) {
    if (path.length === 0) {
      throw new Error('a job needs at least one status');
    }
    this.path = [...path];
    this.enteredAt = clock();
  }

  get status(): Status {
    return this.path[this.index] as Status;
  }

  get isTerminal(): boolean {
    return this.index === this.path.length - 1;
  }

  /** Called on every retrieval of the job; moves it on as the advance mode says. */
  observe(): void {
    if (this.held || this.isTerminal) {
      return;
    }
    if (this.advance.mode === 'poll') {
      this.pollsInStatus += 1;
      if (this.pollsInStatus >= (this.advance.pollsPerStep ?? 1)) {
        this.step();
      }
      return;
    }
    while (!this.isTerminal && this.clock() - this.enteredAt >= this.advance.stepMs) {
      const next = this.enteredAt + this.advance.stepMs;
      this.step();
      this.enteredAt = next;
    }
  }

  /** Moves one status on regardless of the mode (tests drive jobs by hand with it). */
  step(): void {
    if (this.isTerminal) {
      return;
    }
    this.index += 1;
    this.pollsInStatus = 0;
    this.enteredAt = this.clock();
    this.onEnter(this.status);
  }

  /** Replaces the rest of the path (cancel, scripted failure) and enters its first status now. */
  divert(rest: readonly Status[]): void {
    this.path = [...this.path.slice(0, this.index + 1), ...rest];
    this.step();
  }
}

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

/** A rough token count (4 characters per token), used for `trained_tokens` / `token_count`. */
export function roughTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function recordRequest(
  request: IncomingMessage,
  path: string,
  query: Record<string, string>,
  body: unknown,
): RecordedRequest {
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

export interface InjectedHttpError {
  status: number;
  /** Only requests whose path contains this (default: any route of the fake). */
  pathIncludes?: string;
  method?: string;
  /** How many matching requests fail (default 1). */
  times?: number;
  headers?: Record<string, string>;
}

/** Transient vendor failures (429, 500, …) queued by a test; each matching request consumes one. */
export class InjectedErrors {
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
    for (const [name, value] of Object.entries(match.headers ?? {})) {
      response.setHeader(name, value);
    }
    sendJson(response, match.status, {
      error: {
        message: `injected failure (${match.status})`,
        type: match.status === 429 ? 'rate_limit_error' : 'server_error',
        param: null,
        code: null,
      },
    });
    return true;
  }
}

/** OpenAI's error envelope (Together answers in the same shape). */
export function sendError(
  response: ServerResponse,
  status: number,
  message: string,
  param: string | null = null,
  code: string | null = null,
  type = 'invalid_request_error',
): true {
  return sendJson(response, status, { error: { message, type, param, code } });
}
