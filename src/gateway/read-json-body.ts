import type { Context } from 'hono';
import type { z } from 'zod';
import { GatewayError } from '../errors/index.ts';
import { zodToInvalidRequest } from './zod-to-invalid-request.ts';

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
      throw new GatewayError('invalid_json', 'A JSON body is required.');
    }
    json = empty;
  } else {
    try {
      json = JSON.parse(text);
    } catch {
      throw new GatewayError('invalid_json', 'The body is not valid JSON.');
    }
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw zodToInvalidRequest(parsed.error);
  }
  return parsed.data;
}
