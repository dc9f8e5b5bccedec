import type { ErrorEnvelopeParser } from '../http/upstream-error-map.ts';
import {
  contextLengthExceeded,
  type ErrorMap,
  messageOf,
  overloaded,
  rateLimited,
  type UpstreamErrorWire,
  upstreamAuthError,
} from '../http/upstream-error-map.ts';

/** `prompt is too long: 210000 tokens > 200000 maximum`, and the wordings of its relatives. */
const contextOverflow =
  /prompt is too long|exceeds? (the )?(model'?s? )?context (window|length)|too many (input )?tokens/i;

/**
 * Anthropic's errors as OpenAI clients expect them. The same table maps HTTP answers and `error`
 * events inside a stream (their type stands for a status, see statusForAnthropicErrorType).
 */
export const anthropicErrorMap: ErrorMap = [
  {
    name: 'context overflow',
    when: ({ status, details }) =>
      status === 400 && contextOverflow.test(messageOf({ status, details })),
    to: contextLengthExceeded,
  },
  {
    name: 'overloaded',
    when: ({ status, details }) => status === 529 || details?.type === 'overloaded_error',
    to: overloaded,
  },
  { name: 'rate limit', when: ({ status }) => status === 429, to: rateLimited },
  {
    name: 'vendor auth',
    when: ({ status }) => status === 401 || status === 403,
    to: upstreamAuthError,
  },
];

/** `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`. */
const parseAnthropicErrorEnvelope: ErrorEnvelopeParser = (parsed) => {
  if (typeof parsed !== 'object' || parsed === null) {
    return undefined;
  }
  const error = (parsed as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) {
    return undefined;
  }
  const fields = error as { type?: unknown; message?: unknown };
  const type = typeof fields.type === 'string' ? fields.type : null;
  return {
    message: typeof fields.message === 'string' ? fields.message : undefined,
    code: type,
    type,
  };
};

export const anthropicErrors: UpstreamErrorWire = {
  parse: parseAnthropicErrorEnvelope,
  map: anthropicErrorMap,
};
