import { parseOpenAIErrorEnvelope } from '../http/upstream-client.ts';
import {
  contextLengthExceeded,
  type ErrorMap,
  messageOf,
  overloaded,
  rateLimited,
  type UpstreamErrorWire,
  upstreamAuthError,
} from '../http/upstream-error-map.ts';

/**
 * How OpenAI (`context_length_exceeded`), vLLM and llama.cpp ("maximum context length"), Together
 * ("`inputs` tokens + `max_new_tokens` must be <= …") and Ollama word a prompt that does not fit.
 */
const contextOverflow =
  /maximum context length|context length (is )?exceeded|exceeds? (the )?context (window|size|length)|prompt is too long|tokens \+ `?max_new_tokens`? must be <=|too many tokens/i;

/** OpenAI, Together and OpenAI-compatible servers' errors as clients expect them. */
export const openAIErrorMap: ErrorMap = [
  {
    name: 'context overflow',
    when: ({ status, details }) =>
      (status === 400 || status === 413 || status === 422) &&
      (details?.code === 'context_length_exceeded' ||
        contextOverflow.test(messageOf({ status, details }))),
    to: contextLengthExceeded,
  },
  { name: 'overloaded', when: ({ status }) => status === 529, to: overloaded },
  {
    name: 'rate limit',
    when: ({ status, details }) => status === 429 && details?.code !== 'insufficient_quota',
    to: rateLimited,
  },
  {
    name: 'vendor auth',
    when: ({ status }) => status === 401 || status === 403,
    to: upstreamAuthError,
  },
];

export const openAIErrors: UpstreamErrorWire = {
  parse: parseOpenAIErrorEnvelope,
  map: openAIErrorMap,
};
