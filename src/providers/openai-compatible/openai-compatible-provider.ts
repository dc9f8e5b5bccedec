import type { ChatModelProvider, ChatRequest, ChatResult, ChatStreamPart } from '../chat-model.ts';
import { relaySseStream } from '../http/relay-sse-stream.ts';
import { closeEndpoint, createUpstreamEndpoint, sendUpstream } from '../http/upstream-client.ts';
import { UpstreamExchange } from '../http/upstream-exchange.ts';
import { openAIErrors } from './openai-error-map.ts';
import { OpenAIStreamTranslator } from './openai-stream-translator.ts';
import { parseOpenAICompletion } from './parse-openai-completion.ts';
import { prepareOpenAIBody } from './prepare-openai-body.ts';

export interface OpenAICompatibleProviderOptions {
  /** Provider id from the config (`openai`, `together`, `vllm`, …). */
  readonly id: string;
  readonly type: 'openai' | 'together' | 'openai-compatible';
  /** Base URL including the API prefix, e.g. `https://api.openai.com/v1`, `http://127.0.0.1:11434/v1`. */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer …`; omitted when unset (local vLLM, Ollama, llama.cpp). */
  readonly apiKey?: string | undefined;
  /** Extra headers sent upstream (e.g. `OpenAI-Organization`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Keep-alive connections in the pool. Default 128. */
  readonly connections?: number;
  /** Whole answer for generate, first byte for stream; a shorter `timeoutMs` of the request (the route's attempt or total budget) wins. Default 120 s. */
  readonly timeoutMs?: number;
  /** Longest silence between two stream chunks (a request's own value wins). Default: `timeoutMs`. */
  readonly streamIdleTimeoutMs?: number;
}

/**
 * OpenAI, Together and any OpenAI-compatible server (vLLM, Ollama, llama.cpp) share one wire, so one
 * implementation: the client's body goes upstream with `model` rewritten (see prepareOpenAIBody) and
 * the answer comes back as the upstream's own bytes.
 */
export function createOpenAICompatibleProvider(
  options: OpenAICompatibleProviderOptions,
): ChatModelProvider {
  const { id, type } = options;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const idleTimeoutMs = options.streamIdleTimeoutMs ?? timeoutMs;
  const endpoint = createUpstreamEndpoint(id, options.baseUrl, options.connections ?? 128);
  const path = `${endpoint.basePath}/chat/completions`;
  const jsonHeaders = buildHeaders(options, 'application/json');
  const streamHeaders = buildHeaders(options, 'text/event-stream');

  return {
    id,
    type,

    async generate(request: ChatRequest, signal: AbortSignal): Promise<ChatResult> {
      const exchange = new UpstreamExchange(
        id,
        signal,
        Math.min(request.timeoutMs ?? timeoutMs, timeoutMs),
      );
      try {
        const body = prepareOpenAIBody(request, false);
        const response = await sendUpstream(
          endpoint,
          exchange,
          path,
          jsonHeaders,
          body,
          openAIErrors,
        );
        const text = await response.body.text();
        return parseOpenAICompletion(
          id,
          text,
          request.upstreamModel,
          performance.now() - exchange.startedAt,
        );
      } catch (error) {
        throw exchange.toProviderError(error);
      } finally {
        exchange.finish();
      }
    },

    async stream(
      request: ChatRequest,
      signal: AbortSignal,
    ): Promise<AsyncIterable<ChatStreamPart>> {
      const exchange = new UpstreamExchange(
        id,
        signal,
        Math.min(request.timeoutMs ?? timeoutMs, timeoutMs),
      );
      try {
        const body = prepareOpenAIBody(request, true);
        const response = await sendUpstream(
          endpoint,
          exchange,
          path,
          streamHeaders,
          body,
          openAIErrors,
        );
        const translator = new OpenAIStreamTranslator(
          id,
          request.upstreamModel,
          exchange.startedAt,
        );
        exchange.limitStream(request.streamTimeoutMs);
        return relaySseStream(
          exchange,
          response.body,
          request.streamIdleTimeoutMs ?? idleTimeoutMs,
          translator,
        );
      } catch (error) {
        exchange.finish();
        throw exchange.toProviderError(error);
      }
    },

    async close(): Promise<void> {
      await closeEndpoint(endpoint);
    },
  };
}

/** Built once per provider and shared by every request (undici does not mutate it). */
function buildHeaders(
  options: OpenAICompatibleProviderOptions,
  accept: string,
): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept,
    'user-agent': 'rekindle-gateway',
  };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  if (options.apiKey !== undefined && options.apiKey.length > 0) {
    headers.authorization = `Bearer ${options.apiKey}`;
  }
  return Object.freeze(headers);
}
