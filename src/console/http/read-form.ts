import type { Context } from 'hono';
import type { FormFields } from '../console-env.ts';
import { ConsoleError } from './console-error.ts';

const maxFields = 64;
const maxValueLength = 10_000;

/**
 * A POST body as the console's forms send it (application/x-www-form-urlencoded): the first value
 * of each field. Anything else is refused (415); the gateway's body limit already bounds the size.
 */
export async function readForm(context: Context): Promise<FormFields> {
  const type = context.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new ConsoleError(
      415,
      'The console takes form posts (application/x-www-form-urlencoded).',
    );
  }
  // No prototype: a field named __proto__ is just a field.
  const fields: Record<string, string> = Object.create(null);
  let count = 0;
  for (const [name, value] of new URLSearchParams(await context.req.text())) {
    count += 1;
    if (count > maxFields || value.length > maxValueLength) {
      throw new ConsoleError(400, 'The form has too many or too long fields.');
    }
    if (!(name in fields)) {
      fields[name] = value;
    }
  }
  return fields;
}
