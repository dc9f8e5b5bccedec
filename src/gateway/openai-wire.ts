import { z } from 'zod';
import { GatewayError } from '../providers/errors.ts';
import { isValidChatRequest } from './chat/is-valid-chat-request.ts';
import { InvalidRequestError } from './errors.ts';
import { parseJsonText } from './parse-json-text.ts';

/**
 * Only the fields the gateway reads are validated; everything else passes through to the upstream
 * untouched (`.loose()`), so new OpenAI parameters need no gateway release.
 */
const contentPartSchema = z.object({ type: z.string() }).loose();
const messageSchema = z
  .object({
    role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
    content: z.union([z.string(), z.array(contentPartSchema), z.null()]).optional(),
  })
  .loose();

const metadataValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const chatCompletionRequestSchema = z
  .object({
    model: z.string().min(1),
    messages: z.array(messageSchema).min(1),
    stream: z.boolean().nullable().optional(),
    stream_options: z
      .object({ include_usage: z.boolean().optional() })
      .loose()
      .nullable()
      .optional(),
    metadata: z.record(z.string(), metadataValue).nullable().optional(),
    tools: z
      .array(z.object({ type: z.string() }).loose())
      .nullable()
      .optional(),
    max_tokens: z.number().int().positive().nullable().optional(),
    max_completion_tokens: z.number().int().positive().nullable().optional(),
    temperature: z.number().min(0).max(2).nullable().optional(),
    top_p: z.number().min(0).max(1).nullable().optional(),
    n: z.number().int().min(1).max(128).nullable().optional(),
  })
  .loose();

export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;

export function parseChatCompletionRequest(raw: string): ChatCompletionRequest {
  const { json } = parseJsonText(
    raw,
    'We could not parse the JSON body of your request. Expected a JSON object.',
  );
  // The hand-written check accepts what the schema accepts, in well under a microsecond; the
  // schema runs only for bodies it does not vouch for, and words the errors.
  if (isValidChatRequest(json)) {
    return json;
  }
  const parsed = chatCompletionRequestSchema.safeParse(json);
  if (!parsed.success) {
    throw zodToInvalidRequest(parsed.error);
  }
  return parsed.data;
}

export function zodToInvalidRequest(error: z.ZodError): InvalidRequestError {
  const issue = error.issues[0];
  const param = issue && issue.path.length > 0 ? formatParam(issue.path) : null;
  const message = issue
    ? `Invalid ${param ? `'${param}'` : 'request body'}: ${issue.message}`
    : 'Invalid request body.';
  return new InvalidRequestError(message, param, 'invalid_value');
}

function formatParam(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

export interface ErrorEnvelope {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function errorEnvelope(error: GatewayError): ErrorEnvelope {
  return {
    error: { message: error.message, type: error.type, param: error.param, code: error.code },
  };
}

/** A stream that fails after its first byte ends with this frame and no `[DONE]`. */
export function errorFrame(error: GatewayError): string {
  return `data: ${JSON.stringify(errorEnvelope(error))}\n\n`;
}

export function internalError(cause: unknown): GatewayError {
  return new GatewayError('The gateway hit an internal error while processing your request.', {
    status: 500,
    type: 'server_error',
    code: 'internal_error',
    cause,
  });
}
