import type { Usage } from '../chat-model.ts';
import { ProviderError } from '../provider-error.ts';

/** About four characters per token, the sandbox's usage estimate. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** OpenAI's `usage` object for the sandbox's estimate. */
export function usageJson(usage: Usage) {
  const prompt = usage.promptTokens ?? 0;
  const completion = usage.completionTokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: 0 },
  };
}

export function aborted(providerId: string, signal: AbortSignal): ProviderError {
  return new ProviderError('The request was aborted by the client', {
    provider: providerId,
    kind: 'aborted',
    cause: signal.reason,
  });
}
