/**
 * A fake Anthropic Messages API: a real `node:http` server on 127.0.0.1 port 0.
 *
 *   const fake = await startAnthropicFake({ routes: [...] });
 *   fake.url              // http://127.0.0.1:PORT — no /v1, as ANTHROPIC_BASE_URL (we add /v1/messages)
 *   fake.requests         // every request: { method, path, headers, rawBody, body, clientDisconnected, … }
 *   fake.messageRequests()
 *   fake.enqueue(script, ...) / fake.setDefault(script) / fake.close()
 *
 * `POST /v1/messages` answers a `Message` as JSON, or with `stream: true` Anthropic's real event
 * sequence: `message_start`, `content_block_start`, `ping`, `content_block_delta` (`text_delta`,
 * `input_json_delta`), `content_block_stop`, `message_delta` (stop_reason, cumulative usage),
 * `message_stop` — each as `event: <type>` + `data: <json>`. Like the real API it refuses a request
 * without a key (`x-api-key`, or `Authorization: Bearer` as newer SDKs send it) (401), without `anthropic-version`, `max_tokens` or `messages` (400), and with a
 * non-user/assistant role (400), always in the envelope `{"type":"error","error":{"type","message"}}`.
 *
 * Scripts (`delayMs` on any waits first):
 * - `{ kind: 'answer', content?, stopReason?, usage?, model?, frameDelayMs? }` — content blocks
 *   (`{type:'text',text}` / `{type:'tool_use',id?,name,input}`); default: text from the last user turn,
 *   or, like the real API, a `tool_use` of the tool a `tool_choice: {type: "tool"}` forces, or JSON
 *   text for `output_config.format` (both valid against their schema);
 * - `{ kind: 'error', status, errorType, message?, headers? }` — an error in Anthropic's envelope
 *   (e.g. 529 `overloaded_error`, 429 `rate_limit_error` with `retry-after`);
 * - `{ kind: 'error-event', afterFrames?, errorType?, message? }` — stream, then `event: error`;
 * - every FaultScript of fake-http-server.ts (`hang`, resets, `cut-stream`, `stall`, `raw-stream`, `status`).
 */
import {
  applyCommonFault,
  type FakeRouteHandler,
  type FaultScript,
  lastUserText,
  playStream,
  type RecordedRequest,
  type Scripted,
  sendJson,
  sleep,
  startFakeServer,
  wordPieces,
} from './fake-http-server.ts';
import { structuredDefaultBlock } from './structured-answers.ts';

export type FakeAnthropicBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id?: string; name: string; input: unknown };

export interface FakeAnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
}

export type AnthropicFakeScript = Scripted<
  | {
      kind: 'answer';
      content?: FakeAnthropicBlock[];
      stopReason?: string;
      usage?: FakeAnthropicUsage;
      model?: string;
      frameDelayMs?: number;
    }
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

export interface StartAnthropicFakeOptions {
  routes?: FakeRouteHandler[];
  /** When set, the key must equal it; otherwise any non-empty key is accepted. */
  apiKey?: string;
}

export interface AnthropicFake {
  readonly url: string;
  readonly origin: string;
  readonly requests: RecordedRequest[];
  messageRequests(): RecordedRequest[];
  enqueue(...scripts: AnthropicFakeScript[]): void;
  setDefault(script: AnthropicFakeScript): void;
  close(): Promise<void>;
}

type Body = Record<string, unknown>;

export async function startAnthropicFake(
  options: StartAnthropicFakeOptions = {},
): Promise<AnthropicFake> {
  const queue: AnthropicFakeScript[] = [];
  let defaultScript: AnthropicFakeScript = { kind: 'answer' };
  let sequence = 0;

  const handle = await startFakeServer(async (request, response, recorded) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'POST' || path !== '/v1/messages') {
      sendJson(response, 404, envelope('not_found_error', `Not found: ${request.method} ${path}`));
      return;
    }
    // `x-api-key` is the documented header; newer SDKs send the key as `Authorization: Bearer`.
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const apiKey = request.headers['x-api-key'] ?? bearer;
    if (
      typeof apiKey !== 'string' ||
      apiKey === '' ||
      (options.apiKey !== undefined && apiKey !== options.apiKey)
    ) {
      sendJson(response, 401, envelope('authentication_error', 'invalid x-api-key'));
      return;
    }
    if (typeof request.headers['anthropic-version'] !== 'string') {
      sendJson(
        response,
        400,
        envelope('invalid_request_error', 'anthropic-version: header is required'),
      );
      return;
    }
    const body = recorded.body as Body | undefined;
    const invalid = validate(body);
    if (invalid !== undefined) {
      sendJson(response, 400, envelope('invalid_request_error', invalid));
      return;
    }
    const messagesBody = body as Body;
    const script = queue.shift() ?? defaultScript;
    if (script.delayMs !== undefined) {
      await sleep(script.delayMs);
    }
    if (script.kind === 'error') {
      sendJson(
        response,
        script.status,
        envelope(script.errorType, script.message ?? script.errorType),
        script.headers ?? {},
      );
      return;
    }
    if (await applyCommonFault(response, script as FaultScript)) {
      return;
    }
    sequence += 1;
    const message = messageFor(messagesBody, script, sequence);
    if (messagesBody.stream === true) {
      const frames = streamFrames(message);
      if (script.kind === 'error-event') {
        const error = envelope(
          script.errorType ?? 'overloaded_error',
          script.message ?? 'Overloaded',
        );
        const head = frames.slice(0, script.afterFrames ?? 3);
        await playStream(
          response,
          [...head, `event: error\ndata: ${JSON.stringify(error)}\n\n`],
          undefined,
        );
        return;
      }
      const frameDelay = script.kind === 'answer' ? (script.frameDelayMs ?? 0) : 0;
      await playStream(response, frames, script as FaultScript, frameDelay);
      return;
    }
    sendJson(response, 200, message, { 'request-id': `req_fake_${sequence}` });
  }, options.routes ?? []);

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

function validate(body: Body | undefined): string | undefined {
  if (typeof body !== 'object' || body === null) {
    return 'request body must be JSON';
  }
  if (typeof body.max_tokens !== 'number') {
    return 'max_tokens: Field required';
  }
  if (!Array.isArray(body.messages)) {
    return 'messages: Field required';
  }
  for (const [index, message] of (body.messages as Body[]).entries()) {
    if (message.role !== 'user' && message.role !== 'assistant') {
      return `messages.${index}.role: Input should be 'user' or 'assistant'`;
    }
  }
  if (typeof body.temperature === 'number' && (body.temperature < 0 || body.temperature > 1)) {
    return 'temperature: Input should be less than or equal to 1';
  }
  return undefined;
}

interface FakeMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: Array<
    { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: unknown }
  >;
  stop_reason: string;
  stop_sequence: null;
  usage: FakeAnthropicUsage & {
    cache_creation_input_tokens: number;
    cache_read_input_tokens: number;
  };
}

export function defaultAnthropicAnswerText(model: string, messages: unknown): string {
  return `Hello from ${model}. You said: ${lastUserText(messages).slice(0, 80)}`;
}

function messageFor(body: Body, script: AnthropicFakeScript, sequence: number): FakeMessage {
  const answer = script.kind === 'answer' ? script : undefined;
  const model = answer?.model ?? String(body.model);
  // Unscripted, a forced tool or `output_config.format` is answered as the real API would.
  const blocks: FakeAnthropicBlock[] = answer?.content ?? [
    structuredDefaultBlock(body, sequence) ?? {
      type: 'text',
      text: defaultAnthropicAnswerText(model, body.messages),
    },
  ];
  const content = blocks.map((block, index) =>
    block.type === 'text'
      ? block
      : {
          type: 'tool_use' as const,
          id: block.id ?? `toolu_fake_${sequence}_${index}`,
          name: block.name,
          input: block.input,
        },
  );
  const hasTool = content.some((block) => block.type === 'tool_use');
  const outputWords = content.reduce(
    (total, block) => total + (block.type === 'text' ? wordPieces(block.text).length : 10),
    0,
  );
  const usage = answer?.usage ?? {
    input_tokens: Math.ceil(JSON.stringify([body.system ?? '', body.messages]).length / 4),
    output_tokens: outputWords,
  };
  return {
    id: `msg_fake${sequence}`,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: answer?.stopReason ?? (hasTool ? 'tool_use' : 'end_turn'),
    stop_sequence: null,
    usage: {
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      ...usage,
    },
  };
}

function frame(type: string, data: Body): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

function streamFrames(message: FakeMessage): string[] {
  const frames = [
    frame('message_start', {
      message: {
        ...message,
        content: [],
        stop_reason: null,
        usage: { ...message.usage, output_tokens: 1 },
      },
    }),
  ];
  message.content.forEach((block, index) => {
    if (block.type === 'text') {
      frames.push(
        frame('content_block_start', { index, content_block: { type: 'text', text: '' } }),
      );
      if (index === 0) {
        frames.push(frame('ping', {}));
      }
      for (const piece of wordPieces(block.text)) {
        frames.push(
          frame('content_block_delta', { index, delta: { type: 'text_delta', text: piece } }),
        );
      }
    } else {
      frames.push(
        frame('content_block_start', {
          index,
          content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
        }),
      );
      const json = JSON.stringify(block.input);
      const middle = Math.ceil(json.length / 2);
      frames.push(
        frame('content_block_delta', {
          index,
          delta: { type: 'input_json_delta', partial_json: '' },
        }),
      );
      for (const piece of [json.slice(0, middle), json.slice(middle)]) {
        frames.push(
          frame('content_block_delta', {
            index,
            delta: { type: 'input_json_delta', partial_json: piece },
          }),
        );
      }
    }
    frames.push(frame('content_block_stop', { index }));
  });
  frames.push(
    frame('message_delta', {
      delta: { stop_reason: message.stop_reason, stop_sequence: null },
      usage: { output_tokens: message.usage.output_tokens },
    }),
  );
  frames.push(frame('message_stop', {}));
  return frames;
}

function envelope(type: string, message: string) {
  return { type: 'error', error: { type, message } };
}

export type { RecordedRequest };
