/**
 * A standalone fine-tuning fake: a real `node:http` server on 127.0.0.1 (port 0) serving one
 * vendor's files and fine-tuning routes. Point the SDK's `baseURL` at `url` (it ends in `/v1`).
 * To serve chat completions and fine-tuning on one base URL instead, mount
 * `createOpenAIFineTuningRoutes(...).handle` / `createTogetherFineTuningRoutes(...).handle` on the
 * chat fake.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FakeAdvanceMode, type FakeClock, sendJson } from './fine-tuning-fake-support.ts';
import {
  createOpenAIFineTuningRoutes,
  type OpenAIFineTuningFake,
} from './openai-fine-tuning-routes.ts';
import {
  createTogetherFineTuningRoutes,
  type TogetherFineTuningFake,
} from './together-fine-tuning-routes.ts';

export interface StartFineTuningFakeOptions<Vendor extends 'openai' | 'together'> {
  vendor: Vendor;
  clock?: FakeClock;
  advance?: FakeAdvanceMode;
  organization?: string;
  apiKey?: string;
  seed?: string;
}

export interface RunningFineTuningFake<Vendor extends 'openai' | 'together'> {
  /** Base URL for the SDKs, e.g. `http://127.0.0.1:43123/v1`. */
  url: string;
  origin: string;
  routes: Vendor extends 'openai' ? OpenAIFineTuningFake : TogetherFineTuningFake;
  close(): Promise<void>;
}

export async function startFineTuningFake<Vendor extends 'openai' | 'together'>(
  options: StartFineTuningFakeOptions<Vendor>,
): Promise<RunningFineTuningFake<Vendor>> {
  const routeOptions = {
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.advance ? { advance: options.advance } : {}),
    ...(options.organization ? { organization: options.organization } : {}),
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    ...(options.seed ? { seed: options.seed } : {}),
  };
  const routes =
    options.vendor === 'openai'
      ? createOpenAIFineTuningRoutes(routeOptions)
      : createTogetherFineTuningRoutes(routeOptions);

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      Promise.resolve(routes.handle(request, response, Buffer.concat(chunks)))
        .then((handled) => {
          if (!handled) {
            sendJson(response, 404, {
              error: {
                message: `no route for ${request.method} ${request.url}`,
                type: 'invalid_request_error',
                param: null,
                code: null,
              },
            });
          }
        })
        .catch((error: unknown) => {
          if (!response.headersSent) {
            sendJson(response, 500, {
              error: { message: String(error), type: 'server_error', param: null, code: null },
            });
          }
        });
    });
  });
  // Keep-alive sockets would hold `close()` open; fakes are short-lived.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/v1`,
    origin,
    routes: routes as RunningFineTuningFake<Vendor>['routes'],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
