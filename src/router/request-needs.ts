/**
 * What a request asks of the model that serves it, read once per request from the client's body:
 * the planner keeps only targets whose capability table covers all of it.
 */
export interface RequestNeeds {
  /** `tools` with at least one entry. */
  readonly tools: boolean;
  /** `parallel_tool_calls: true` with tools (false or unset asks nothing special). */
  readonly parallelToolCalls: boolean;
  readonly responseFormat: 'json_schema' | 'json_object' | null;
  /** `logprobs: true`, or `top_logprobs` > 0: the param the client set. */
  readonly logprobs: 'logprobs' | 'top_logprobs' | null;
  /** `n`, 1 when unset. */
  readonly choices: number;
  /** The param of the first image part, e.g. `messages[1].content[0]`; null without images. */
  readonly imageParam: string | null;
  /** `max_completion_tokens`, else `max_tokens`, when set. */
  readonly maxOutputTokens: { readonly param: string; readonly value: number } | null;
}

export const noNeeds: RequestNeeds = Object.freeze({
  tools: false,
  parallelToolCalls: false,
  responseFormat: null,
  logprobs: null,
  choices: 1,
  imageParam: null,
  maxOutputTokens: null,
});

type Loose = Record<string, unknown>;

export function deriveRequestNeeds(body: Loose): RequestNeeds {
  const tools = Array.isArray(body.tools) && body.tools.length > 0;
  const format = (body.response_format as Loose | null | undefined)?.type;
  const topLogprobs = body.top_logprobs;
  const maxCompletion = body.max_completion_tokens;
  const maxTokens = body.max_tokens;
  return {
    tools,
    parallelToolCalls: tools && body.parallel_tool_calls === true,
    responseFormat: format === 'json_schema' || format === 'json_object' ? format : null,
    logprobs:
      body.logprobs === true
        ? 'logprobs'
        : typeof topLogprobs === 'number' && topLogprobs > 0
          ? 'top_logprobs'
          : null,
    choices: typeof body.n === 'number' && body.n > 1 ? body.n : 1,
    imageParam: firstImageParam(body.messages),
    maxOutputTokens:
      typeof maxCompletion === 'number'
        ? { param: 'max_completion_tokens', value: maxCompletion }
        : typeof maxTokens === 'number'
          ? { param: 'max_tokens', value: maxTokens }
          : null,
  };
}

function firstImageParam(messages: unknown): string | null {
  if (!Array.isArray(messages)) {
    return null;
  }
  for (let index = 0; index < messages.length; index++) {
    const content = (messages[index] as Loose | null | undefined)?.content;
    if (!Array.isArray(content)) {
      continue;
    }
    for (let part = 0; part < content.length; part++) {
      if ((content[part] as Loose | null | undefined)?.type === 'image_url') {
        return `messages[${index}].content[${part}]`;
      }
    }
  }
  return null;
}
