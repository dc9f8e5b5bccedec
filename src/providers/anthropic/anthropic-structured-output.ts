import type { StructuredOutputMode } from '../../config/index.ts';
import { GatewayError } from '../../errors/index.ts';
import type { ChatRequestBody } from '../chat-model.ts';
import { toAnthropicOutputSchema } from './anthropic-output-schema.ts';
import type { AnthropicRequest, AnthropicTool } from './anthropic-wire.ts';

type Loose = Record<string, unknown>;

/**
 * `response_format` on Anthropic, two ways:
 * - `native` (`json_schema` on models with Anthropic's structured outputs, Claude 4.5 and later):
 *   `output_config.format = {type: "json_schema", schema}`; the answer is JSON text already.
 * - `forced_tool` (every Claude model, and always for `json_object`, Anthropic's documented
 *   "JSON mode"): one tool whose `input_schema` is the schema, forced with `tool_choice`; the
 *   tool's input comes back as the message content (see convert-anthropic-message.ts and the
 *   stream translator), `finish_reason` `stop`.
 * With client tools and `tool_choice` `auto`, the response tool joins them under `tool_choice:
 * any`: the model either calls one of the client's tools or answers through the response tool, as
 * an OpenAI model would either call a tool or answer in the schema. With `required` or a named
 * function the turn must be a tool call, so no response tool is added.
 */
export interface StructuredOutput {
  /** The response tool's name when the answer arrives as its input; null otherwise. */
  readonly responseTool: string | null;
  /**
   * `tool_choice` forces the response tool: whatever tool block comes back is the answer (the API
   * cannot call another one), whatever name a proxy or a replay gives it.
   */
  readonly forced: boolean;
}

export const noStructuredOutput: StructuredOutput = { responseTool: null, forced: false };

export function applyResponseFormat(
  request: AnthropicRequest,
  body: ChatRequestBody,
  modes: { jsonSchema: StructuredOutputMode; jsonObject: StructuredOutputMode },
): StructuredOutput {
  const format = (body as Loose).response_format as Loose | null | undefined;
  const type = format?.type;
  if (format === null || format === undefined || type === 'text' || type === undefined) {
    return noStructuredOutput;
  }
  if (type !== 'json_schema' && type !== 'json_object') {
    throw refused(`response_format type ${JSON.stringify(type)} is not supported for Anthropic`);
  }
  const mode = type === 'json_schema' ? modes.jsonSchema : modes.jsonObject;
  if (mode === 'unsupported') {
    throw refused(`response_format ${type} is not supported by this model`);
  }
  const spec = type === 'json_schema' ? jsonSchemaSpec(format) : jsonObjectSpec();
  if (type === 'json_schema' && mode === 'native') {
    request.output_config = {
      format: { type: 'json_schema', schema: toAnthropicOutputSchema(spec.schema) },
    };
    return noStructuredOutput;
  }
  const choice = (body as Loose).tool_choice;
  const clientTools = request.tools ?? [];
  if (clientTools.length > 0 && choice !== undefined && choice !== 'auto' && choice !== 'none') {
    return noStructuredOutput;
  }
  const name = uniqueName(spec.name, clientTools);
  const tool: AnthropicTool = {
    name,
    description: spec.description,
    input_schema: spec.schema,
  };
  // The client's tools stay declared even when they may not be called (`none`): earlier turns of
  // the conversation may hold calls of them.
  request.tools = [...clientTools, tool];
  if (clientTools.length > 0 && choice !== 'none') {
    request.tool_choice = { type: 'any', ...parallelOption(request) };
    return { responseTool: name, forced: false };
  }
  request.tool_choice = { type: 'tool', name, disable_parallel_tool_use: true };
  return { responseTool: name, forced: true };
}

interface ResponseSpec {
  readonly name: string;
  readonly description: string;
  readonly schema: unknown;
}

function jsonSchemaSpec(format: Loose): ResponseSpec {
  const spec = format.json_schema as Loose | undefined;
  if (typeof spec !== 'object' || spec === null) {
    throw refused('response_format.json_schema is required for type json_schema');
  }
  const name =
    typeof spec.name === 'string' && /^[a-zA-Z0-9_-]{1,64}$/.test(spec.name)
      ? spec.name
      : 'json_response';
  const purpose = typeof spec.description === 'string' ? ` ${spec.description}` : '';
  return {
    name,
    description: `Give your whole answer as this tool's input: JSON matching the schema.${purpose}`,
    schema: spec.schema ?? { type: 'object' },
  };
}

function jsonObjectSpec(): ResponseSpec {
  return {
    name: 'json_response',
    description: "Give your whole answer as this tool's input: one JSON object.",
    schema: { type: 'object', additionalProperties: true },
  };
}

/** The response tool must not shadow a client tool of the same name. */
function uniqueName(name: string, tools: readonly AnthropicTool[]): string {
  const taken = new Set(tools.map((tool) => tool.name));
  let candidate = name;
  for (let suffix = 1; taken.has(candidate); suffix++) {
    candidate = `${name.slice(0, 56)}_resp${suffix}`;
  }
  return candidate;
}

function parallelOption(request: AnthropicRequest): { disable_parallel_tool_use?: boolean } {
  const current = request.tool_choice;
  return current !== undefined && 'disable_parallel_tool_use' in current
    ? { disable_parallel_tool_use: current.disable_parallel_tool_use === true }
    : {};
}

function refused(message: string): GatewayError {
  return new GatewayError('unsupported_for_provider', message, { param: 'response_format' });
}
