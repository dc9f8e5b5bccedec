/**
 * A simulated OpenAI (or Together) Chat Completions API on 127.0.0.1 port 0.
 *
 *   const openai = await startOpenAIChatSimulator({ style: 'openai' | 'together', routes: [...] });
 *   openai.url            // base URL with /v1, for OPENAI_BASE_URL / TOGETHER_BASE_URL / `baseURL`
 *   openai.requests       // every request: { method, path, headers, rawBody, body (parsed JSON),
 *                         //   clientDisconnected (Promise), disconnectedEarly() }
 *   openai.chatRequests() // only the POST /v1/chat/completions ones
 *   openai.completions    // answers given, per requested model
 *   openai.enqueue(script, ...)  // FIFO, one script per chat completion request
 *   openai.setDefault(script)    // used when the queue is empty (initially: a normal answer)
 *   openai.close()
 *
 * Routes: `POST /v1/chat/completions` (JSON, or SSE when `stream: true`), `GET /v1/models`; extra
 * `routes` (e.g. the fine-tuning routes) answer first on the same base URL.
 *
 * Scripts (`delayMs` on any of them waits first):
 * - `{ kind: 'answer', content?, toolCalls?, finishReason?, usage?, model?, frameDelayMs?, endDelayMs? }` —
 *   a normal answer; by default the text is `answerText(model, messages)` and `model` echoes the request;
 * - `{ kind: 'error-frame', afterFrames?, error? }` — stream some frames, then `data: {"error":…}`;
 * - every FaultScript: `status`, `hang`, `reset-before-headers`, `reset-after-first-chunk`,
 *   `cut-stream`, `stall`, `raw-stream`.
 */
import { echoAnswerText, wordPieces } from './chat-text.ts';
import {
  applyCommonFault,
  type FaultScript,
  playStream,
  type Scripted,
  sendHalfThenReset,
} from './fault-scripts.ts';
import {
  completionJson,
  type OpenAIChatAnswer,
  type SimulatedOpenAIUsage,
  type SimulatedToolCall,
  streamFrames,
} from './openai-chat-answer.ts';
import { sendError, sendJson, sleep } from './simulator-http.ts';
import {
  type RecordedRequest,
  type SimulatorRoute,
  startSimulatorServer,
} from './simulator-server.ts';
import { structuredDefaultContent } from './structured-answers.ts';

export type OpenAIChatScript = Scripted<
  | {
      kind: 'answer';
      content?: string;
      toolCalls?: SimulatedToolCall[];
      finishReason?: string;
      usage?: SimulatedOpenAIUsage;
      model?: string;
      frameDelayMs?: number;
      /** Stream: wait this long after `data: [DONE]` before ending the response. */
      endDelayMs?: number;
    }
  | { kind: 'error-frame'; afterFrames?: number; error?: Record<string, unknown> }
  | FaultScript
>;

export interface OpenAIChatSimulatorOptions {
  style?: 'openai' | 'together';
  routes?: SimulatorRoute[];
  /** When set, chat and model requests without `Authorization: Bearer <apiKey>` get a 401. */
  apiKey?: string;
  /** Model ids listed by `GET /v1/models`. */
  models?: string[];
  /** Style `together`: text, finish reason and usage in one last chunk (the real API's shape). */
  usageOnLastContentChunk?: boolean;
  /** What an unscripted answer says (default: an echo of the last user message). */
  answerText?: (model: string, messages: unknown) => string;
  /** Keep `requests` (default true). */
  recordRequests?: boolean;
}

export interface OpenAIChatSimulator {
  readonly url: string;
  readonly origin: string;
  readonly requests: RecordedRequest[];
  /** Chat completions answered, per requested model. */
  readonly completions: ReadonlyMap<string, number>;
  chatRequests(): RecordedRequest[];
  enqueue(...scripts: OpenAIChatScript[]): void;
  setDefault(script: OpenAIChatScript): void;
  close(): Promise<void>;
}

type Body = Record<string, unknown>;

export async function startOpenAIChatSimulator(
  options: OpenAIChatSimulatorOptions = {},
): Promise<OpenAIChatSimulator> {
  const style = options.style ?? 'openai';
  const answerText = options.answerText ?? echoAnswerText;
  const queue: OpenAIChatScript[] = [];
  const completions = new Map<string, number>();
  let defaultScript: OpenAIChatScript = { kind: 'answer' };
  let sequence = 0;

  const handle = await startSimulatorServer(
    async (request, response, recorded) => {
      const path = (request.url ?? '/').split('?')[0];
      if (
        options.apiKey !== undefined &&
        request.headers.authorization !== `Bearer ${options.apiKey}`
      ) {
        return sendError(response, 401, 'Incorrect API key provided', null, 'invalid_api_key');
      }
      if (request.method === 'GET' && path === '/v1/models') {
        const data = (options.models ?? ['gpt-4o-mini', 'gpt-4o']).map((id) => ({
          id,
          object: 'model',
          created: 1_700_000_000,
          owned_by: 'fake',
        }));
        return sendJson(response, 200, { object: 'list', data });
      }
      if (request.method !== 'POST' || path !== '/v1/chat/completions') {
        return sendError(response, 404, `no route for ${request.method} ${path}`);
      }
      const body = recorded.body as Body | undefined;
      if (typeof body !== 'object' || body === null || !Array.isArray(body.messages)) {
        return sendError(response, 400, "'messages' is required", 'messages');
      }
      const script = queue.shift() ?? defaultScript;
      if (script.delayMs !== undefined) {
        await sleep(script.delayMs);
      }
      if (await applyCommonFault(response, script as FaultScript)) {
        return;
      }
      sequence += 1;
      const requested = String(body.model);
      completions.set(requested, (completions.get(requested) ?? 0) + 1);
      const answer = answerFor(body, script, sequence, answerText);
      if (body.stream !== true) {
        const json = JSON.stringify(completionJson(answer));
        return script.kind === 'reset-after-first-chunk'
          ? sendHalfThenReset(response, json)
          : sendJson(response, 200, json);
      }
      const frames = streamFrames(answer, {
        style,
        includeUsage: (body.stream_options as Body | undefined)?.include_usage === true,
        usageOnLastContent: options.usageOnLastContentChunk === true,
      });
      if (script.kind === 'error-frame') {
        const error = script.error ?? {
          message: 'The server had an error while processing your request.',
          type: 'server_error',
          param: null,
          code: null,
        };
        const head = frames.slice(0, script.afterFrames ?? 2);
        return playStream(response, [...head, `data: ${JSON.stringify({ error })}\n\n`], undefined);
      }
      const answerScript = script.kind === 'answer' ? script : undefined;
      return playStream(
        response,
        frames,
        script as FaultScript,
        answerScript?.frameDelayMs ?? 0,
        answerScript?.endDelayMs ?? 0,
      );
    },
    {
      routes: options.routes ?? [],
      ...(options.recordRequests === undefined ? {} : { recordRequests: options.recordRequests }),
    },
  );

  return {
    url: `${handle.origin}/v1`,
    origin: handle.origin,
    requests: handle.requests,
    completions,
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

function answerFor(
  body: Body,
  script: OpenAIChatScript,
  sequence: number,
  answerText: (model: string, messages: unknown) => string,
): OpenAIChatAnswer {
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
      : (structuredDefaultContent(body, sequence) ?? answerText(model, body.messages)));
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
