/**
 * A fake OpenAI (or Together) Chat Completions server: a real `node:http` server on 127.0.0.1 port 0.
 *
 *   const fake = await startOpenAIFake({ style: 'openai' | 'together', routes: [...] });
 *   fake.url            // base URL with /v1, for OPENAI_BASE_URL / TOGETHER_BASE_URL / `baseURL`
 *   fake.origin         // http://127.0.0.1:PORT
 *   fake.requests       // every request: { method, path, headers, rawBody, body (parsed JSON),
 *                       //   clientDisconnected (Promise), disconnectedEarly() }
 *   fake.chatRequests() // only the POST /v1/chat/completions ones
 *   fake.enqueue(script, ...)  // FIFO, one script per chat completion request
 *   fake.setDefault(script)    // used when the queue is empty (initially: a normal answer)
 *   fake.close()
 *
 * Routes: `POST /v1/chat/completions` (JSON, or SSE when `stream: true`, with the usage chunk only
 * when `stream_options.include_usage` is true), `GET /v1/models`. Extra `routes` handlers (same
 * shape as the fine-tuning fakes' `handle`: `(request, response, body: Buffer) => boolean |
 * Promise<boolean>`) run first, so `/v1/files`, `/v1/fine_tuning/jobs`, `/v1/files/upload`,
 * `/v1/fine-tunes` can be served on the same URL.
 *
 * Scripts (`delayMs` on any of them waits first):
 * - `{ kind: 'answer', content?, toolCalls?, finishReason?, usage?, model?, frameDelayMs?, endDelayMs? }` — a normal
 *   answer; by default the text is derived from the last user message (JSON valid against the schema
 *   for `response_format: json_schema`) and `model` echoes the request;
 * - `{ kind: 'error-frame', afterFrames?, error? }` — stream some frames, then `data: {"error":…}`;
 * - every FaultScript of fake-http-server.ts: `status` (429 + retry-after, 500, 400 …), `hang`,
 *   `reset-before-headers`, `reset-after-first-chunk`, `cut-stream`, `stall`, `raw-stream`.
 * Style `together` puts `usage` on the last chunk together with `choices` (as Together does) and
 * never sends a separate usage chunk; with `usageOnLastContentChunk` that last chunk is the one with
 * the last piece of text and the finish reason, as the real API sends it.
 */
import {
  applyCommonFault,
  type FakeRouteHandler,
  type FaultScript,
  lastUserText,
  playStream,
  type RecordedRequest,
  resetConnection,
  type Scripted,
  sendJson,
  sleep,
  startFakeServer,
  wordPieces,
} from './fake-http-server.ts';
import { structuredDefaultContent } from './structured-answers.ts';

export interface FakeToolCall {
  id?: string;
  name: string;
  /** JSON text of the arguments. */
  arguments: string;
}

export interface FakeOpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens?: number;
}

export type OpenAIFakeScript = Scripted<
  | {
      kind: 'answer';
      content?: string;
      toolCalls?: FakeToolCall[];
      finishReason?: string;
      usage?: FakeOpenAIUsage;
      model?: string;
      frameDelayMs?: number;
      /** Stream: wait this long after `data: [DONE]` before ending the response. */
      endDelayMs?: number;
    }
  | { kind: 'error-frame'; afterFrames?: number; error?: Record<string, unknown> }
  | FaultScript
>;

export interface StartOpenAIFakeOptions {
  style?: 'openai' | 'together';
  routes?: FakeRouteHandler[];
  /** When set, requests without `Authorization: Bearer <apiKey>` get a 401. */
  apiKey?: string;
  /** Model ids listed by `GET /v1/models`. */
  models?: string[];
  /** Style `together`: text, finish reason and usage in one last chunk (the real API's shape). */
  usageOnLastContentChunk?: boolean;
}

export interface OpenAIFake {
  readonly url: string;
  readonly origin: string;
  readonly requests: RecordedRequest[];
  chatRequests(): RecordedRequest[];
  enqueue(...scripts: OpenAIFakeScript[]): void;
  setDefault(script: OpenAIFakeScript): void;
  close(): Promise<void>;
}

type Body = Record<string, unknown>;

export async function startOpenAIFake(options: StartOpenAIFakeOptions = {}): Promise<OpenAIFake> {
  const style = options.style ?? 'openai';
  const queue: OpenAIFakeScript[] = [];
  let defaultScript: OpenAIFakeScript = { kind: 'answer' };
  let sequence = 0;

  const handle = await startFakeServer(async (request, response, recorded) => {
    const path = (request.url ?? '/').split('?')[0];
    if (
      options.apiKey !== undefined &&
      request.headers.authorization !== `Bearer ${options.apiKey}`
    ) {
      sendJson(
        response,
        401,
        envelope('Incorrect API key provided', 'invalid_request_error', 'invalid_api_key'),
      );
      return;
    }
    if (request.method === 'GET' && path === '/v1/models') {
      const data = (options.models ?? ['gpt-4o-mini', 'gpt-4o']).map((id) => ({
        id,
        object: 'model',
        created: 1_700_000_000,
        owned_by: 'fake',
      }));
      sendJson(response, 200, { object: 'list', data });
      return;
    }
    if (request.method !== 'POST' || path !== '/v1/chat/completions') {
      sendJson(
        response,
        404,
        envelope(`no route for ${request.method} ${path}`, 'invalid_request_error', null),
      );
      return;
    }
    const body = recorded.body as Body | undefined;
    if (typeof body !== 'object' || body === null || !Array.isArray(body.messages)) {
      sendJson(
        response,
        400,
        envelope("'messages' is required", 'invalid_request_error', null, 'messages'),
      );
      return;
    }
    const script = queue.shift() ?? defaultScript;
    if (script.delayMs !== undefined) {
      await sleep(script.delayMs);
    }
    if (await applyCommonFault(response, script as FaultScript)) {
      return;
    }
    sequence += 1;
    const answer = answerFor(body, script, sequence);
    if (body.stream === true) {
      const includeUsage = (body.stream_options as Body | undefined)?.include_usage === true;
      const frames = streamFrames(
        answer,
        style,
        includeUsage,
        options.usageOnLastContentChunk === true,
      );
      if (script.kind === 'error-frame') {
        const head = frames.slice(0, script.afterFrames ?? 2);
        const error = script.error ?? {
          message: 'The server had an error while processing your request.',
          type: 'server_error',
          param: null,
          code: null,
        };
        await playStream(response, [...head, `data: ${JSON.stringify({ error })}\n\n`], undefined);
        return;
      }
      const answerScript = script.kind === 'answer' ? script : undefined;
      await playStream(
        response,
        frames,
        script as FaultScript,
        answerScript?.frameDelayMs ?? 0,
        answerScript?.endDelayMs ?? 0,
      );
      return;
    }
    const json = JSON.stringify(completionJson(answer));
    if (script.kind === 'reset-after-first-chunk') {
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(json),
      });
      response.write(json.slice(0, Math.floor(json.length / 2)), () => {
        setTimeout(() => resetConnection(response), 20);
      });
      return;
    }
    sendJson(response, 200, json);
  }, options.routes ?? []);

  return {
    url: `${handle.origin}/v1`,
    origin: handle.origin,
    requests: handle.requests,
    chatRequests: () =>
      handle.requests.filter((request) => request.path.startsWith('/v1/chat/completions')),
    enqueue: (...scripts) => {
      queue.push(...scripts);
    },
    setDefault: (script) => {
      defaultScript = script;
    },
    close: () => handle.close(),
  };
}

interface FakeAnswer {
  id: string;
  model: string;
  created: number;
  content: string;
  toolCalls: Array<Required<FakeToolCall>>;
  finishReason: string;
  usage: FakeOpenAIUsage;
}

/** Default text: derived from the request, so a test can tell answers apart without scripting. */
export function defaultOpenAIAnswerText(model: string, messages: unknown): string {
  return `Hello from ${model}. You said: ${lastUserText(messages).slice(0, 80)}`;
}

function answerFor(body: Body, script: OpenAIFakeScript, sequence: number): FakeAnswer {
  const answer = script.kind === 'answer' ? script : undefined;
  const model = answer?.model ?? String(body.model);
  const toolCalls = (answer?.toolCalls ?? []).map((call, index) => ({
    id: call.id ?? `call_fake_${sequence}_${index}`,
    name: call.name,
    arguments: call.arguments,
  }));
  const content =
    answer?.content ??
    (toolCalls.length > 0
      ? ''
      : (structuredDefaultContent(body, sequence) ??
        defaultOpenAIAnswerText(model, body.messages)));
  return {
    id: `chatcmpl-fake-${sequence}`,
    model,
    created: 1_700_000_000 + sequence,
    content,
    toolCalls,
    finishReason: answer?.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
    usage: answer?.usage ?? {
      prompt_tokens: Math.ceil(JSON.stringify(body.messages).length / 4),
      completion_tokens: wordPieces(content).length + toolCalls.length * 8,
    },
  };
}

function usageJson(usage: FakeOpenAIUsage) {
  return {
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    total_tokens: usage.prompt_tokens + usage.completion_tokens,
    prompt_tokens_details: { cached_tokens: usage.cached_tokens ?? 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
  };
}

function completionJson(answer: FakeAnswer) {
  const message: Body = {
    role: 'assistant',
    content: answer.toolCalls.length > 0 && answer.content === '' ? null : answer.content,
    refusal: null,
    annotations: [],
  };
  if (answer.toolCalls.length > 0) {
    message.tool_calls = answer.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  return {
    id: answer.id,
    object: 'chat.completion',
    created: answer.created,
    model: answer.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: answer.finishReason }],
    usage: usageJson(answer.usage),
    service_tier: 'default',
    system_fingerprint: 'fp_fake',
  };
}

/** The answer as SSE frames, ending with `data: [DONE]`. */
function streamFrames(
  answer: FakeAnswer,
  style: 'openai' | 'together',
  includeUsage: boolean,
  usageOnLastContent: boolean,
): string[] {
  // With include_usage OpenAI adds `"usage": null` to every chunk; Together always does.
  const usageField = includeUsage || style === 'together' ? { usage: null } : {};
  const chunk = (delta: Body, finishReason: string | null = null, extra: Body = {}) =>
    `data: ${JSON.stringify({
      id: answer.id,
      object: 'chat.completion.chunk',
      created: answer.created,
      model: answer.model,
      system_fingerprint: 'fp_fake',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...usageField,
      ...extra,
    })}\n\n`;
  const frames: string[] = [];
  const first = answer.toolCalls[0];
  if (first === undefined) {
    frames.push(chunk({ role: 'assistant', content: '', refusal: null }));
  } else {
    frames.push(
      chunk({
        role: 'assistant',
        content: null,
        tool_calls: [toolCallStart(first, 0)],
        refusal: null,
      }),
    );
  }
  const pieces = wordPieces(answer.content);
  const lastInOne =
    style === 'together' &&
    usageOnLastContent &&
    pieces.length > 0 &&
    answer.toolCalls.length === 0;
  pieces.forEach((piece, index) => {
    frames.push(
      lastInOne && index === pieces.length - 1
        ? chunk({ content: piece }, answer.finishReason, { usage: usageJson(answer.usage) })
        : chunk({ content: piece }),
    );
  });
  answer.toolCalls.forEach((call, index) => {
    if (index > 0) {
      frames.push(chunk({ tool_calls: [toolCallStart(call, index)] }));
    }
    const middle = Math.ceil(call.arguments.length / 2);
    for (const piece of [call.arguments.slice(0, middle), call.arguments.slice(middle)]) {
      if (piece.length > 0) {
        frames.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
      }
    }
  });
  if (lastInOne) {
    frames.push('data: [DONE]\n\n');
    return frames;
  }
  if (style === 'together') {
    frames.push(chunk({}, answer.finishReason, { usage: usageJson(answer.usage) }));
  } else {
    frames.push(chunk({}, answer.finishReason));
    if (includeUsage) {
      const usageChunk = {
        id: answer.id,
        object: 'chat.completion.chunk',
        created: answer.created,
        model: answer.model,
        system_fingerprint: 'fp_fake',
        choices: [],
        usage: usageJson(answer.usage),
      };
      frames.push(`data: ${JSON.stringify(usageChunk)}\n\n`);
    }
  }
  frames.push('data: [DONE]\n\n');
  return frames;
}

function toolCallStart(call: Required<FakeToolCall>, index: number) {
  return { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } };
}

function envelope(message: string, type: string, code: string | null, param: string | null = null) {
  return { error: { message, type, param, code } };
}

export type { RecordedRequest };
