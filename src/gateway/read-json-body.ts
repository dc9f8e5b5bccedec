import type { Context } from 'hono';
import type { z } from 'zod';
import { InvalidRequestError } from './errors.ts';
import { zodToInvalidRequest } from './openai-wire.ts';

/** Parses and validates a JSON body; an empty body is `empty` when given, else an error. */
export async function readJsonBody<T extends z.ZodType>(
  context: Context,
  schema: T,
  empty?: z.input<T>,
): Promise<z.output<T>> {
  const text = await context.req.text();
  let json: unknown;
  if (text.trim() === '') {
    if (empty === undefined) {
      throw new InvalidRequestError('A JSON body is required.', null, 'invalid_json');
    }
    json = empty;
  } else {
    try {
      json = JSON.parse(text);
    } catch {
      throw new InvalidRequestError('The body is not valid JSON.', null, 'invalid_json');
    }
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw zodToInvalidRequest(parsed.error);
  }
  return parsed.data;
}
