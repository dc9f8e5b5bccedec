import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { ModelCapabilities } from '../config/index.ts';
import type { GatewayError } from '../errors/index.ts';

/**
 * The one provider interface. The wire format clients speak is OpenAI Chat Completions, so a provider
 * takes an OpenAI body and answers OpenAI JSON/chunks; OpenAI-compatible upstreams relay bytes as they
 * come, others (Anthropic, sandbox) translate. Normalized fields (text, usage, finish reason) ride
 * along so the router can price, measure and track without parsing again.
 */
export type ChatRequestBody = ChatCompletionCreateParams & Record<string, unknown>;

export interface ChatRequest {
  /** The client's body, unknown fields kept. `model` is replaced by `upstreamModel` upstream. */
  readonly body: ChatRequestBody;
  readonly upstreamModel: string;
  /** Per-attempt timeout: whole answer for generate, first byte for stream. */
  readonly timeoutMs?: number;
  /** Stream: the longest wait between two chunks (the route's; else the provider's own). */
  readonly streamIdleTimeoutMs?: number;
  /** Stream: how long the whole stream may take from sending this attempt (the total budget left). */
  readonly streamTimeoutMs?: number;
  /**
   * The target model's capability table (from the catalog), so a translating provider picks how
   * to serve a field, e.g. Anthropic's `output_config.format` or a forced tool for `json_schema`.
   * Absent: the provider assumes what works on every model of its wire.
   */
  readonly capabilities?: ModelCapabilities;
}

export type FinishReason =
  | 'stop'
  | 'length'
  | 'tool_calls'
  | 'content_filter'
  | 'function_call'
  | 'error'
  | 'other';

export interface Usage {
  promptTokens: number | null;
  completionTokens: number | null;
  /** Part of promptTokens read from a prompt cache, when the upstream says. */
  cachedPromptTokens: number | null;
}

export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface ChatResult {
  /** OpenAI `chat.completion` JSON, ready to send to the client unchanged. */
  readonly body: string;
  readonly text: string;
  readonly toolCalls: readonly ToolCall[];
  readonly finishReason: FinishReason | null;
  readonly usage: Usage;
  /** The model id the upstream reported (e.g. gpt-4o-mini-2024-07-18). */
  readonly upstreamModel: string;
  readonly upstreamLatencyMs: number;
}

/**
 * Stream parts. Every part with `raw` carries one OpenAI `chat.completion.chunk` JSON to relay as
 * `data: <raw>`; the `usage` part is relayed only when the client asked for it. The stream ends with
 * exactly one `finish` or one `error` part.
 */
export type ChatStreamPart =
  | { readonly type: 'text-delta'; readonly delta: string; readonly raw: string }
  | {
      readonly type: 'tool-call-delta';
      readonly index: number;
      readonly id: string | undefined;
      readonly name: string | undefined;
      readonly argumentsDelta: string;
      readonly raw: string;
    }
  | { readonly type: 'chunk'; readonly raw: string }
  | { readonly type: 'usage'; readonly usage: Usage; readonly raw: string }
  | {
      readonly type: 'finish';
      readonly finishReason: FinishReason | null;
      readonly usage: Usage;
      readonly upstreamModel: string;
      /** From sending the request to the first content part. */
      readonly timeToFirstTokenMs: number | null;
      readonly upstreamLatencyMs: number;
    }
  | { readonly type: 'error'; readonly error: GatewayError };

export interface ChatModelProvider {
  /** Provider id from the config (`openai`, `together`, `vllm`, …). */
  readonly id: string;
  readonly type: 'openai' | 'together' | 'anthropic' | 'openai-compatible' | 'sandbox';
  /** Throws a ProviderError on failure. */
  generate(request: ChatRequest, signal: AbortSignal): Promise<ChatResult>;
  /**
   * Resolves once the upstream accepted the request (status and headers read); a failure before that
   * is thrown so the caller can still fall back. Later failures arrive as an `error` part.
   */
  stream(request: ChatRequest, signal: AbortSignal): Promise<AsyncIterable<ChatStreamPart>>;
  close(): Promise<void>;
}

export const emptyUsage: Usage = Object.freeze({
  promptTokens: null,
  completionTokens: null,
  cachedPromptTokens: null,
});
