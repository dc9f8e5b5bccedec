import { GatewayError } from '../../errors/index.ts';
import { zodToInvalidRequest } from '../zod-to-invalid-request.ts';
import {
  type ChatCompletionRequest,
  chatCompletionRequestSchema,
} from './chat-completion-request.ts';
import { isValidChatRequest } from './is-valid-chat-request.ts';

export function parseChatCompletionRequest(raw: string): ChatCompletionRequest {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new GatewayError(
      'invalid_json',
      'We could not parse the JSON body of your request. Expected a JSON object.',
    );
  }
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
