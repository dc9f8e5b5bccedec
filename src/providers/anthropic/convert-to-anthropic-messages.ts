import { GatewayError } from '../../errors/index.ts';
import type {
  AnthropicContentBlock,
  AnthropicImageBlock,
  AnthropicMessage,
} from './anthropic-wire.ts';

type Loose = Record<string, unknown>;

/**
 * OpenAI chat messages → Anthropic's `system` and alternating user/assistant turns: system and
 * developer messages (wherever they appear) → `system` parts; consecutive same-role turns merged;
 * `tool` messages → `tool_result` blocks in a user turn; assistant `tool_calls` → `tool_use`.
 */
export function convertMessages(input: unknown): {
  system: string[];
  messages: AnthropicMessage[];
} {
  if (!Array.isArray(input)) {
    throw invalid('messages must be an array', 'messages');
  }
  const system: string[] = [];
  const messages: AnthropicMessage[] = [];
  const push = (role: 'user' | 'assistant', blocks: AnthropicContentBlock[]) => {
    if (blocks.length === 0) {
      return;
    }
    const last = messages[messages.length - 1];
    if (last !== undefined && last.role === role) {
      last.content.push(...blocks);
    } else {
      messages.push({ role, content: blocks });
    }
  };
  input.forEach((raw: unknown, index) => {
    const message = (typeof raw === 'object' && raw !== null ? raw : {}) as Loose;
    const param = `messages[${index}]`;
    switch (message.role) {
      case 'system':
      case 'developer': {
        const text = textOf(message.content, `${param}.content`);
        if (text.length > 0) {
          system.push(text);
        }
        break;
      }
      case 'user':
        push('user', userBlocks(message.content, `${param}.content`));
        break;
      case 'assistant':
        push('assistant', assistantBlocks(message, param));
        break;
      case 'tool':
        push('user', [
          {
            type: 'tool_result',
            tool_use_id: String(message.tool_call_id ?? ''),
            content: textOf(message.content, `${param}.content`),
          },
        ]);
        break;
      default:
        throw invalid(
          `role ${String(message.role)} is not supported for Anthropic`,
          `${param}.role`,
        );
    }
  });
  return { system, messages };
}

/** Text of a string or an array of text parts (system, developer and tool messages). */
function textOf(content: unknown, param: string): string {
  if (typeof content === 'string') {
    return content;
  }
  if (content === null || content === undefined) {
    return '';
  }
  if (!Array.isArray(content)) {
    throw invalid('content must be a string or an array of parts', param);
  }
  return content
    .map((part: unknown, index) => {
      const fields = (part ?? {}) as Loose;
      if (fields.type !== 'text' || typeof fields.text !== 'string') {
        throw invalid('only text parts are allowed here', `${param}[${index}]`);
      }
      return fields.text;
    })
    .join('\n');
}

function userBlocks(content: unknown, param: string): AnthropicContentBlock[] {
  if (typeof content === 'string') {
    return content.length > 0 ? [{ type: 'text', text: content }] : [];
  }
  if (!Array.isArray(content)) {
    throw invalid('content must be a string or an array of parts', param);
  }
  const blocks: AnthropicContentBlock[] = [];
  content.forEach((part: unknown, index) => {
    const fields = (part ?? {}) as Loose;
    if (fields.type === 'text' && typeof fields.text === 'string') {
      if (fields.text.length > 0) {
        blocks.push({ type: 'text', text: fields.text });
      }
    } else if (fields.type === 'image_url') {
      blocks.push(imageBlock(fields.image_url, `${param}[${index}].image_url`));
    } else {
      throw invalid(`content part ${String(fields.type)} is not supported for Anthropic`, param);
    }
  });
  return blocks;
}

/** `data:` URLs become base64 sources; http(s) URLs become URL sources Anthropic fetches itself. */
function imageBlock(imageUrl: unknown, param: string): AnthropicImageBlock {
  const url = typeof imageUrl === 'string' ? imageUrl : ((imageUrl ?? {}) as Loose).url;
  if (typeof url !== 'string') {
    throw invalid('image_url.url must be a string', param);
  }
  const dataUrl = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (dataUrl !== null) {
    return {
      type: 'image',
      source: { type: 'base64', media_type: dataUrl[1] ?? '', data: dataUrl[2] ?? '' },
    };
  }
  if (/^https?:\/\//i.test(url)) {
    return { type: 'image', source: { type: 'url', url } };
  }
  throw invalid('image_url.url must be an http(s) URL or a base64 data URL', param);
}

function assistantBlocks(message: Loose, param: string): AnthropicContentBlock[] {
  const blocks: AnthropicContentBlock[] = [];
  const content = message.content;
  if (typeof content === 'string') {
    if (content.length > 0) {
      blocks.push({ type: 'text', text: content });
    }
  } else if (Array.isArray(content)) {
    for (const part of content as Loose[]) {
      const text = part?.type === 'refusal' ? part.refusal : part?.text;
      if (typeof text === 'string' && text.length > 0) {
        blocks.push({ type: 'text', text });
      }
    }
  }
  const toolCalls = Array.isArray(message.tool_calls) ? (message.tool_calls as Loose[]) : [];
  toolCalls.forEach((call, index) => {
    const fn = (call.function ?? {}) as Loose;
    const argumentsText = typeof fn.arguments === 'string' ? fn.arguments : '';
    let input: unknown = {};
    if (argumentsText.trim().length > 0) {
      try {
        input = JSON.parse(argumentsText);
      } catch {
        throw invalid('tool call arguments must be JSON', `${param}.tool_calls[${index}]`);
      }
    }
    blocks.push({
      type: 'tool_use',
      id: String(call.id ?? ''),
      name: String(fn.name ?? ''),
      input: typeof input === 'object' && input !== null ? input : { value: input },
    });
  });
  return blocks;
}

/** 400 `unsupported_for_provider` naming the param: a request field Anthropic cannot take. */
export function invalid(message: string, param: string): GatewayError {
  return new GatewayError('unsupported_for_provider', message, { param });
}
