import type { ChatCompletionRequest } from '../chat/chat-completion-request.ts';
import type { ChatMessages } from './responses-input.ts';
import type { ResponsesRequest } from './responses-request.ts';

/**
 * A Responses request as the Chat Completions body every provider already serves, so the request
 * goes through the same router, capability check, fallbacks and translations as chat:
 * `instructions` + items → `messages`, function tools → chat tools, `text.format` →
 * `response_format`, `max_output_tokens` → `max_completion_tokens`, `user`/`safety_identifier` →
 * `user`. `reasoning.effort` becomes `reasoning_effort`, and the planner keeps only targets that
 * can honour it.
 */
export function toChatBody(body: ResponsesRequest, messages: ChatMessages): ChatCompletionRequest {
  const chat: Record<string, unknown> = { model: body.model, messages };
  if (body.tools && body.tools.length > 0) {
    chat.tools = body.tools.map((tool) => {
      const definition: Record<string, unknown> = { name: tool.name };
      for (const field of ['description', 'parameters', 'strict'] as const) {
        if (tool[field] !== undefined && tool[field] !== null) {
          definition[field] = tool[field];
        }
      }
      return { type: 'function', function: definition };
    });
    if (typeof body.parallel_tool_calls === 'boolean') {
      chat.parallel_tool_calls = body.parallel_tool_calls;
    }
  }
  const choice = body.tool_choice;
  if (typeof choice === 'string') {
    chat.tool_choice = choice;
  } else if (choice) {
    chat.tool_choice = { type: 'function', function: { name: choice.name } };
  }
  const format = body.text?.format;
  if (format?.type === 'json_object') {
    chat.response_format = { type: 'json_object' };
  } else if (format?.type === 'json_schema') {
    const schema: Record<string, unknown> = { name: format.name ?? 'response' };
    for (const field of ['description', 'schema', 'strict'] as const) {
      if (format[field] !== undefined && format[field] !== null) {
        schema[field] = format[field];
      }
    }
    chat.response_format = { type: 'json_schema', json_schema: schema };
  }
  copy(body, chat, 'max_output_tokens', 'max_completion_tokens');
  copy(body, chat, 'temperature', 'temperature');
  copy(body, chat, 'top_p', 'top_p');
  copy(body, chat, 'metadata', 'metadata');
  const user = body.safety_identifier ?? body.user;
  if (typeof user === 'string') {
    chat.user = user;
  }
  const effort = body.reasoning?.effort;
  if (typeof effort === 'string') {
    chat.reasoning_effort = effort;
  }
  if (body.stream === true) {
    chat.stream = true;
  }
  return chat as ChatCompletionRequest;
}

function copy(
  from: ResponsesRequest,
  to: Record<string, unknown>,
  field: 'max_output_tokens' | 'temperature' | 'top_p' | 'metadata',
  as: string,
): void {
  const value = from[field];
  if (value !== undefined && value !== null) {
    to[as] = value;
  }
}

/** Chat params the capability check names, as the Responses request calls them. */
const responsesParams: Readonly<Record<string, string>> = {
  max_completion_tokens: 'max_output_tokens',
  max_tokens: 'max_output_tokens',
  response_format: 'text.format',
  reasoning_effort: 'reasoning',
};

export function responsesParam(param: string | null): string | null {
  if (param === null) {
    return null;
  }
  if (param.startsWith('messages[')) {
    return 'input';
  }
  return responsesParams[param] ?? param;
}
