/**
 * What the vendor simulators answer, unscripted, to a request for structured output: JSON valid against
 * the request's schema (the sandbox's generator, seeded by the request's sequence number), so the
 * client libraries' structured-output helpers can be tested against the fakes as against the real
 * APIs, which guarantee the schema.
 */
import { sampleJson } from '../../providers/index.ts';

type Body = Record<string, unknown>;

/** Anthropic: the forced tool's `tool_use`, or JSON text for `output_config.format`. */
export function structuredDefaultBlock(
  body: Body,
  sequence: number,
):
  | { type: 'tool_use'; id?: string; name: string; input: unknown }
  | { type: 'text'; text: string }
  | undefined {
  const choice = body.tool_choice as Body | undefined;
  if (choice?.type === 'tool' && typeof choice.name === 'string') {
    const tool = (Array.isArray(body.tools) ? (body.tools as Body[]) : []).find(
      (candidate) => candidate.name === choice.name,
    );
    return {
      type: 'tool_use',
      name: choice.name,
      input: sampleJson(tool?.input_schema ?? { type: 'object' }, { seed: sequence }),
    };
  }
  const format = (body.output_config as Body | undefined)?.format as Body | undefined;
  if (format?.type === 'json_schema') {
    return { type: 'text', text: JSON.stringify(sampleJson(format.schema, { seed: sequence })) };
  }
  return undefined;
}

/** OpenAI: JSON content for `response_format: json_schema` (an object for `json_object`). */
export function structuredDefaultContent(body: Body, sequence: number): string | undefined {
  const format = body.response_format as Body | undefined;
  if (format?.type === 'json_schema') {
    const spec = (format.json_schema ?? {}) as Body;
    return JSON.stringify(sampleJson(spec.schema ?? { type: 'object' }, { seed: sequence }));
  }
  return format?.type === 'json_object' ? JSON.stringify({ answer: 'ok' }) : undefined;
}
