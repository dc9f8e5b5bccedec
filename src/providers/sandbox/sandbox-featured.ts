import type { ChatRequestBody, ChatResult, ChatStreamPart } from '../chat-model.ts';
import { type SandboxSource, sandboxChoices } from './sandbox-answer.ts';
import { aborted, estimateTokens, usageJson } from './sandbox-common.ts';
import { type FeaturedAnswer, featuredBody, featuredStreamParts } from './sandbox-featured-wire.ts';

/** The sandbox's answer to a request with tools, JSON, `n`, `logprobs` or `stop`. */
export function buildFeaturedAnswer(
  body: ChatRequestBody,
  context: {
    readonly id: string;
    readonly model: string;
    readonly promptTokens: number;
    readonly source: SandboxSource;
  },
): FeaturedAnswer {
  const choices = sandboxChoices(body, context.source);
  const loose = body as Record<string, unknown>;
  const top = typeof loose.top_logprobs === 'number' ? loose.top_logprobs : 0;
  const completion = choices.reduce(
    (sum, choice) =>
      sum +
      estimateTokens(choice.content ?? '') +
      choice.toolCalls.reduce((calls, call) => calls + estimateTokens(call.arguments), 0),
    0,
  );
  return {
    id: context.id,
    created: Math.floor(Date.now() / 1000),
    model: context.model,
    choices,
    logprobs: loose.logprobs === true ? top : null,
    usage: {
      promptTokens: context.promptTokens,
      completionTokens: completion,
      cachedPromptTokens: 0,
    },
  };
}

export function featuredResult(answer: FeaturedAnswer, latencyMs: number): ChatResult {
  const first = answer.choices[0];
  return {
    body: featuredBody(answer, usageJson(answer.usage)),
    text: first?.content ?? '',
    toolCalls: first?.toolCalls ?? [],
    finishReason: first?.finishReason ?? 'stop',
    usage: answer.usage,
    upstreamModel: answer.model,
    upstreamLatencyMs: latencyMs,
  };
}

export async function* streamFeatured(
  answer: FeaturedAnswer,
  started: number,
  signal: AbortSignal,
  providerId: string,
): AsyncGenerator<ChatStreamPart, void, undefined> {
  let timeToFirstTokenMs: number | null = null;
  for (const part of featuredStreamParts(answer, usageJson(answer.usage))) {
    if (signal.aborted) {
      yield { type: 'error', error: aborted(providerId, signal) };
      return;
    }
    if (part.type === 'text-delta' || part.type === 'tool-call-delta') {
      timeToFirstTokenMs ??= performance.now() - started;
    }
    yield part;
  }
  yield {
    type: 'finish',
    finishReason: answer.choices[0]?.finishReason ?? 'stop',
    usage: answer.usage,
    upstreamModel: answer.model,
    timeToFirstTokenMs,
    upstreamLatencyMs: performance.now() - started,
  };
}
