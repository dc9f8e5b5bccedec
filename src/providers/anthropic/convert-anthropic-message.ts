import type { FinishReason, ToolCall, Usage } from '../chat-model.ts';
import { noStructuredOutput, type StructuredOutput } from './anthropic-structured-output.ts';
import type { AnthropicMessageWire, AnthropicUsageWire } from './anthropic-wire.ts';

/**
 * Anthropic answers → OpenAI shapes. Finish reasons: `end_turn`, `stop_sequence` → stop;
 * `max_tokens` and `model_context_window_exceeded` → length; `tool_use` → tool_calls;
 * `refusal` → content_filter; `pause_turn` and anything new → other.
 */
export function mapAnthropicStopReason(reason: string | null | undefined): FinishReason | null {
  switch (reason) {
    case null:
    case undefined:
      return null;
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'other';
  }
}

/**
 * Anthropic's `input_tokens` excludes cache reads and cache writes; OpenAI's `prompt_tokens` counts
 * every prompt token, with the cached share in `prompt_tokens_details.cached_tokens`. So prompt
 * tokens = input + cache read + cache creation, cached = cache read.
 */
export function convertAnthropicUsage(usage: AnthropicUsageWire | null | undefined): Usage {
  const input = count(usage?.input_tokens);
  const cacheRead = count(usage?.cache_read_input_tokens);
  const cacheCreation = count(usage?.cache_creation_input_tokens);
  const output = count(usage?.output_tokens);
  return {
    promptTokens:
      input === null && cacheRead === null && cacheCreation === null
        ? null
        : (input ?? 0) + (cacheRead ?? 0) + (cacheCreation ?? 0),
    completionTokens: output,
    cachedPromptTokens: cacheRead,
  };
}

/** The OpenAI `usage` object for a body or a usage chunk. */
export function openAIUsageJson(usage: Usage) {
  const prompt = usage.promptTokens ?? 0;
  const completion = usage.completionTokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: usage.cachedPromptTokens ?? 0 },
  };
}

/** The finish reason as OpenAI clients know it (their SDK types list only OpenAI's values). */
export function wireFinishReason(reason: FinishReason | null): string {
  return reason === null || reason === 'other' || reason === 'error' ? 'stop' : reason;
}

/** `chatcmpl-…` derived from the Anthropic message id, so logs on both sides can be matched. */
export function completionIdFor(anthropicId: string | undefined): string {
  return `chatcmpl-${(anthropicId ?? 'anthropic').replace(/^msg_/, '')}`;
}

export interface ConvertedMessage {
  readonly body: string;
  readonly text: string;
  readonly toolCalls: ToolCall[];
  readonly finishReason: FinishReason | null;
  readonly usage: Usage;
  readonly model: string;
}

/**
 * A non-streaming Anthropic `Message` → an OpenAI `chat.completion` JSON body and its fields. With
 * a `responseTool` (structured output through a forced tool) that tool's input is the content and
 * the turn finishes with `stop`, unless the model called one of the client's own tools instead.
 */
export function convertAnthropicMessage(
  message: AnthropicMessageWire,
  requestedModel: string,
  createdSeconds: number,
  structured: StructuredOutput = noStructuredOutput,
): ConvertedMessage {
  const { responseTool, forced } = structured;
  let text = '';
  let answer: string | undefined;
  const toolCalls: ToolCall[] = [];
  for (const block of message.content ?? []) {
    if (block.type === 'text' && typeof block.text === 'string') {
      text += block.text;
    } else if (
      block.type === 'tool_use' &&
      responseTool !== null &&
      (forced || block.name === responseTool)
    ) {
      answer ??= JSON.stringify(block.input ?? {});
    } else if (block.type === 'tool_use') {
      toolCalls.push({
        id: block.id ?? '',
        name: block.name ?? '',
        arguments: JSON.stringify(block.input ?? {}),
      });
    }
  }
  let finishReason = mapAnthropicStopReason(message.stop_reason);
  if (answer !== undefined && toolCalls.length === 0) {
    text = answer;
    finishReason = finishReason === 'tool_calls' ? 'stop' : finishReason;
  }
  const usage = convertAnthropicUsage(message.usage);
  const model = typeof message.model === 'string' ? message.model : requestedModel;
  const assistant: Record<string, unknown> = {
    role: 'assistant',
    content: text.length === 0 && toolCalls.length > 0 ? null : text,
    refusal: null,
  };
  if (toolCalls.length > 0) {
    assistant.tool_calls = toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  const body = JSON.stringify({
    id: completionIdFor(message.id),
    object: 'chat.completion',
    created: createdSeconds,
    model,
    choices: [
      {
        index: 0,
        message: assistant,
        logprobs: null,
        finish_reason: wireFinishReason(finishReason),
      },
    ],
    usage: openAIUsageJson(usage),
  });
  return { body, text, toolCalls, finishReason, usage, model };
}

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
