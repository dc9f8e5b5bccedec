import { z } from 'zod';
import { GatewayError } from '../../errors/index.ts';
import { zodToInvalidRequest } from '../zod-to-invalid-request.ts';

/**
 * The fields of a Responses request the gateway reads. Validated loosely (unknown fields allowed)
 * and then checked for the features the gateway cannot serve, which are refused by name rather
 * than dropped (see docs/responses.md for the matrix).
 */
const looseObject = z.object({}).loose();
const metadataValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const responsesRequestSchema = z
  .object({
    model: z.string().min(1),
    input: z.union([z.string(), z.array(looseObject)]).optional(),
    instructions: z.string().nullable().optional(),
    tools: z
      .array(z.object({ type: z.string() }).loose())
      .nullable()
      .optional(),
    tool_choice: z
      .union([z.enum(['none', 'auto', 'required']), z.object({ type: z.string() }).loose()])
      .nullable()
      .optional(),
    parallel_tool_calls: z.boolean().nullable().optional(),
    text: z
      .object({
        format: z
          .object({ type: z.enum(['text', 'json_object', 'json_schema']) })
          .loose()
          .nullable()
          .optional(),
      })
      .loose()
      .nullable()
      .optional(),
    max_output_tokens: z.number().int().positive().nullable().optional(),
    temperature: z.number().min(0).max(2).nullable().optional(),
    top_p: z.number().min(0).max(1).nullable().optional(),
    metadata: z.record(z.string(), metadataValue).nullable().optional(),
    store: z.boolean().nullable().optional(),
    previous_response_id: z.string().min(1).nullable().optional(),
    stream: z.boolean().nullable().optional(),
    background: z.boolean().nullable().optional(),
    reasoning: z.object({ effort: z.string().nullable().optional() }).loose().nullable().optional(),
    user: z.string().nullable().optional(),
    safety_identifier: z.string().nullable().optional(),
    include: z.array(z.string()).nullable().optional(),
    truncation: z.enum(['auto', 'disabled']).nullable().optional(),
    top_logprobs: z.number().int().min(0).nullable().optional(),
  })
  .loose();

export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;

/** Built-in OpenAI tools run on OpenAI's side; no provider behind the gateway can run them. */
const functionToolType = 'function';

/**
 * `include` values that ask for nothing the gateway would produce (no reasoning items, no built-in
 * tool calls), so they are honoured trivially; any other value is refused.
 */
const harmlessIncludes = new Set([
  'reasoning.encrypted_content',
  'web_search_call.action.sources',
  'web_search_call.results',
  'file_search_call.results',
  'code_interpreter_call.outputs',
  'computer_call_output.output.image_url',
  'message.input_image.image_url',
]);

export function parseResponsesRequest(raw: string): ResponsesRequest {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new GatewayError(
      'invalid_json',
      'We could not parse the JSON body of your request. Expected a JSON object.',
    );
  }
  const parsed = responsesRequestSchema.safeParse(json);
  if (!parsed.success) {
    throw zodToInvalidRequest(parsed.error);
  }
  refuseUnservable(parsed.data);
  return parsed.data;
}

function refuseUnservable(body: ResponsesRequest): void {
  if (body.input === undefined && !body.previous_response_id) {
    throw new GatewayError('missing_required_parameter', "Missing required parameter: 'input'.", {
      param: 'input',
    });
  }
  if (body.background === true) {
    throw unsupported(
      'background',
      'Background responses are not supported by this gateway; send the request without `background` (stream it for long generations).',
    );
  }
  body.tools?.forEach((tool, index) => {
    if (tool.type !== functionToolType) {
      throw unsupported(
        `tools[${index}].type`,
        `The built-in tool \`${tool.type}\` runs only on OpenAI's own servers and is not available through this gateway; declare a \`function\` tool instead.`,
      );
    }
    if (typeof tool.name !== 'string' || tool.name.length === 0) {
      throw new GatewayError(
        'missing_required_parameter',
        `Missing required parameter: 'tools[${index}].name'.`,
        { param: `tools[${index}].name` },
      );
    }
  });
  const choice = body.tool_choice;
  if (typeof choice === 'object' && choice !== null && choice.type !== functionToolType) {
    throw unsupported(
      'tool_choice',
      `\`tool_choice\` of type \`${choice.type}\` is not supported; use none, auto, required or a function.`,
    );
  }
  body.include?.forEach((value, index) => {
    if (!harmlessIncludes.has(value)) {
      throw unsupported(`include[${index}]`, `\`include\` value \`${value}\` is not supported.`);
    }
  });
  if (typeof body.top_logprobs === 'number' && body.top_logprobs > 0) {
    throw unsupported('top_logprobs', '`top_logprobs` is not supported on /v1/responses.');
  }
  for (const field of ['conversation', 'prompt'] as const) {
    if (body[field] !== undefined && body[field] !== null) {
      throw unsupported(field, `\`${field}\` (stored on OpenAI's side) is not supported.`);
    }
  }
}

export function unsupported(param: string, message: string): GatewayError {
  return new GatewayError('unsupported_parameter', message, { param });
}
