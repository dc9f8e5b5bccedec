import { z } from 'zod';

/**
 * How a model serves a `response_format`: `native` — the upstream's own structured output (relayed
 * as is on OpenAI-compatible wires, `output_config.format` on Anthropic); `forced_tool` — Anthropic
 * only: one forced tool whose input schema is the schema, its input returned as the message content;
 * `unsupported` — refused with a 400 (and never chosen by the router for such a request).
 */
const structuredOutputModeSchema = z.enum(['native', 'forced_tool', 'unsupported']);
export type StructuredOutputMode = z.infer<typeof structuredOutputModeSchema>;

/**
 * What a model can serve. The router plans only with models whose table covers the request, and a
 * field no candidate can honour is refused with 400 `unsupported_for_provider` naming the `param`.
 */
const modelCapabilitiesSchema = z
  .object({
    tools: z.boolean().describe('Function `tools` and `tool_choice`.'),
    parallel_tool_calls: z
      .boolean()
      .describe('`parallel_tool_calls: true`: several tool calls in one turn.'),
    json_schema: structuredOutputModeSchema.describe(
      '`response_format: {type: "json_schema"}`: "native", "forced_tool" (Anthropic) or "unsupported".',
    ),
    json_object: structuredOutputModeSchema.describe(
      '`response_format: {type: "json_object"}`: "native", "forced_tool" (Anthropic) or "unsupported".',
    ),
    logprobs: z.boolean().describe('`logprobs` / `top_logprobs`.'),
    multiple_choices: z.boolean().describe('`n` > 1.'),
    image_input: z.boolean().describe('`image_url` content parts.'),
    max_output_tokens: z
      .number()
      .int()
      .positive()
      .nullable()
      .describe('Largest `max_tokens` / `max_completion_tokens` the model accepts; null: unknown.'),
  })
  .strict();

export type ModelCapabilities = z.infer<typeof modelCapabilitiesSchema>;

/** A catalog entry's own capabilities: any field left out keeps its inherited value. */
export const modelCapabilitiesOverrideSchema = modelCapabilitiesSchema.partial();
export type ModelCapabilitiesOverride = z.infer<typeof modelCapabilitiesOverrideSchema>;
