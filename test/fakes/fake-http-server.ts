/**
 * Shared plumbing of the vendor chat fakes (openai-fake.ts, anthropic-fake.ts): a real `node:http`
 * server on 127.0.0.1 port 0 that records every request, mounts extra route handlers, keeps a FIFO
 * of scripted behaviours plus a persistent default, and knows how to misbehave like a real upstream
 * (hang, reset before or after the first bytes, cut or stall a stream).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A route handler mounted on a fake; answers and returns true, or returns false to pass. */
export type FakeRouteHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  body: Buffer,
) => boolean | Promise<boolean>;

export interface RecordedRequest {
  readonly method: string;
  /** Path with query string, e.g. `/v1/chat/completions`. */
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The client's port: equal ports on two requests mean a reused keep-alive connection. */
  readonly remotePort: number | undefined;
  readonly rawBody: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly body: unknown;
  /** Resolves when the client closed the connection before this request's answer was complete. */
  readonly clientDisconnected: Promise<void>;
  /** True once the client went away before the answer was complete. */
  disconnectedEarly(): boolean;
}

/** Misbehaviours every fake supports; `delayMs` on any script waits before acting. */
export type FaultScript =
  /** Answer this status, headers and body (an object is sent as JSON). */
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: unknown }
  /** Read the request, then never answer. */
  | { kind: 'hang' }
  /** Close the connection (TCP reset) before sending any header. */
  | { kind: 'reset-before-headers' }
  /** Stream: send the headers and the first frame, then reset. Non-stream: half a body, reset. */
  | { kind: 'reset-after-first-chunk' }
  /** Stream: send `afterFrames` frames (default 2), then end cleanly without the end marker. */
  | { kind: 'cut-stream'; afterFrames?: number }
  /** Stream: send `afterFrames` frames (default 1), then keep the connection open silently. */
  | { kind: 'stall'; afterFrames?: number }
  /** Send these exact byte pieces as a 200 `text/event-stream`, pausing between them. */
  | { kind: 'raw-stream'; pieces: string[]; pauseMs?: number };

export type Scripted<Script> = Script & { delayMs?: number };

export interface FakeServerHandle {
  readonly origin: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export type FakeRequestHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  recorded: RecordedRequest,
) => Promise<void> | void;

export async function startFakeServer(
  handle: FakeRequestHandler,
  routes: readonly FakeRouteHandler[] = [],
): Promise<FakeServerHandle> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const recorded = record(request, response, raw);
      requests.push(recorded);
      void dispatch(request, response, raw, recorded).catch((error: unknown) => {
        if (!response.headersSent) {
          sendJson(response, 500, { error: { message: String(error), type: 'server_error' } });
        } else {
          response.destroy();
        }
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function dispatch(
    request: IncomingMessage,
    response: ServerResponse,
    raw: Buffer,
    recorded: RecordedRequest,
  ) {
    for (const route of routes) {
      if (await route(request, response, raw)) {
        return;
      }
    }
    await handle(request, response, recorded);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      for (const socket of sockets) {
        socket.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function record(request: IncomingMessage, response: ServerResponse, raw: Buffer): RecordedRequest {
  const rawBody = raw.toString('utf8');
  let body: unknown;
  try {
    body = rawBody.length > 0 ? JSON.parse(rawBody) : undefined;
  } catch {
    body = undefined;
  }
  let early = false;
  const clientDisconnected = new Promise<void>((resolve) => {
    response.on('close', () => {
      if (!response.writableFinished) {
        early = true;
        resolve();
      }
    });
  });
  return {
    method: request.method ?? 'GET',
    path: request.url ?? '/',
    headers: { ...request.headers },
    remotePort: request.socket.remotePort,
    rawBody,
    body,
    clientDisconnected,
    disconnectedEarly: () => early,
  };
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

export function resetConnection(response: ServerResponse): void {
  const socket = response.socket;
  if (socket === null) {
    return;
  }
  if (typeof socket.resetAndDestroy === 'function') {
    socket.resetAndDestroy();
  } else {
    socket.destroy();
  }
}

export const sleep = (milliseconds: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

export function startEventStream(response: ServerResponse): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  response.flushHeaders();
}

/** Writes one frame and waits until it left the process, so a following reset cannot overtake it. */
export function writeFrame(response: ServerResponse, frame: string): Promise<void> {
  return new Promise((resolve) => {
    response.write(frame, () => resolve());
  });
}

/**
 * Plays a stream's frames, applying a fault when given: the shared part of every vendor's SSE
 * answer. `endMarker` frames (e.g. `data: [DONE]`) are part of `frames`.
 */
export async function playStream(
  response: ServerResponse,
  frames: readonly string[],
  fault: FaultScript | undefined,
  frameDelayMs = 0,
  endDelayMs = 0,
): Promise<void> {
  startEventStream(response);
  let limit = frames.length;
  if (fault?.kind === 'reset-after-first-chunk' || fault?.kind === 'stall') {
    limit = fault.kind === 'stall' ? (fault.afterFrames ?? 1) : 1;
  } else if (fault?.kind === 'cut-stream') {
    limit = fault.afterFrames ?? 2;
  }
  for (const frame of frames.slice(0, limit)) {
    if (frameDelayMs > 0) {
      await sleep(frameDelayMs);
    }
    await writeFrame(response, frame);
  }
  if (fault?.kind === 'reset-after-first-chunk') {
    await sleep(20);
    resetConnection(response);
  } else if (fault?.kind !== 'stall') {
    if (endDelayMs > 0) {
      await sleep(endDelayMs);
    }
    response.end();
  }
}

/**
 * Applies a fault that does not depend on the vendor. Returns true when the request is handled (or
 * deliberately never will be), false when the vendor fake must produce the answer itself.
 */
export async function applyCommonFault(
  response: ServerResponse,
  script: FaultScript,
): Promise<boolean> {
  switch (script.kind) {
    case 'status':
      sendJson(response, script.status, script.body ?? '', script.headers ?? {});
      return true;
    case 'hang':
      return true;
    case 'reset-before-headers':
      resetConnection(response);
      return true;
    case 'raw-stream':
      startEventStream(response);
      for (const piece of script.pieces) {
        await writeFrame(response, piece);
        await sleep(script.pauseMs ?? 5);
      }
      response.end();
      return true;
    default:
      return false;
  }
}

/** The text of the last user message (string or text parts), for deterministic default answers. */
export function lastUserText(messages: unknown): string {
  if (!Array.isArray(messages)) {
    return '';
  }
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index] as { role?: unknown; content?: unknown };
    if (message?.role !== 'user') {
      continue;
    }
    if (typeof message.content === 'string') {
      return message.content;
    }
    if (Array.isArray(message.content)) {
      return message.content
        .map((part: { text?: unknown }) => (typeof part?.text === 'string' ? part.text : ''))
        .join(' ')
        .trim();
    }
  }
  return '';
}

/** Splits text into word-sized deltas, whitespace kept with the word before it. */
export function wordPieces(text: string): string[] {
  return text.length === 0 ? [] : text.split(/(?<=\s)/);
}
