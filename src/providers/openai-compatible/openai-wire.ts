import type { FinishReason, ToolCall, Usage } from '../chat-model.ts';

/**
 * Partial shapes of OpenAI's Chat Completions answers: only the fields we read, each checked before
 * use, so a vendor adding or renaming an unrelated field never breaks the relay (the bytes go to the
 * client unchanged anyway). Together, vLLM, Ollama and llama.cpp send the same shapes.
 */
export interface OpenAIUsageWire {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
}

export interface OpenAIToolCallWire {
  index?: number;
  id?: string | null;
  type?: string;
  function?: { name?: string | null; arguments?: string | null } | null;
}

interface OpenAIMessageWire {
  content?: string | null;
  tool_calls?: OpenAIToolCallWire[] | null;
}

export interface OpenAICompletionWire {
  id?: string;
  model?: string;
  choices?: Array<{ message?: OpenAIMessageWire; finish_reason?: string | null }>;
  usage?: OpenAIUsageWire | null;
  error?: unknown;
}

export interface OpenAIChunkWire {
  id?: string;
  model?: string;
  choices?: Array<{
    index?: number;
    delta?: OpenAIMessageWire & { role?: string };
    finish_reason?: string | null;
  }>;
  usage?: OpenAIUsageWire | null;
  error?: unknown;
}

/** OpenAI's finish reasons pass through; Together's `eos` is a stop; anything unknown is `other`. */
export function mapOpenAIFinishReason(reason: string | null | undefined): FinishReason | null {
  switch (reason) {
    case null:
    case undefined:
      return null;
    case 'stop':
    case 'length':
    case 'tool_calls':
    case 'content_filter':
    case 'function_call':
      return reason;
    case 'eos':
    case 'stop_sequence':
    case 'end_turn':
      return 'stop';
    default:
      return 'other';
  }
}

export function parseOpenAIUsage(usage: OpenAIUsageWire | null | undefined): Usage {
  return {
    promptTokens: numberOrNull(usage?.prompt_tokens),
    completionTokens: numberOrNull(usage?.completion_tokens),
    cachedPromptTokens: numberOrNull(usage?.prompt_tokens_details?.cached_tokens),
  };
}

export function parseOpenAIToolCalls(
  toolCalls: OpenAIToolCallWire[] | null | undefined,
): ToolCall[] {
  if (!Array.isArray(toolCalls)) {
    return [];
  }
  return toolCalls.map((call) => ({
    id: call.id ?? '',
    name: call.function?.name ?? '',
    arguments: call.function?.arguments ?? '',
  }));
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
