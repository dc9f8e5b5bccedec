import type { ChatResult } from '../chat-model.ts';
import { ProviderError } from '../provider-error.ts';
import {
  mapOpenAIFinishReason,
  type OpenAICompletionWire,
  parseOpenAIToolCalls,
  parseOpenAIUsage,
} from './openai-wire.ts';

/**
 * A 2xx `chat.completion` answer → ChatResult. The upstream bytes are relayed unchanged as `body`;
 * they are parsed once, here, only to read text, tool calls, finish reason, usage and model. A 2xx
 * body that is not a completion (garbage, or an error object some servers send with 200) is a 502:
 * never pass garbage through as a success.
 */
export function parseOpenAICompletion(
  providerId: string,
  body: string,
  requestedModel: string,
  upstreamLatencyMs: number,
): ChatResult {
  let completion: OpenAICompletionWire;
  try {
    completion = JSON.parse(body) as OpenAICompletionWire;
  } catch (error) {
    throw malformed(providerId, body, 'is not JSON', error);
  }
  if (typeof completion !== 'object' || completion === null || !Array.isArray(completion.choices)) {
    throw malformed(providerId, body, 'has no choices');
  }
  const choice = completion.choices[0];
  const message = choice?.message;
  return {
    body,
    text: typeof message?.content === 'string' ? message.content : '',
    toolCalls: parseOpenAIToolCalls(message?.tool_calls),
    finishReason: mapOpenAIFinishReason(choice?.finish_reason),
    usage: parseOpenAIUsage(completion.usage),
    upstreamModel: typeof completion.model === 'string' ? completion.model : requestedModel,
    upstreamLatencyMs,
  };
}

function malformed(providerId: string, body: string, what: string, cause?: unknown) {
  return new ProviderError(`${providerId} answered 2xx with a body that ${what}`, {
    provider: providerId,
    kind: 'upstream',
    upstreamStatus: 502,
    upstreamBody: body,
    upstreamCode: 'malformed_upstream_response',
    cause,
  });
}
