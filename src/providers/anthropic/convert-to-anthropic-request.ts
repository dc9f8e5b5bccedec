import type { ChatRequestBody } from '../chat-model.ts';
import { GatewayError } from '../errors.ts';
import type {
  AnthropicContentBlock,
  AnthropicImageBlock,
  AnthropicMessage,
  AnthropicRequest,
  AnthropicTool,
  AnthropicToolChoice,
} from './anthropic-wire.ts';

export interface AnthropicRequestOptions {
  readonly upstreamModel: string;
  /** `max_tokens` is required by Anthropic; used when the client sent neither limit. */
  readonly defaultMaxTokens: number;
  readonly stream: boolean;
}

type Loose = Record<string, unknown>;

/**
 * An OpenAI Chat Completions body → an Anthropic Messages body.
 * - system and developer messages (wherever they appear) → top-level `system`, joined by blank lines;
 * - consecutive same-role turns are merged (Anthropic wants user/assistant alternation); `tool`
 *   messages become `tool_result` blocks in a user turn; assistant `tool_calls` become `tool_use`;
 * - `temperature` is clamped to Anthropic's [0, 1] (OpenAI allows up to 2), not rescaled;
 * - `max_completion_tokens`, else `max_tokens`, else the configured default → `max_tokens`;
 * - `stop` → `stop_sequences`; `user` → `metadata.user_id`; `parallel_tool_calls: false` →
 *   `disable_parallel_tool_use`;
 * - fields Anthropic has no equivalent for (`presence_penalty`, `seed`, `logprobs`,
 *   `response_format`, …) are not sent; `n` > 1 and non-function tools are refused with a 400.
 */
export function convertToAnthropicRequest(
  body: ChatRequestBody,
  options: AnthropicRequestOptions,
): AnthropicRequest {
  const source = body as Loose;
  if (typeof source.n === 'number' && source.n > 1) {
    throw invalid('Anthropic models return one choice; n must be 1', 'n');
  }
  const { system, messages } = convertMessages(source.messages);
  const request: AnthropicRequest = {
    model: options.upstreamModel,
    max_tokens: maxTokens(source, options.defaultMaxTokens),
    messages,
  };
  if (system.length > 0) {
    request.system = system.join('\n\n');
  }
  if (typeof source.temperature === 'number') {
    request.temperature = Math.min(1, Math.max(0, source.temperature));
  }
  if (typeof source.top_p === 'number') {
    request.top_p = source.top_p;
  }
  const stop = stopSequences(source.stop);
  if (stop !== undefined) {
    request.stop_sequences = stop;
  }
  const tools = convertTools(source.tools);
  if (tools !== undefined) {
    request.tools = tools;
    const toolChoice = convertToolChoice(source.tool_choice, source.parallel_tool_calls === false);
    if (toolChoice !== undefined) {
      request.tool_choice = toolChoice;
    }
  }
  if (typeof source.user === 'string' && source.user.length > 0) {
    request.metadata = { user_id: source.user };
  }
  if (options.stream) {
    request.stream = true;
  }
  return request;
}

function convertMessages(input: unknown): { system: string[]; messages: AnthropicMessage[] } {
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

function maxTokens(source: Loose, defaultMaxTokens: number): number {
  const value = source.max_completion_tokens ?? source.max_tokens;
  return typeof value === 'number' && value > 0 ? Math.floor(value) : defaultMaxTokens;
}

function stopSequences(stop: unknown): string[] | undefined {
  if (typeof stop === 'string') {
    return [stop];
  }
  if (Array.isArray(stop)) {
    const sequences = stop.filter((item): item is string => typeof item === 'string');
    return sequences.length > 0 ? sequences : undefined;
  }
  return undefined;
}

function convertTools(tools: unknown): AnthropicTool[] | undefined {
  if (!Array.isArray(tools) || tools.length === 0) {
    return undefined;
  }
  return tools.map((tool: unknown, index) => {
    const fields = (tool ?? {}) as Loose;
    const fn = fields.function as Loose | undefined;
    if (fields.type !== 'function' || fn === undefined || typeof fn.name !== 'string') {
      throw invalid('only function tools are supported for Anthropic', `tools[${index}]`);
    }
    const converted: AnthropicTool = {
      name: fn.name,
      input_schema: fn.parameters ?? { type: 'object', properties: {} },
    };
    if (typeof fn.description === 'string') {
      converted.description = fn.description;
    }
    return converted;
  });
}

function convertToolChoice(
  choice: unknown,
  disableParallel: boolean,
): AnthropicToolChoice | undefined {
  const parallel = disableParallel ? { disable_parallel_tool_use: true } : {};
  if (choice === 'none') {
    return { type: 'none' };
  }
  if (choice === 'required') {
    return { type: 'any', ...parallel };
  }
  if (typeof choice === 'object' && choice !== null) {
    const name = ((choice as Loose).function as Loose | undefined)?.name;
    if (typeof name === 'string') {
      return { type: 'tool', name, ...parallel };
    }
    throw invalid('tool_choice must name a function', 'tool_choice');
  }
  return choice === 'auto' || disableParallel ? { type: 'auto', ...parallel } : undefined;
}

function invalid(message: string, param: string): GatewayError {
  return new GatewayError(message, {
    status: 400,
    type: 'invalid_request_error',
    code: 'unsupported_for_provider',
    param,
  });
}
