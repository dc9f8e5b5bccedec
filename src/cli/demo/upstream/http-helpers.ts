/** Small node:http helpers shared by the simulated vendor routes. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A route handler: answers and returns true, or returns false to let the next one try. */
export type UpstreamRoute = (
  request: IncomingMessage,
  response: ServerResponse,
  body: Buffer,
  url: URL,
) => boolean | Promise<boolean>;

export function sendJson(response: ServerResponse, status: number, body: unknown): true {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
  return true;
}

/** The vendors' error envelope (OpenAI's; Together answers in the same shape). */
export function sendError(
  response: ServerResponse,
  status: number,
  message: string,
  options: { param?: string | null; code?: string | null; type?: string } = {},
): true {
  return sendJson(response, status, {
    error: {
      message,
      type: options.type ?? 'invalid_request_error',
      param: options.param ?? null,
      code: options.code ?? null,
    },
  });
}

export function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

export function parseJson(body: Buffer): unknown {
  if (body.length === 0) {
    return undefined;
  }
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** multipart/form-data through the platform's own parser (undici's `Response.formData()`). */
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

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Roughly four characters a token, as the vendors' own estimates go. */
export function roughTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Deterministic ids (`file-…`, `ftjob-…`): the same seed and call order, the same ids. */
export function createIdMaker(seed: string): (prefix: string, length: number) => string {
  let counter = 0;
  return (prefix, length) => {
    counter += 1;
    let state = hashSeed(`${seed}:${prefix}:${counter}`);
    let text = '';
    for (let index = 0; index < length; index += 1) {
      state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
      text += alphabet[(state >>> 16) % alphabet.length];
    }
    return `${prefix}${text}`;
  };
}

function hashSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  }
  return hash >>> 0;
}
