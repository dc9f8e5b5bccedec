import type { ChatModelProvider, ChatRequest, ChatResult, ChatStreamPart } from '../chat-model.ts';
import { relaySseStream } from '../http/relay-sse-stream.ts';
import { closeEndpoint, createUpstreamEndpoint, sendUpstream } from '../http/upstream-client.ts';
import { UpstreamExchange } from '../http/upstream-exchange.ts';
import { ProviderError } from '../provider-error.ts';
import { anthropicErrors } from './anthropic-error-map.ts';
import { AnthropicStreamTranslator } from './anthropic-stream-translator.ts';
import type { AnthropicMessageWire } from './anthropic-wire.ts';
import { convertAnthropicMessage } from './convert-anthropic-message.ts';
import { convertToAnthropic } from './convert-to-anthropic-request.ts';

export interface AnthropicProviderOptions {
  readonly id: string;
  /** Without `/v1` (as the Anthropic SDK's `ANTHROPIC_BASE_URL`); we call `{baseUrl}/v1/messages`. */
  readonly baseUrl: string;
  readonly apiKey?: string | undefined;
  readonly headers?: Readonly<Record<string, string>>;
  /** `anthropic-version` header. Default `2023-06-01`. */
  readonly anthropicVersion?: string;
  /** `max_tokens` when the client sent none (Anthropic requires it). Default 4096. */
  readonly defaultMaxTokens?: number;
  readonly connections?: number;
  readonly timeoutMs?: number;
  readonly streamIdleTimeoutMs?: number;
}

/**
 * Claude through the Messages API, translated to and from the OpenAI wire in both directions (see
 * convert-to-anthropic-request.ts and anthropic-stream-translator.ts). Same hot path as the
 * OpenAI-compatible provider: an undici pool, no SDK.
 */
export function createAnthropicProvider(options: AnthropicProviderOptions): ChatModelProvider {
  const { id } = options;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const idleTimeoutMs = options.streamIdleTimeoutMs ?? timeoutMs;
  const defaultMaxTokens = options.defaultMaxTokens ?? 4096;
  const endpoint = createUpstreamEndpoint(id, options.baseUrl, options.connections ?? 128);
  // Tolerate a base URL given with `/v1` (the OpenAI habit) instead of calling `/v1/v1/messages`.
  const path = endpoint.basePath.endsWith('/v1')
    ? `${endpoint.basePath}/messages`
    : `${endpoint.basePath}/v1/messages`;
  const jsonHeaders = buildHeaders(options, 'application/json');
  const streamHeaders = buildHeaders(options, 'text/event-stream');

  return {
    id,
    type: 'anthropic',

    async generate(request: ChatRequest, signal: AbortSignal): Promise<ChatResult> {
      const converted = convertToAnthropic(request.body, {
        upstreamModel: request.upstreamModel,
        defaultMaxTokens,
        stream: false,
        capabilities: request.capabilities,
      });
      const body = JSON.stringify(converted.request);
      const exchange = new UpstreamExchange(
        id,
        signal,
        Math.min(request.timeoutMs ?? timeoutMs, timeoutMs),
      );
      try {
        const response = await sendUpstream(
          endpoint,
          exchange,
          path,
          jsonHeaders,
          body,
          anthropicErrors,
        );
        const text = await response.body.text();
        const message = parseMessage(id, text);
        const answer = convertAnthropicMessage(
          message,
          request.upstreamModel,
          Math.floor(Date.now() / 1000),
          converted.structured,
        );
        return {
          body: answer.body,
          text: answer.text,
          toolCalls: answer.toolCalls,
          finishReason: answer.finishReason,
          usage: answer.usage,
          upstreamModel: answer.model,
          upstreamLatencyMs: performance.now() - exchange.startedAt,
        };
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
      const converted = convertToAnthropic(request.body, {
        upstreamModel: request.upstreamModel,
        defaultMaxTokens,
        stream: true,
        capabilities: request.capabilities,
      });
      const body = JSON.stringify(converted.request);
      const exchange = new UpstreamExchange(
        id,
        signal,
        Math.min(request.timeoutMs ?? timeoutMs, timeoutMs),
      );
      try {
        const response = await sendUpstream(
          endpoint,
          exchange,
          path,
          streamHeaders,
          body,
          anthropicErrors,
        );
        const translator = new AnthropicStreamTranslator(
          id,
          request.upstreamModel,
          exchange.startedAt,
          converted.structured,
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

function parseMessage(providerId: string, text: string): AnthropicMessageWire {
  try {
    const message = JSON.parse(text) as AnthropicMessageWire;
    if (typeof message === 'object' && message !== null && Array.isArray(message.content)) {
      return message;
    }
  } catch {
    // handled below
  }
  throw new ProviderError(`${providerId} answered 2xx with a body that is not a message`, {
    provider: providerId,
    kind: 'upstream',
    upstreamStatus: 502,
    upstreamBody: text,
    upstreamCode: 'malformed_upstream_response',
  });
}

function buildHeaders(
  options: AnthropicProviderOptions,
  accept: string,
): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept,
    'user-agent': 'rekindle-gateway',
    'anthropic-version': options.anthropicVersion ?? '2023-06-01',
  };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  if (options.apiKey !== undefined && options.apiKey.length > 0) {
    headers['x-api-key'] = options.apiKey;
  }
  return Object.freeze(headers);
}
