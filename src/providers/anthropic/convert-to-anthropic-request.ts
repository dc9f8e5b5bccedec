import type { ModelCapabilities } from '../../config/index.ts';
import type { ChatRequestBody } from '../chat-model.ts';
import { applyResponseFormat, type StructuredOutput } from './anthropic-structured-output.ts';
import type { AnthropicRequest, AnthropicTool, AnthropicToolChoice } from './anthropic-wire.ts';
import { convertMessages, invalid } from './convert-to-anthropic-messages.ts';

export interface AnthropicRequestOptions {
  readonly upstreamModel: string;
  /** `max_tokens` is required by Anthropic; used when the client sent neither limit. */
  readonly defaultMaxTokens: number;
  readonly stream: boolean;
  /** The model's table: how `response_format` is served (a forced tool when absent). */
  readonly capabilities?: ModelCapabilities | undefined;
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
 * - `response_format` → `output_config.format` or a forced tool (anthropic-structured-output.ts);
 * - what would change the answer's shape and has no Anthropic equivalent is refused with a 400
 *   naming the param: `n` > 1, `logprobs` / `top_logprobs`, `logit_bias`, audio output,
 *   non-function tools;
 * - sampling hints with no equivalent (`seed`, `presence_penalty`, `frequency_penalty`,
 *   `service_tier`, `store`, `reasoning_effort`) are not sent: they tune how an answer is drawn, not
 *   what the client gets back (docs/provider-features.md lists them).
 */
export function convertToAnthropicRequest(
  body: ChatRequestBody,
  options: AnthropicRequestOptions,
): AnthropicRequest {
  return convertToAnthropic(body, options).request;
}

/** The request and how its structured output comes back (for the answer's translation). */
export function convertToAnthropic(
  body: ChatRequestBody,
  options: AnthropicRequestOptions,
): { request: AnthropicRequest; structured: StructuredOutput } {
  const source = body as Loose;
  refuseUntranslatable(source);
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
  const structured = applyResponseFormat(request, body, {
    jsonSchema: options.capabilities?.json_schema ?? 'forced_tool',
    jsonObject: options.capabilities?.json_object ?? 'forced_tool',
  });
  return { request, structured };
}

function refuseUntranslatable(source: Loose): void {
  if (typeof source.n === 'number' && source.n > 1) {
    throw invalid('Anthropic models return one choice; n must be 1', 'n');
  }
  if (source.logprobs === true) {
    throw invalid('Anthropic models do not return logprobs', 'logprobs');
  }
  if (typeof source.top_logprobs === 'number' && source.top_logprobs > 0) {
    throw invalid('Anthropic models do not return logprobs', 'top_logprobs');
  }
  const bias = source.logit_bias;
  if (typeof bias === 'object' && bias !== null && Object.keys(bias).length > 0) {
    throw invalid('Anthropic models take no logit_bias', 'logit_bias');
  }
  const modalities = source.modalities;
  if (
    (source.audio !== undefined && source.audio !== null) ||
    (Array.isArray(modalities) && modalities.includes('audio'))
  ) {
    throw invalid('Anthropic models do not answer with audio', 'modalities');
  }
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
