import type { Context } from 'hono';
import type { z } from 'zod';
import { GatewayError } from '../errors/index.ts';
import { type ReplacementCount, toStorableJson } from '../store/index.ts';
import { type ParsedJson, parseJsonText } from './parse-json-text.ts';
import { zodToInvalidRequest } from './zod-to-invalid-request.ts';

/**
 * What to do with NUL and unpaired surrogates in a body's free text once its schema (whose id
 * fields refuse them) accepted it: replace them and count (`replace`), or refuse the body.
 */
export interface UnstorableTextPolicy {
  replaced(count: number): void;
}

/**
 * Parses and validates a JSON body; an empty body is `empty` when given, else an error. Strings
 * with NUL or unpaired surrogates are refused (400) unless `text` says to replace them.
 */
export async function readJsonBody<T extends z.ZodType>(
  context: Context,
  schema: T,
  empty?: z.input<T>,
  text?: UnstorableTextPolicy,
): Promise<z.output<T>> {
  const raw = await context.req.text();
  let parsed: ParsedJson;
  if (raw.trim() === '') {
    if (empty === undefined) {
      throw new GatewayError('invalid_json', 'A JSON body is required.');
    }
    parsed = { json: empty, unstorableText: false };
  } else {
    parsed = parseJsonText(raw);
  }
  const result = schema.safeParse(parsed.json);
  if (!result.success) {
    throw zodToInvalidRequest(result.error);
  }
  if (!parsed.unstorableText) {
    return result.data;
  }
  if (text === undefined) {
    throw new GatewayError(
      'invalid_value',
      'The body contains NUL characters or unpaired UTF-16 surrogates.',
    );
  }
  const count: ReplacementCount = { replaced: 0 };
  const storable = toStorableJson(result.data, count);
  text.replaced(count.replaced);
  return storable;
}
