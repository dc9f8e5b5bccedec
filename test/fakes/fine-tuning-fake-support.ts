/**
 * Shared plumbing of the fine-tuning fakes (OpenAI and Together): route-handler type, request
 * recording, deterministic ids, pagination. The HTTP helpers and the job progression (one status at
 * a time as a job is polled, or as an injected clock advances) are the demo's simulated vendors'
 * own, from src/cli/demo/upstream.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../../src/cli/demo/upstream/http-helpers.ts';
import type { JobAdvance } from '../../src/cli/demo/upstream/job-progression.ts';

export {
  isRecord,
  parseJson as parseJsonBody,
  parseMultipart,
  sendJson,
} from '../../src/cli/demo/upstream/http-helpers.ts';
export { JobProgression } from '../../src/cli/demo/upstream/job-progression.ts';

/** A route handler a host fake server can mount; returns true when it answered the request. */
export type FakeRouteHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  body: Buffer,
) => boolean | Promise<boolean>;

export type FakeClock = () => number;

/** How jobs advance (see JobProgression, shared with the demo's simulated vendors). */
export type FakeAdvanceMode = JobAdvance;

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, the multipart fields (file fields as `{filename, bytes}`), or undefined. */
  body: unknown;
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
