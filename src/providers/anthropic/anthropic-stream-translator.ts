import type { ChatStreamPart, FinishReason, Usage } from '../chat-model.ts';
import { ProviderError } from '../errors.ts';
import type { StreamTranslator } from '../http/relay-sse-stream.ts';
import type { SseEvent } from '../http/sse-parser.ts';
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
 * `message_start` → a first chunk with `role: assistant`; text blocks → `content` deltas;
 * `tool_use` blocks → `tool_calls[{index, id, type, function:{name, arguments: ''}}]`, then their
 * `input_json_delta`s → `arguments` deltas (OpenAI numbers tool calls, not content blocks);
 * `message_delta` → the chunk with `finish_reason`; `message_stop` → the usage chunk
 * (`choices: []`), then finish. `ping`, thinking and signature deltas produce nothing; an `error`
 * event is a ProviderError with the status its type stands for (529 overloaded stays retryable).
 */
export class AnthropicStreamTranslator implements StreamTranslator {
  complete = false;
  private id: string;
  private model: string;
  private readonly created = Math.floor(Date.now() / 1000);
  private usage: AnthropicUsageWire = {};
  private stopReason: FinishReason | null = null;
  private readonly toolIndexByBlock = new Map<number, number>();
  private timeToFirstTokenMs: number | null = null;

  constructor(
    private readonly providerId: string,
    requestedModel: string,
    private readonly startedAt: number,
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
        parts.push({ type: 'chunk', raw: this.chunk({ role: 'assistant', content: '' }) });
        return;
      }
      case 'content_block_start': {
        const block = data.content_block ?? {};
        if (block.type === 'text' && typeof block.text === 'string' && block.text.length > 0) {
          this.pushText(block.text, parts);
        } else if (block.type === 'tool_use') {
          const index = this.toolIndexByBlock.size;
          this.toolIndexByBlock.set(data.index ?? 0, index);
          const id = block.id ?? '';
          const name = block.name ?? '';
          const toolCall = { index, id, type: 'function', function: { name, arguments: '' } };
          this.markFirstToken();
          parts.push({
            type: 'tool-call-delta',
            index,
            id,
            name,
            argumentsDelta: '',
            raw: this.chunk({ tool_calls: [toolCall] }),
          });
        }
        return;
      }
      case 'content_block_delta': {
        const delta = data.delta ?? {};
        if (delta.type === 'text_delta' && typeof delta.text === 'string' && delta.text !== '') {
          this.pushText(delta.text, parts);
        } else if (delta.type === 'input_json_delta' && typeof delta.partial_json === 'string') {
          const index = this.toolIndexByBlock.get(data.index ?? 0);
          if (index !== undefined && delta.partial_json.length > 0) {
            const toolCall = { index, function: { arguments: delta.partial_json } };
            parts.push({
              type: 'tool-call-delta',
              index,
              id: undefined,
              name: undefined,
              argumentsDelta: delta.partial_json,
              raw: this.chunk({ tool_calls: [toolCall] }),
            });
          }
        }
        return;
      }
      case 'message_delta': {
        this.mergeUsage(data.usage);
        this.stopReason = mapAnthropicStopReason(data.delta?.stop_reason) ?? this.stopReason;
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
        // ping, content_block_stop, and event types added after this was written.
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
    return new ProviderError(`${this.providerId} failed mid-stream: ${message.slice(0, 500)}`, {
      provider: this.providerId,
      kind: 'upstream',
      upstreamStatus: statusForAnthropicErrorType(type),
      upstreamBody: raw,
      upstreamCode: type ?? 'upstream_stream_error',
      upstreamType: type ?? null,
    });
  }
}
