import type { ChatCompletionRequest } from './chat-completion-request.ts';

/**
 * The fields of `chatCompletionRequestSchema` checked by hand, for the hot path: the zod schema
 * costs ~5-10 µs per request, this well under 1 µs. It only ever says yes to bodies the schema also
 * accepts (unknown fields pass through untouched, as with `.loose()`); anything else — including
 * bodies it is merely unsure of — goes to the schema, so errors keep zod's exact wording.
 * Keep the two in step: test/unit/gateway/chat/is-valid-chat-request.test.ts checks every case
 * against the schema.
 */
const roles = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null;
}

function isTyped(value: unknown): boolean {
  return isObject(value) && typeof value.type === 'string';
}

function isMessage(value: unknown): boolean {
  if (!isObject(value) || typeof value.role !== 'string' || !roles.has(value.role)) {
    return false;
  }
  const content = value.content;
  if (content === undefined || content === null || typeof content === 'string') {
    return true;
  }
  if (!Array.isArray(content)) {
    return false;
  }
  for (const part of content) {
    if (!isTyped(part)) {
      return false;
    }
  }
  return true;
}

function isNumberIn(value: unknown, min: number, max: number, integer: boolean): boolean {
  if (isAbsent(value)) {
    return true;
  }
  if (typeof value !== 'number' || value < min || value > max) {
    return false;
  }
  return !integer || Number.isSafeInteger(value);
}

function isMetadata(value: unknown): boolean {
  if (isAbsent(value)) {
    return true;
  }
  if (!isObject(value) || Object.getPrototypeOf(value) !== Object.prototype) {
    return false;
  }
  for (const key in value) {
    if (key === '__proto__') {
      return false;
    }
    const item = value[key];
    const kind = typeof item;
    if (item !== null && kind !== 'string' && kind !== 'number' && kind !== 'boolean') {
      return false;
    }
  }
  return true;
}

export function isValidChatRequest(json: unknown): json is ChatCompletionRequest {
  if (!isObject(json)) {
    return false;
  }
  if (typeof json.model !== 'string' || json.model.length === 0) {
    return false;
  }
  const messages = json.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    return false;
  }
  for (const message of messages) {
    if (!isMessage(message)) {
      return false;
    }
  }
  if (!isAbsent(json.stream) && typeof json.stream !== 'boolean') {
    return false;
  }
  const streamOptions = json.stream_options;
  if (
    !isAbsent(streamOptions) &&
    !(
      isObject(streamOptions) &&
      (streamOptions.include_usage === undefined ||
        typeof streamOptions.include_usage === 'boolean')
    )
  ) {
    return false;
  }
  if (!isMetadata(json.metadata)) {
    return false;
  }
  const tools = json.tools;
  if (!isAbsent(tools)) {
    if (!Array.isArray(tools)) {
      return false;
    }
    for (const tool of tools) {
      if (!isTyped(tool)) {
        return false;
      }
    }
  }
  return (
    isNumberIn(json.max_tokens, Number.MIN_VALUE, Number.MAX_SAFE_INTEGER, true) &&
    isNumberIn(json.max_completion_tokens, Number.MIN_VALUE, Number.MAX_SAFE_INTEGER, true) &&
    isNumberIn(json.temperature, 0, 2, false) &&
    isNumberIn(json.top_p, 0, 1, false) &&
    isNumberIn(json.n, 1, 128, true)
  );
}
