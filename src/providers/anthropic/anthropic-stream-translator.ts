import type { ChatStreamPart, FinishReason, Usage } from '../chat-model.ts';
import type { StreamTranslator } from '../http/relay-sse-stream.ts';
import type { SseEvent } from '../http/sse-parser.ts';
import { mapUpstreamError } from '../http/upstream-error-map.ts';
import { ProviderError } from '../provider-error.ts';
import { anthropicErrorMap } from './anthropic-error-map.ts';
import { noStructuredOutput, type StructuredOutput } from './anthropic-structured-output.ts';
import {
  type AnthropicStreamEventWire,
  type AnthropicUsageWire,
  statusForAnthropicErrorType,
} from './anthropic-wire.ts';
import {
  completionIdFor,
  convertAnthropicUsage,
  mapAnthropicStopReason,
  openAIUsageJson,
  wireFinishReason,
} from './convert-anthropic-message.ts';

/**
 * Anthropic's stream events → OpenAI `chat.completion.chunk`s:
 * `message_start` → a first chunk with `role: assistant` (no content: a tool-only turn must not
 * start with an empty content delta); text blocks → `content` deltas; `tool_use` blocks →
 * `tool_calls[{index, id, type, function:{name, arguments: ''}}]`, then their `input_json_delta`s →
 * `arguments` deltas (OpenAI numbers tool calls, not content blocks), and `"{}"` for a call whose
 * input stayed empty, as the non-streamed answer has it; the response tool of a structured output
 * (see anthropic-structured-output.ts) → its input as `content` deltas instead, finishing `stop`;
 * `message_delta` → the chunk with `finish_reason`; `message_stop` → the usage chunk
 * (`choices: []`), then finish. `ping`, thinking and signature deltas produce nothing; an `error`
 * event is a ProviderError mapped by Anthropic's error table (529 overloaded → 503, retryable).
 */
type OpenBlock =
  | { readonly kind: 'tool'; readonly index: number; sent: boolean }
  | { readonly kind: 'response'; sent: boolean };

export class AnthropicStreamTranslator implements StreamTranslator {
  complete = false;
  private id: string;
  private model: string;
  private readonly created = Math.floor(Date.now() / 1000);
  private usage: AnthropicUsageWire = {};
  private stopReason: FinishReason | null = null;
  private readonly blocks = new Map<number, OpenBlock>();
  private toolCalls = 0;
  private answeredStructured = false;
  private timeToFirstTokenMs: number | null = null;

  constructor(
    private readonly providerId: string,
    requestedModel: string,
    private readonly startedAt: number,
    /** The structured output's response tool, whose input is the answer's content. */
    private readonly structured: StructuredOutput = noStructuredOutput,
  ) {
    this.model = requestedModel;
    this.id = completionIdFor(undefined);
  }

  accept(event: SseEvent, parts: ChatStreamPart[]): void {
    const data = this.parse(event);
    switch (data.type) {
      case 'message_start': {
        const message = data.message ?? {};
        this.id = completionIdFor(message.id);
        if (typeof message.model === 'string') {
          this.model = message.model;
        }
        this.mergeUsage(message.usage);
        parts.push({ type: 'chunk', raw: this.chunk({ role: 'assistant' }) });
        return;
      }
      case 'content_block_start':
        this.startBlock(data.index ?? 0, data.content_block ?? {}, parts);
        return;
      case 'content_block_delta': {
        const delta = data.delta ?? {};
        if (delta.type === 'text_delta' && typeof delta.text === 'string' && delta.text !== '') {
          if (this.structured.responseTool === null) {
            this.pushText(delta.text, parts);
          }
        } else if (delta.type === 'input_json_delta' && typeof delta.partial_json === 'string') {
          this.pushInput(data.index ?? 0, delta.partial_json, parts);
        }
        return;
      }
      case 'content_block_stop': {
        const block = this.blocks.get(data.index ?? 0);
        if (block !== undefined && !block.sent) {
          // An input that stayed empty is `{}`, as in the non-streamed answer.
          this.pushInput(data.index ?? 0, '{}', parts);
        }
        return;
      }
      case 'message_delta': {
        this.mergeUsage(data.usage);
        this.stopReason = mapAnthropicStopReason(data.delta?.stop_reason) ?? this.stopReason;
        if (this.answeredStructured && this.toolCalls === 0 && this.stopReason === 'tool_calls') {
          this.stopReason = 'stop';
        }
        parts.push({ type: 'chunk', raw: this.chunk({}, wireFinishReason(this.stopReason)) });
        return;
      }
      case 'message_stop': {
        const usage = this.currentUsage();
        const raw = JSON.stringify({
          id: this.id,
          object: 'chat.completion.chunk',
          created: this.created,
          model: this.model,
          choices: [],
          usage: openAIUsageJson(usage),
        });
        parts.push({ type: 'usage', usage, raw });
        this.complete = true;
        return;
      }
      case 'error':
        throw this.streamError(data, event.data);
      default:
        // ping, and event types added after this was written.
        return;
    }
  }

  finish(): ChatStreamPart {
    if (!this.complete) {
      throw new ProviderError(`${this.providerId} stream ended before message_stop`, {
        provider: this.providerId,
        kind: 'upstream',
        upstreamStatus: 502,
        upstreamCode: 'upstream_stream_truncated',
      });
    }
    return {
      type: 'finish',
      finishReason: this.stopReason,
      usage: this.currentUsage(),
      upstreamModel: this.model,
      timeToFirstTokenMs: this.timeToFirstTokenMs,
      upstreamLatencyMs: performance.now() - this.startedAt,
    };
  }

  private parse(event: SseEvent): AnthropicStreamEventWire {
    try {
      const data = JSON.parse(event.data) as unknown;
      if (typeof data === 'object' && data !== null) {
        return data as AnthropicStreamEventWire;
      }
    } catch {
      // handled below
    }
    throw new ProviderError(`${this.providerId} sent a stream event that is not JSON`, {
      provider: this.providerId,
      kind: 'upstream',
      upstreamStatus: 502,
      upstreamBody: event.data,
      upstreamCode: 'malformed_upstream_response',
    });
  }

  private startBlock(
    index: number,
    block: NonNullable<AnthropicStreamEventWire['content_block']>,
    parts: ChatStreamPart[],
  ): void {
    if (block.type === 'text') {
      if (
        typeof block.text === 'string' &&
        block.text.length > 0 &&
        this.structured.responseTool === null
      ) {
        this.pushText(block.text, parts);
      }
      return;
    }
    if (block.type !== 'tool_use') {
      return;
    }
    const { responseTool, forced } = this.structured;
    if (responseTool !== null && (forced || block.name === responseTool)) {
      this.blocks.set(index, { kind: 'response', sent: false });
      this.answeredStructured = true;
      return;
    }
    const toolIndex = this.toolCalls;
    this.toolCalls += 1;
    this.blocks.set(index, { kind: 'tool', index: toolIndex, sent: false });
    const id = block.id ?? '';
    const name = block.name ?? '';
    const toolCall = { index: toolIndex, id, type: 'function', function: { name, arguments: '' } };
    this.markFirstToken();
    parts.push({
      type: 'tool-call-delta',
      index: toolIndex,
      id,
      name,
      argumentsDelta: '',
      raw: this.chunk({ tool_calls: [toolCall] }),
    });
  }

  /** A piece of a tool's input: arguments of a tool call, or content of the response tool. */
  private pushInput(blockIndex: number, json: string, parts: ChatStreamPart[]): void {
    const block = this.blocks.get(blockIndex);
    if (block === undefined || json.length === 0) {
      return;
    }
    block.sent = true;
    if (block.kind === 'response') {
      this.pushText(json, parts);
      return;
    }
    const toolCall = { index: block.index, function: { arguments: json } };
    parts.push({
      type: 'tool-call-delta',
      index: block.index,
      id: undefined,
      name: undefined,
      argumentsDelta: json,
      raw: this.chunk({ tool_calls: [toolCall] }),
    });
  }

  private pushText(text: string, parts: ChatStreamPart[]): void {
    this.markFirstToken();
    parts.push({ type: 'text-delta', delta: text, raw: this.chunk({ content: text }) });
  }

  private markFirstToken(): void {
    this.timeToFirstTokenMs ??= performance.now() - this.startedAt;
  }

  /** `message_delta` usage is cumulative; fields it leaves null keep the `message_start` values. */
  private mergeUsage(usage: AnthropicUsageWire | null | undefined): void {
    if (usage === null || usage === undefined) {
      return;
    }
    for (const key of Object.keys(usage) as Array<keyof AnthropicUsageWire>) {
      const value = usage[key];
      if (typeof value === 'number') {
        this.usage[key] = value;
      }
    }
  }

  private currentUsage(): Usage {
    return convertAnthropicUsage(this.usage);
  }

  private chunk(delta: Record<string, unknown>, finishReason: string | null = null): string {
    return JSON.stringify({
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    });
  }

  private streamError(data: AnthropicStreamEventWire, raw: string): ProviderError {
    const type = data.error?.type;
    const message = data.error?.message ?? 'unknown error';
    const status = statusForAnthropicErrorType(type);
    const mapped = mapUpstreamError(anthropicErrorMap, {
      status,
      details: { message, type: type ?? null, code: type ?? null },
    });
    return new ProviderError(`${this.providerId} failed mid-stream: ${message.slice(0, 500)}`, {
      provider: this.providerId,
      kind: 'upstream',
      upstreamStatus: status,
      upstreamBody: raw,
      upstreamCode: type ?? 'upstream_stream_error',
      upstreamType: type ?? null,
      ...(mapped === undefined ? {} : { mapped }),
    });
  }
}
