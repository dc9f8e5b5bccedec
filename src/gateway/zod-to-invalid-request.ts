import type { z } from 'zod';
import { GatewayError } from '../errors/index.ts';

/** The first zod issue as a 400 `invalid_value` naming the param as OpenAI writes it (`messages[0].role`). */
export function zodToInvalidRequest(error: z.ZodError): GatewayError {
  const issue = error.issues[0];
  const param = issue && issue.path.length > 0 ? formatParam(issue.path) : null;
  const message = issue
    ? `Invalid ${param ? `'${param}'` : 'request body'}: ${issue.message}`
    : 'Invalid request body.';
  return new GatewayError('invalid_value', message, { param });
}

function formatParam(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}
