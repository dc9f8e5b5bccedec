/**
 * A local stand-in for a vendor's API: a `node:http` server on 127.0.0.1 (port 0) that speaks the
 * OpenAI wire for chat (`POST /v1/chat/completions`, JSON or SSE, `GET /v1/models`) and the
 * vendor's fine-tuning API — OpenAI's files and jobs, or Together's files and fine-tunes. The
 * gateway is pointed at it through `OPENAI_BASE_URL` / `TOGETHER_BASE_URL`; nothing leaves the
 * machine. What a model writes comes from ./outreach-writer.ts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  isRecord,
  parseJson,
  readBody,
  roughTokens,
  sendError,
  sendJson,
  type UpstreamRoute,
} from './http-helpers.ts';
import { createOpenAIFineTuningRoutes } from './openai-fine-tuning-routes.ts';
import { writeOutreach } from './outreach-writer.ts';
import { createTogetherFineTuningRoutes } from './together-fine-tuning-routes.ts';

export type SimulatedVendor = 'openai' | 'together';

export interface SimulatedUpstream {
  readonly vendor: SimulatedVendor;
  /** Base URL with `/v1`, for `OPENAI_BASE_URL` / `TOGETHER_BASE_URL`. */
  readonly url: string;
  readonly apiKey: string;
  /** Chat completions served, per model. */
  readonly completions: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

export interface SimulatedUpstreamOptions {
  vendor: SimulatedVendor;
  apiKey: string;
  /** Account name in fine-tuned model ids (`ft:…:<organization>:…`, `<organization>/…`). */
  organization: string;
  seed: string;
  now: () => number;
}

export async function startSimulatedUpstream(
  options: SimulatedUpstreamOptions,
): Promise<SimulatedUpstream> {
  const completions = new Map<string, number>();
  const fineTuning =
    options.vendor === 'openai'
      ? createOpenAIFineTuningRoutes(options)
      : createTogetherFineTuningRoutes(options);
  const routes: UpstreamRoute[] = [
    (request, response, body, url) => chat(request, response, body, url, options, completions),
    models,
    fineTuning,
  ];

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    readBody(request)
      .then(async (body) => {
        const url = new URL(request.url ?? '/', 'http://upstream.local');
        if (request.headers.authorization !== `Bearer ${options.apiKey}`) {
          sendError(response, 401, 'Incorrect API key provided.', { code: 'invalid_api_key' });
          return;
        }
        for (const route of routes) {
          if (await route(request, response, body, url)) {
            return;
          }
        }
        sendError(response, 404, `Invalid URL (${request.method} ${url.pathname})`);
      })
      .catch((error: unknown) => {
        if (!response.headersSent) {
          sendError(response, 500, String(error), { type: 'server_error' });
        }
      });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    vendor: options.vendor,
    url: `http://127.0.0.1:${port}/v1`,
    apiKey: options.apiKey,
    completions,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

const models: UpstreamRoute = (request, response, _body, url) => {
  if (request.method !== 'GET' || url.pathname !== '/v1/models') {
    return false;
  }
  const ids = ['gpt-4o-mini', 'gpt-4o', 'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference'];
  return sendJson(response, 200, {
    object: 'list',
    data: ids.map((id) => ({ id, object: 'model', created: 1_721_172_741, owned_by: 'system' })),
  });
};

function chat(
  request: IncomingMessage,
  response: ServerResponse,
  body: Buffer,
  url: URL,
  options: SimulatedUpstreamOptions,
  completions: Map<string, number>,
): boolean {
  if (request.method !== 'POST' || url.pathname !== '/v1/chat/completions') {
    return false;
  }
  const input = parseJson(body);
  if (!isRecord(input) || !Array.isArray(input.messages) || typeof input.model !== 'string') {
    return sendError(response, 400, "'model' and 'messages' are required", { param: 'messages' });
  }
  const prompt = input.messages
    .map((message) => (isRecord(message) ? String(message.content ?? '') : ''))
    .join('\n');
  const text = writeOutreach(input.model, prompt);
  completions.set(input.model, (completions.get(input.model) ?? 0) + 1);
  const created = Math.floor(options.now() / 1000);
  const id = `chatcmpl-sim-${created}-${completions.get(input.model)}`;
  const usage = {
    prompt_tokens: roughTokens(prompt) + 4 * input.messages.length,
    completion_tokens: roughTokens(text),
    total_tokens: 0,
  };
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  const base = { id, created, model: input.model, system_fingerprint: 'fp_simulated' };
  if (input.stream !== true) {
    return sendJson(response, 200, {
      ...base,
      object: 'chat.completion',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: text, refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage,
    });
  }
  const includeUsage = isRecord(input.stream_options) && input.stream_options.include_usage;
  const chunk = (delta: Record<string, unknown>, finish: string | null) =>
    `data: ${JSON.stringify({
      ...base,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    })}\n\n`;
  const frames = [chunk({ role: 'assistant', content: '' }, null)];
  for (const piece of text.match(/\S+\s*/g) ?? []) {
    frames.push(chunk({ content: piece }, null));
  }
  frames.push(chunk({}, 'stop'));
  if (includeUsage) {
    frames.push(
      `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [], usage })}\n\n`,
    );
  }
  frames.push('data: [DONE]\n\n');
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  response.end(frames.join(''));
  return true;
}
