/**
 * The server under every simulated vendor: a real `node:http` server on 127.0.0.1 port 0 that
 * records each request it receives, lets mounted routes answer first, and then hands the request
 * to the vendor's own handler. `close()` drops open connections (a hung answer included) at once.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { sendError } from './simulator-http.ts';

/** A route mounted on a simulator; answers and returns true, or returns false to pass. */
export type SimulatorRoute = (
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

export interface SimulatorServer {
  readonly origin: string;
  /** Every request received, in order (empty when recording is off). */
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export type SimulatorHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  recorded: RecordedRequest,
) => Promise<unknown> | unknown;

export interface SimulatorServerOptions {
  routes?: readonly SimulatorRoute[];
  /** Off for long runs (the demo sends thousands of requests nobody reads back). Default on. */
  recordRequests?: boolean;
}

export async function startSimulatorServer(
  handle: SimulatorHandler,
  options: SimulatorServerOptions = {},
): Promise<SimulatorServer> {
  const routes = options.routes ?? [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const recorded = record(request, response, raw);
      if (options.recordRequests !== false) {
        requests.push(recorded);
      }
      void dispatch(request, response, raw, recorded).catch((error: unknown) => {
        if (!response.headersSent) {
          sendError(response, 500, String(error), null, null, 'server_error');
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
