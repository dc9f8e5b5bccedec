/** Small node:http helpers shared by the simulated vendors. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Answers JSON (a string body is sent as it is, so a test can send broken JSON on purpose). */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): true {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
  return true;
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

export function splitUrl(request: IncomingMessage): {
  path: string;
  query: Record<string, string>;
} {
  const url = new URL(request.url ?? '/', 'http://simulator.local');
  return { path: url.pathname, query: Object.fromEntries(url.searchParams) };
}

export function bearerToken(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match?.[1];
}

/** A rough token count (4 characters per token), as the vendors' own estimates go. */
export function roughTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export const sleep = (milliseconds: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, milliseconds));
