/**
 * A simulated Anthropic Messages API on 127.0.0.1 port 0.
 *
 *   const anthropic = await startAnthropicSimulator({ routes: [...] });
 *   anthropic.url              // http://127.0.0.1:PORT — no /v1, as ANTHROPIC_BASE_URL
 *   anthropic.requests         // every request: { method, path, headers, rawBody, body, … }
 *   anthropic.messageRequests()
 *   anthropic.enqueue(script, ...) / anthropic.setDefault(script) / anthropic.close()
 *
 * `POST /v1/messages` answers JSON, or with `stream: true` Anthropic's event sequence. Like the real
 * API it refuses a request without a key (`x-api-key`, or `Authorization: Bearer` as newer SDKs
 * send it) (401), without `anthropic-version`, `max_tokens` or `messages` (400), and with a
 * non-user/assistant role (400), always in the envelope `{"type":"error","error":{"type","message"}}`.
 *
 * Scripts (`delayMs` on any waits first):
 * - `{ kind: 'answer', content?, stopReason?, usage?, model?, frameDelayMs? }` — content blocks
 *   (`{type:'text',text}` / `{type:'tool_use',id?,name,input}`); default: `answerText(model, messages)`;
 * - `{ kind: 'error', status, errorType, message?, headers? }` — an error in Anthropic's envelope
 *   (e.g. 529 `overloaded_error`, 429 `rate_limit_error` with `retry-after`);
 * - `{ kind: 'error-event', afterFrames?, errorType?, message? }` — stream, then `event: error`;
 * - every FaultScript (`hang`, resets, `cut-stream`, `stall`, `raw-stream`, `status`).
 */
import {
  type AnthropicAnswer,
  anthropicError,
  anthropicMessage,
  anthropicRequestProblem,
  anthropicStreamFrames,
} from './anthropic-message.ts';
import { echoAnswerText } from './chat-text.ts';
import { applyCommonFault, type FaultScript, playStream, type Scripted } from './fault-scripts.ts';
import { sendJson, sleep } from './simulator-http.ts';
import {
  type RecordedRequest,
  type SimulatorRoute,
  startSimulatorServer,
} from './simulator-server.ts';

export type AnthropicScript = Scripted<
  | ({ kind: 'answer'; frameDelayMs?: number } & AnthropicAnswer)
  | {
      kind: 'error';
      status: number;
      errorType: string;
      message?: string;
      headers?: Record<string, string>;
    }
  | { kind: 'error-event'; afterFrames?: number; errorType?: string; message?: string }
  | FaultScript
>;

export interface AnthropicSimulatorOptions {
  routes?: SimulatorRoute[];
  /** When set, the key must equal it; otherwise any non-empty key is accepted. */
  apiKey?: string;
  /** What an unscripted answer says (default: an echo of the last user message). */
  answerText?: (model: string, messages: unknown) => string;
}

export interface AnthropicSimulator {
  readonly url: string;
  readonly origin: string;
  readonly requests: RecordedRequest[];
  messageRequests(): RecordedRequest[];
  enqueue(...scripts: AnthropicScript[]): void;
  setDefault(script: AnthropicScript): void;
  close(): Promise<void>;
}

type Body = Record<string, unknown>;

export async function startAnthropicSimulator(
  options: AnthropicSimulatorOptions = {},
): Promise<AnthropicSimulator> {
  const answerText = options.answerText ?? echoAnswerText;
  const queue: AnthropicScript[] = [];
  let defaultScript: AnthropicScript = { kind: 'answer' };
  let sequence = 0;

  const handle = await startSimulatorServer(
    async (request, response, recorded) => {
      const path = (request.url ?? '/').split('?')[0];
      if (request.method !== 'POST' || path !== '/v1/messages') {
        const message = `Not found: ${request.method} ${path}`;
        return sendJson(response, 404, anthropicError('not_found_error', message));
      }
      // `x-api-key` is the documented header; newer SDKs send the key as `Authorization: Bearer`.
      const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      const apiKey = request.headers['x-api-key'] ?? bearer;
      if (
        typeof apiKey !== 'string' ||
        apiKey === '' ||
        (options.apiKey !== undefined && apiKey !== options.apiKey)
      ) {
        return sendJson(response, 401, anthropicError('authentication_error', 'invalid x-api-key'));
      }
      if (typeof request.headers['anthropic-version'] !== 'string') {
        const message = 'anthropic-version: header is required';
        return sendJson(response, 400, anthropicError('invalid_request_error', message));
      }
      const body = recorded.body as Body | undefined;
      const problem = anthropicRequestProblem(body);
      if (problem !== undefined || body === undefined) {
        const message = problem ?? 'request body must be JSON';
        return sendJson(response, 400, anthropicError('invalid_request_error', message));
      }
      const script = queue.shift() ?? defaultScript;
      if (script.delayMs !== undefined) {
        await sleep(script.delayMs);
      }
      if (script.kind === 'error') {
        const error = anthropicError(script.errorType, script.message ?? script.errorType);
        return sendJson(response, script.status, error, script.headers ?? {});
      }
      if (await applyCommonFault(response, script as FaultScript)) {
        return;
      }
      sequence += 1;
      const answer = script.kind === 'answer' ? script : undefined;
      const message = anthropicMessage(body, answer, sequence, answerText);
      if (body.stream !== true) {
        return sendJson(response, 200, message, { 'request-id': `req_fake_${sequence}` });
      }
      const frames = anthropicStreamFrames(message);
      if (script.kind === 'error-event') {
        const error = anthropicError(
          script.errorType ?? 'overloaded_error',
          script.message ?? 'Overloaded',
        );
        const head = frames.slice(0, script.afterFrames ?? 3);
        const errorFrame = `event: error\ndata: ${JSON.stringify(error)}\n\n`;
        return playStream(response, [...head, errorFrame], undefined);
      }
      return playStream(response, frames, script as FaultScript, answer?.frameDelayMs ?? 0);
    },
    { routes: options.routes ?? [] },
  );

  return {
    url: handle.origin,
    origin: handle.origin,
    requests: handle.requests,
    messageRequests: () =>
      handle.requests.filter((request) => request.path.startsWith('/v1/messages')),
    enqueue: (...scripts) => {
      queue.push(...scripts);
    },
    setDefault: (script) => {
      defaultScript = script;
    },
    close: () => handle.close(),
  };
}
