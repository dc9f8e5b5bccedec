/**
 * A standalone fine-tuning simulator: one vendor's files and fine-tuning routes on their own
 * server (127.0.0.1, port 0). Point the SDK's `baseURL` at `url` (it ends in `/v1`). To serve chat
 * completions and fine-tuning on one base URL instead, mount the routes' `handle` on the chat
 * simulator (`startOpenAIChatSimulator({ routes: [routes.handle] })`).
 */
import type { FineTuningOptions } from './fine-tuning-support.ts';
import {
  createOpenAIFineTuningRoutes,
  type OpenAIFineTuningRoutes,
} from './openai-fine-tuning-routes.ts';
import { sendError } from './simulator-http.ts';
import { type RecordedRequest, startSimulatorServer } from './simulator-server.ts';
import {
  createTogetherFineTuningRoutes,
  type TogetherFineTuningRoutes,
} from './together-fine-tuning-routes.ts';

export type FineTuningVendor = 'openai' | 'together';

export interface FineTuningSimulatorOptions<Vendor extends FineTuningVendor>
  extends Omit<FineTuningOptions, 'passThrough'> {
  vendor: Vendor;
}

export interface RunningFineTuningSimulator<Vendor extends FineTuningVendor> {
  /** Base URL for the SDKs, e.g. `http://127.0.0.1:43123/v1`. */
  url: string;
  origin: string;
  routes: Vendor extends 'openai' ? OpenAIFineTuningRoutes : TogetherFineTuningRoutes;
  /** Every request the server received (the routes keep their own, richer record). */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startFineTuningSimulator<Vendor extends FineTuningVendor>(
  options: FineTuningSimulatorOptions<Vendor>,
): Promise<RunningFineTuningSimulator<Vendor>> {
  const { vendor, ...routeOptions } = options;
  const routes =
    vendor === 'openai'
      ? createOpenAIFineTuningRoutes(routeOptions)
      : createTogetherFineTuningRoutes(routeOptions);
  const server = await startSimulatorServer(
    (request, response) =>
      sendError(response, 404, `no route for ${request.method} ${request.url}`),
    { routes: [routes.handle] },
  );
  return {
    url: `${server.origin}/v1`,
    origin: server.origin,
    routes: routes as RunningFineTuningSimulator<Vendor>['routes'],
    requests: server.requests,
    close: () => server.close(),
  };
}
