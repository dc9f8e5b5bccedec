import { randomBytes } from 'node:crypto';
import type { GatewayError } from '../../errors/index.ts';
import type { FinishReason, ToolCall, Usage } from '../../providers/index.ts';
import type { ResponseItem } from './responses-input.ts';
import type { ResponsesRequest } from './responses-request.ts';

/**
 * The OpenAI `response` object. Item ids carry their response's id (`msg_<hex>_0` belongs to
 * `resp_<hex>`), so an `item_reference` finds its stored response without an index.
 */
export interface ResponseIds {
  readonly id: string;
  readonly hex: string;
  readonly createdAt: number;
}

export function newResponseIds(nowMs: number): ResponseIds {
  const hex = randomBytes(16).toString('hex');
  return { id: `resp_${hex}`, hex, createdAt: Math.floor(nowMs / 1000) };
}

/** The response id an item id belongs to, or null for an id the gateway did not make. */
export function responseIdOfItem(itemId: string): string | null {
  const match = /^(?:msg|fc)_([0-9a-f]{32})_\d+$/.exec(itemId);
  return match ? `resp_${match[1]}` : null;
}

export const messageItemId = (ids: ResponseIds, index: number) => `msg_${ids.hex}_${index}`;
export const callItemId = (ids: ResponseIds, index: number) => `fc_${ids.hex}_${index}`;

type ResponseStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

export interface ResponseState {
  readonly status: ResponseStatus;
  readonly output: readonly ResponseItem[];
  readonly usage: Usage | null;
  readonly model: string;
  readonly finishReason?: FinishReason | null;
  readonly error?: GatewayError;
  readonly completedAt?: number;
}

export function responseObject(
  ids: ResponseIds,
  body: ResponsesRequest,
  state: ResponseState,
): Record<string, unknown> {
  const incomplete =
    state.status === 'incomplete'
      ? {
          reason: state.finishReason === 'content_filter' ? 'content_filter' : 'max_output_tokens',
        }
      : null;
  return {
    id: ids.id,
    object: 'response',
    created_at: ids.createdAt,
    status: state.status,
    background: false,
    completed_at: state.completedAt ?? null,
    error: state.error
      ? { code: state.error.code ?? 'server_error', message: state.error.message }
      : null,
    incomplete_details: incomplete,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    metadata: body.metadata ?? {},
    model: state.model,
    output: state.output,
    output_text: outputText(state.output),
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: { effort: body.reasoning?.effort ?? null, summary: null },
    service_tier: 'default',
    store: body.store !== false,
    temperature: body.temperature ?? 1,
    text: { format: body.text?.format ?? { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: body.truncation ?? 'disabled',
    usage: state.usage ? responseUsage(state.usage) : null,
    user: body.user ?? null,
  };
}

function responseUsage(usage: Usage): Record<string, unknown> {
  const input = usage.promptTokens ?? 0;
  const output = usage.completionTokens ?? 0;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage.cachedPromptTokens ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + output,
  };
}

/** `completed`, or `incomplete` when the model stopped at the token limit or a content filter. */
export function finalStatus(finishReason: FinishReason | null): 'completed' | 'incomplete' {
  return finishReason === 'length' || finishReason === 'content_filter'
    ? 'incomplete'
    : 'completed';
}

export function messageItem(
  id: string,
  text: string,
  status: 'in_progress' | 'completed' | 'incomplete',
): ResponseItem {
  return {
    id,
    type: 'message',
    status,
    role: 'assistant',
    content: status === 'in_progress' ? [] : [outputTextPart(text)],
  };
}

export function outputTextPart(text: string): ResponseItem {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

export function functionCallItem(
  id: string,
  call: ToolCall,
  status: 'in_progress' | 'completed' | 'incomplete',
): ResponseItem {
  return {
    id,
    type: 'function_call',
    status,
    call_id: call.id,
    name: call.name,
    arguments: call.arguments,
  };
}

/** The output items of a whole answer: its text as one message, then each tool call. */
export function outputItems(
  ids: ResponseIds,
  text: string,
  toolCalls: readonly ToolCall[],
  status: 'completed' | 'incomplete',
): ResponseItem[] {
  const items: ResponseItem[] = [];
  if (text.length > 0 || toolCalls.length === 0) {
    items.push(messageItem(messageItemId(ids, 0), text, status));
  }
  toolCalls.forEach((call, index) => {
    items.push(functionCallItem(callItemId(ids, index + 1), call, status));
  });
  return items;
}

function outputText(output: readonly ResponseItem[]): string {
  let text = '';
  for (const item of output) {
    if (item.type === 'message' && Array.isArray(item.content)) {
      for (const part of item.content as ResponseItem[]) {
        if (part.type === 'output_text' && typeof part.text === 'string') {
          text += part.text;
        }
      }
    }
  }
  return text;
}
