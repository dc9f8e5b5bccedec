/**
 * One outcome row → one chat fine-tuning example: the prompt messages as sent (or, for a row
 * without any, a prompt built from its fields: `build-row-prompt.ts`), then the generated message
 * as the assistant turn. Only allow-listed fields are kept (role, content, tool calls), and every
 * text goes through the row's scrubber.
 */
import { buildRowPrompt } from './build-row-prompt.ts';
import type { OutcomeRow, TrainingFormat } from './outcome-row.ts';

export type ExampleRejection = 'missing_output' | 'invalid_prompt' | 'unsupported_messages';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | null;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
  weight?: 0 | 1;
}

interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type ExampleResult =
  | {
      ok: true;
      messages: ChatMessage[];
      /** The row had no prompt messages; the prompt was built from its fields. */
      builtPrompt: boolean;
    }
  | { ok: false; reason: ExampleRejection };

type Fields = Record<string, unknown>;
const isFields = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') {
    return value;
  }
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/**
 * The row's recorded prompt; null when it has none (SQL NULL, JSON null, absent, or an empty
 * array), so one is built; `undefined` when it is present but not a JSON array (rejected).
 */
function recordedPrompt(value: unknown): unknown[] | null | undefined {
  if (value === null || value === undefined) {
    return null;
  }
  const parsed = parseJson(value);
  if (parsed === null || (Array.isArray(parsed) && parsed.length === 0)) {
    return null;
  }
  return Array.isArray(parsed) ? parsed : undefined;
}

export function parseLeadData(value: OutcomeRow['lead_data']): Fields | null {
  const parsed = parseJson(value);
  return isFields(parsed) ? parsed : null;
}

/** Text of a content value: a string, or the text parts of a parts array (images are dropped). */
function contentText(content: unknown): string | null {
  if (typeof content === 'string') {
    return content;
  }
  if (!Array.isArray(content)) {
    return null;
  }
  const texts = content
    .filter((part): part is Fields => isFields(part) && part.type === 'text')
    .map((part) => (typeof part.text === 'string' ? part.text : ''));
  return texts.length > 0 ? texts.join('\n') : null;
}

function toolCalls(value: unknown, scrub: (text: string) => string): ToolCall[] | null {
  if (!Array.isArray(value)) {
    return null;
  }
  const calls: ToolCall[] = [];
  for (const call of value) {
    const fn = isFields(call) ? call.function : undefined;
    if (
      !isFields(call) ||
      typeof call.id !== 'string' ||
      !isFields(fn) ||
      typeof fn.name !== 'string'
    ) {
      return null;
    }
    const args = typeof fn.arguments === 'string' ? fn.arguments : '{}';
    calls.push({
      id: call.id,
      type: 'function',
      function: { name: fn.name, arguments: scrub(args) },
    });
  }
  return calls;
}

/** Prompt messages in OpenAI's fine-tuning shape; earlier assistant turns get `weight: 0`. */
function openAIMessages(
  prompt: unknown[],
  scrub: (text: string) => string,
): ChatMessage[] | ExampleRejection {
  const messages: ChatMessage[] = [];
  for (const raw of prompt) {
    if (!isFields(raw) || typeof raw.role !== 'string') {
      return 'invalid_prompt';
    }
    const role = raw.role === 'developer' ? 'system' : raw.role;
    const text = contentText(raw.content);
    if (role === 'assistant') {
      const calls = raw.tool_calls === undefined ? null : toolCalls(raw.tool_calls, scrub);
      if (raw.tool_calls !== undefined && !calls) {
        return 'invalid_prompt';
      }
      if (text === null && !calls) {
        return 'invalid_prompt';
      }
      // Only the tracked output carries the measured quality; earlier turns are context.
      messages.push({
        role,
        content: text === null ? null : scrub(text),
        ...(calls ? { tool_calls: calls } : {}),
        weight: 0,
      });
      continue;
    }
    if (role === 'tool') {
      if (typeof raw.tool_call_id !== 'string' || text === null) {
        return 'invalid_prompt';
      }
      messages.push({ role, content: scrub(text), tool_call_id: raw.tool_call_id });
      continue;
    }
    if ((role !== 'system' && role !== 'user') || text === null) {
      return role === 'system' || role === 'user' ? 'invalid_prompt' : 'unsupported_messages';
    }
    messages.push({ role, content: scrub(text) });
  }
  return messages;
}

/**
 * Together's conversational format: an optional system message first, then user and assistant
 * alternating. Consecutive turns of one role are joined; tool traffic is not representable.
 */
function togetherMessages(
  prompt: unknown[],
  scrub: (text: string) => string,
): ChatMessage[] | ExampleRejection {
  const messages: ChatMessage[] = [];
  for (const raw of prompt) {
    if (!isFields(raw) || typeof raw.role !== 'string') {
      return 'invalid_prompt';
    }
    const role = raw.role === 'developer' ? 'system' : raw.role;
    if (
      role === 'tool' ||
      raw.tool_calls !== undefined ||
      (role !== 'system' && role !== 'user' && role !== 'assistant')
    ) {
      return 'unsupported_messages';
    }
    const text = contentText(raw.content);
    if (text === null) {
      return 'invalid_prompt';
    }
    const previous = messages.at(-1);
    if (role === 'system' && messages.some((message) => message.role !== 'system')) {
      return 'unsupported_messages';
    }
    if (previous && previous.role === role) {
      previous.content = `${previous.content ?? ''}\n\n${scrub(text)}`;
      continue;
    }
    messages.push({ role: role as ChatMessage['role'], content: scrub(text) });
  }
  const firstTurn = messages.find((message) => message.role !== 'system');
  if (firstTurn?.role !== 'user' || messages.at(-1)?.role !== 'user') {
    return 'invalid_prompt';
  }
  return messages;
}

export function buildTrainingExample(
  row: OutcomeRow,
  format: TrainingFormat,
  scrub: (text: string) => string,
): ExampleResult {
  if (typeof row.message_body !== 'string' || row.message_body.trim() === '') {
    return { ok: false, reason: 'missing_output' };
  }
  const recorded = recordedPrompt(row.prompt_messages);
  if (recorded === undefined) {
    return { ok: false, reason: 'invalid_prompt' };
  }
  const prompt = recorded ?? buildRowPrompt(row);
  const messages =
    format === 'openai' ? openAIMessages(prompt, scrub) : togetherMessages(prompt, scrub);
  if (typeof messages === 'string') {
    return { ok: false, reason: messages };
  }
  if (format === 'openai' && !messages.some((message) => message.role === 'user')) {
    return { ok: false, reason: 'invalid_prompt' };
  }
  messages.push({ role: 'assistant', content: scrub(row.message_body) });
  return { ok: true, messages, builtPrompt: recorded === null };
}
