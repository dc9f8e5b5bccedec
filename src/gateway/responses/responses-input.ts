import { GatewayError } from '../../errors/index.ts';
import type { ResponseItem } from '../../pipeline/index.ts';
import type { ChatCompletionRequest } from '../chat/chat-completion-request.ts';
import { unsupported } from './responses-request.ts';

export type { ResponseItem };

/** Finds an earlier item by id (`item_reference`), from this organization's stored responses. */
type ItemLookup = (id: string) => ResponseItem | undefined;

/** The items of `input` (a string is one user message), `item_reference`s replaced. */
export function inputItems(
  input: string | readonly ResponseItem[] | undefined,
  lookup: ItemLookup,
): ResponseItem[] {
  if (input === undefined) {
    return [];
  }
  if (typeof input === 'string') {
    return [{ type: 'message', role: 'user', content: input }];
  }
  return input.map((item) => {
    if (item.type !== 'item_reference') {
      return item;
    }
    const id = item.id;
    const found = typeof id === 'string' ? lookup(id) : undefined;
    if (!found) {
      throw new GatewayError('item_not_found', `Item with id '${String(id)}' not found.`, {
        param: 'input',
      });
    }
    return found;
  });
}

/**
 * The conversation as Chat Completions messages: `instructions` first (as a system message),
 * messages with their text and image parts, consecutive `function_call` items as one assistant
 * message with `tool_calls`, `function_call_output` as `tool` messages. Reasoning items carry
 * nothing another model can use and are left out.
 */
export function toChatMessages(
  instructions: string | null | undefined,
  items: readonly ResponseItem[],
): ChatMessages {
  const messages: Record<string, unknown>[] = [];
  if (instructions) {
    messages.push({ role: 'system', content: instructions });
  }
  items.forEach((item, index) => {
    const param = `input[${index}]`;
    const type = item.type ?? 'message';
    switch (type) {
      case 'message':
        messages.push(chatMessage(item, param));
        return;
      case 'function_call':
        addToolCall(messages, item, param);
        return;
      case 'function_call_output':
        messages.push({
          role: 'tool',
          tool_call_id: requiredString(item, 'call_id', param),
          content: outputText(item.output, `${param}.output`),
        });
        return;
      case 'reasoning':
        return;
      default:
        throw unsupported(
          `${param}.type`,
          `Input items of type \`${String(type)}\` are not supported by this gateway.`,
        );
    }
  });
  return messages as unknown as ChatMessages;
}

/** Chat Completions `messages`, as the chat route validates them. */
export type ChatMessages = ChatCompletionRequest['messages'];

const roles = new Set(['user', 'system', 'developer', 'assistant']);

function chatMessage(item: ResponseItem, param: string): Record<string, unknown> {
  const role = item.role;
  if (typeof role !== 'string' || !roles.has(role)) {
    throw new GatewayError(
      'invalid_value',
      `Invalid '${param}.role': expected one of user, system, developer, assistant.`,
      { param: `${param}.role` },
    );
  }
  const content = item.content;
  if (typeof content === 'string') {
    return { role, content };
  }
  if (!Array.isArray(content)) {
    throw new GatewayError(
      'invalid_value',
      `Invalid '${param}.content': expected a string or an array of content parts.`,
      { param: `${param}.content` },
    );
  }
  const parts = content.map((part: unknown, index) =>
    contentPart(part, `${param}.content[${index}]`),
  );
  if (role !== 'user' || parts.every((part) => part.type === 'text')) {
    if (parts.some((part) => part.type !== 'text')) {
      throw unsupported(`${param}.content`, `Only text content is accepted in ${role} messages.`);
    }
    return { role, content: parts.map((part) => part.text).join('') };
  }
  return { role, content: parts };
}

function contentPart(part: unknown, param: string): Record<string, unknown> {
  const value = (part ?? {}) as Record<string, unknown>;
  switch (value.type) {
    case 'input_text':
    case 'output_text':
      return { type: 'text', text: requiredString(value, 'text', param) };
    case 'refusal':
      return { type: 'text', text: requiredString(value, 'refusal', param) };
    case 'input_image': {
      if (typeof value.image_url !== 'string') {
        throw unsupported(
          `${param}.image_url`,
          'Images are accepted as `image_url` (a URL or a data URL); `file_id` is not supported.',
        );
      }
      const image: Record<string, unknown> = { url: value.image_url };
      if (typeof value.detail === 'string') {
        image.detail = value.detail;
      }
      return { type: 'image_url', image_url: image };
    }
    default:
      throw unsupported(
        `${param}.type`,
        `Content parts of type \`${String(value.type)}\` are not supported by this gateway.`,
      );
  }
}

function addToolCall(messages: Record<string, unknown>[], item: ResponseItem, param: string): void {
  const call = {
    id: requiredString(item, 'call_id', param),
    type: 'function',
    function: {
      name: requiredString(item, 'name', param),
      arguments: requiredString(item, 'arguments', param),
    },
  };
  const last = messages.at(-1);
  // An assistant turn that said something and called tools is one chat message.
  if (last?.role === 'assistant') {
    const calls = (last.tool_calls as unknown[] | undefined) ?? [];
    last.tool_calls = [...calls, call];
    return;
  }
  messages.push({ role: 'assistant', content: null, tool_calls: [call] });
}

function outputText(output: unknown, param: string): string {
  if (typeof output === 'string') {
    return output;
  }
  if (Array.isArray(output)) {
    return output
      .map((part: unknown, index) => {
        const value = (part ?? {}) as Record<string, unknown>;
        if (value.type !== 'input_text' && value.type !== 'output_text') {
          throw unsupported(
            `${param}[${index}].type`,
            'Only text is accepted in a function call output.',
          );
        }
        return requiredString(value, 'text', `${param}[${index}]`);
      })
      .join('');
  }
  throw new GatewayError('invalid_value', `Invalid '${param}': expected a string.`, { param });
}

function requiredString(item: Record<string, unknown>, field: string, param: string): string {
  const value = item[field];
  if (typeof value !== 'string') {
    throw new GatewayError(
      'missing_required_parameter',
      `Missing required parameter: '${param}.${field}'.`,
      { param: `${param}.${field}` },
    );
  }
  return value;
}
