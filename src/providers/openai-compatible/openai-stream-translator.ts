import { type ChatStreamPart, emptyUsage, type FinishReason, type Usage } from '../chat-model.ts';
import type { StreamTranslator } from '../http/relay-sse-stream.ts';
import type { SseEvent } from '../http/sse-parser.ts';
import { parseOpenAIErrorEnvelope } from '../http/upstream-client.ts';
import { ProviderError } from '../provider-error.ts';
import { mapOpenAIFinishReason, type OpenAIChunkWire, parseOpenAIUsage } from './openai-wire.ts';

/**
 * An OpenAI-compatible SSE stream as typed parts, one per upstream chunk, each carrying the chunk's
 * JSON verbatim in `raw` (relayed without rebuilding, except the one chunk Together adds usage to).
 * Reads model, usage (a `choices: []` usage chunk, or Together's usage on the last chunk with
 * choices, split off into a usage part), finish reason and time to first token off the stream.
 * Finished only after `[DONE]` or a finish reason: a clean end without either, or an in-band error
 * frame, is an error — never a synthetic finish.
 */
export class OpenAIStreamTranslator implements StreamTranslator {
  complete = false;
  private model: string;
  private usage: Usage = emptyUsage;
  private finishReason: FinishReason | null = null;
  private timeToFirstTokenMs: number | null = null;

  constructor(
    private readonly providerId: string,
    requestedModel: string,
    private readonly startedAt: number,
  ) {
    this.model = requestedModel;
  }

  accept(event: SseEvent, parts: ChatStreamPart[]): void {
    if (event.data === '[DONE]') {
      this.complete = true;
      return;
    }
    const chunk = parseChunk(this.providerId, event);
    if (typeof chunk.model === 'string' && chunk.model.length > 0) {
      this.model = chunk.model;
    }
    if (chunk.usage !== undefined && chunk.usage !== null) {
      this.usage = parseOpenAIUsage(chunk.usage);
    }
    const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
    if (choice === undefined) {
      parts.push(
        chunk.usage ? { type: 'usage', usage: this.usage, raw: event.data } : chunkPart(event.data),
      );
      return;
    }
    const reason = mapOpenAIFinishReason(choice.finish_reason);
    if (reason !== null) {
      this.finishReason = reason;
    }
    // Together puts `usage` on its last chunk with choices, often one with content. Relayed as is,
    // every client would see it; so that chunk goes on without it, and the usage follows as its
    // own part (relayed only when the client asked, the way OpenAI sends it).
    const usagePart =
      chunk.usage !== undefined && chunk.usage !== null ? splitUsage(chunk, this.usage) : undefined;
    const raw = usagePart === undefined ? event.data : usagePart.chunkRaw;
    const delta = choice.delta;
    const content = delta?.content;
    const toolCall = delta?.tool_calls?.[0];
    if (typeof content === 'string' && content.length > 0) {
      this.timeToFirstTokenMs ??= performance.now() - this.startedAt;
      parts.push({ type: 'text-delta', delta: content, raw });
    } else if (toolCall !== undefined) {
      this.timeToFirstTokenMs ??= performance.now() - this.startedAt;
      parts.push({
        type: 'tool-call-delta',
        index: toolCall.index ?? 0,
        id: toolCall.id ?? undefined,
        name: toolCall.function?.name ?? undefined,
        argumentsDelta: toolCall.function?.arguments ?? '',
        raw,
      });
    } else {
      parts.push(chunkPart(raw));
    }
    if (usagePart !== undefined) {
      parts.push(usagePart.part);
    }
  }

  finish(): ChatStreamPart {
    if (!this.complete && this.finishReason === null) {
      throw new ProviderError(`${this.providerId} stream ended before it finished`, {
        provider: this.providerId,
        kind: 'upstream',
        upstreamStatus: 502,
        upstreamCode: 'upstream_stream_truncated',
      });
    }
    return {
      type: 'finish',
      finishReason: this.finishReason,
      usage: this.usage,
      upstreamModel: this.model,
      timeToFirstTokenMs: this.timeToFirstTokenMs,
      upstreamLatencyMs: performance.now() - this.startedAt,
    };
  }
}

/**
 * A chunk with choices that also carries usage (once per stream, so re-serializing is cheap): the
 * chunk without `usage`, and OpenAI's usage chunk (`choices: []`) built from the same fields.
 */
function splitUsage(
  chunk: OpenAIChunkWire,
  usage: Usage,
): { chunkRaw: string; part: ChatStreamPart } {
  const { usage: usageWire, ...rest } = chunk;
  return {
    chunkRaw: JSON.stringify(rest),
    part: { type: 'usage', usage, raw: JSON.stringify({ ...rest, choices: [], usage: usageWire }) },
  };
}

function chunkPart(raw: string): ChatStreamPart {
  return { type: 'chunk', raw };
}

function parseChunk(providerId: string, event: SseEvent): OpenAIChunkWire {
  let chunk: unknown;
  try {
    chunk = JSON.parse(event.data);
  } catch (error) {
    if (event.event === 'error') {
      throw midStreamError(providerId, event.data, { message: event.data.slice(0, 200) });
    }
    throw new ProviderError(`${providerId} sent a stream chunk that is not JSON`, {
      provider: providerId,
      kind: 'upstream',
      upstreamStatus: 502,
      upstreamBody: event.data,
      upstreamCode: 'malformed_upstream_response',
      cause: error,
    });
  }
  if (typeof chunk !== 'object' || chunk === null) {
    throw midStreamError(providerId, event.data, undefined);
  }
  const wire = chunk as OpenAIChunkWire;
  if (event.event === 'error' || (wire.error !== undefined && wire.error !== null)) {
    throw midStreamError(providerId, event.data, parseOpenAIErrorEnvelope(wire));
  }
  return wire;
}

function midStreamError(
  providerId: string,
  data: string,
  details: ReturnType<typeof parseOpenAIErrorEnvelope>,
): ProviderError {
  const message = details?.message === undefined ? '' : `: ${details.message.slice(0, 500)}`;
  return new ProviderError(`${providerId} failed mid-stream${message}`, {
    provider: providerId,
    kind: 'upstream',
    upstreamStatus: 502,
    upstreamBody: data,
    upstreamCode: details?.code ?? 'upstream_stream_error',
    upstreamType: details?.type ?? null,
    upstreamParam: details?.param ?? null,
  });
}
