import { setTimeout as sleep } from 'node:timers/promises';
import type {
  ChatModelProvider,
  ChatRequest,
  ChatResult,
  ChatStreamPart,
  FinishReason,
  Usage,
} from '../chat-model.ts';
import { ProviderError } from '../provider-error.ts';
import { findOutreachFacts } from './outreach-facts.ts';
import { writeOutreachEmail } from './outreach-writer.ts';
import { asksForFeatures } from './sandbox-answer.ts';
import { aborted, estimateTokens, usageJson } from './sandbox-common.ts';
import { buildFeaturedAnswer, featuredResult, streamFeatured } from './sandbox-featured.ts';
import type { FeaturedAnswer } from './sandbox-featured-wire.ts';
import { fnv1a } from './seeded-random.ts';

export interface SandboxProviderOptions {
  readonly id?: string;
  /** Simulated time before the answer (generate) or before the first token (stream). */
  readonly latencyMs?: number;
  /** Share of calls in [0, 1] that fail with a retryable 503. */
  readonly errorRate?: number;
  /** Injectable for tests; `Math.random` by default. */
  readonly random?: () => number;
}

/**
 * A deterministic local model, clearly labelled: it answers as `sandbox/<model>` so nobody mistakes
 * its text for a real model's. Used with no vendor key, in the demo and in load tests, so it is
 * cheap: no network, no allocation beyond the answer itself. Usage is estimated at ~4 chars/token.
 * Requests with tools, `response_format`, `n`, `logprobs` or `stop` get what a client developing
 * against them needs (sandbox-answer.ts); a plain request takes the plain path below.
 */
export function createSandboxProvider(options: SandboxProviderOptions = {}): ChatModelProvider {
  const id = options.id ?? 'sandbox';
  const latencyMs = options.latencyMs ?? 0;
  const errorRate = options.errorRate ?? 0;
  const random = options.random ?? Math.random;
  let sequence = 0;

  /** Decides the injected failure first (so a seeded random source gives a fixed pattern), then waits. */
  async function prepare(
    request: ChatRequest,
    signal: AbortSignal,
  ): Promise<SandboxAnswer | FeaturedAnswer> {
    if (signal.aborted) {
      throw aborted(id, signal);
    }
    const failing = errorRate > 0 && random() < errorRate;
    if (latencyMs > 0) {
      try {
        await sleep(latencyMs, undefined, { signal });
      } catch {
        throw aborted(id, signal);
      }
    }
    if (failing) {
      throw new ProviderError(`${id} injected failure (sandbox_error_rate=${errorRate})`, {
        provider: id,
        kind: 'upstream',
        upstreamStatus: 503,
        upstreamCode: 'sandbox_injected_error',
      });
    }
    sequence += 1;
    return asksForFeatures(request.body) ? featured(request, sequence) : answer(request, sequence);
  }

  return {
    id,
    type: 'sandbox',

    async generate(request: ChatRequest, signal: AbortSignal): Promise<ChatResult> {
      const started = performance.now();
      const result = await prepare(request, signal);
      if ('choices' in result) {
        return featuredResult(result, performance.now() - started);
      }
      const body = JSON.stringify({
        id: result.id,
        object: 'chat.completion',
        created: result.created,
        model: result.model,
        system_fingerprint: 'sandbox',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: result.text, refusal: null },
            logprobs: null,
            finish_reason: result.finishReason,
          },
        ],
        usage: usageJson(result.usage),
      });
      return {
        body,
        text: result.text,
        toolCalls: [],
        finishReason: result.finishReason,
        usage: result.usage,
        upstreamModel: result.model,
        upstreamLatencyMs: performance.now() - started,
      };
    },

    async stream(
      request: ChatRequest,
      signal: AbortSignal,
    ): Promise<AsyncIterable<ChatStreamPart>> {
      const started = performance.now();
      const result = await prepare(request, signal);
      return 'choices' in result
        ? streamFeatured(result, started, signal, id)
        : streamAnswer(result, started, signal, id);
    },

    async close(): Promise<void> {},
  };
}

interface SandboxAnswer {
  readonly id: string;
  readonly created: number;
  readonly model: string;
  readonly text: string;
  readonly finishReason: FinishReason;
  readonly usage: Usage;
}

function answer(request: ChatRequest, sequence: number): SandboxAnswer {
  const promptText = promptTextOf(request.body.messages);
  const hash = fnv1a(promptText);
  let text = writeOutreachEmail(promptText, findOutreachFacts(promptText));
  let finishReason: FinishReason = 'stop';
  const body = request.body as Record<string, unknown>;
  const limit = body.max_completion_tokens ?? body.max_tokens;
  if (typeof limit === 'number' && limit > 0 && estimateTokens(text) > limit) {
    text = text.slice(0, Math.floor(limit) * 4);
    finishReason = 'length';
  }
  const messageCount = Array.isArray(request.body.messages) ? request.body.messages.length : 0;
  return {
    id: `chatcmpl-sandbox-${hash.toString(16)}-${sequence.toString(36)}`,
    created: Math.floor(Date.now() / 1000),
    model: request.upstreamModel.startsWith('sandbox/')
      ? request.upstreamModel
      : `sandbox/${request.upstreamModel}`,
    text,
    finishReason,
    usage: {
      // ~4 characters per token, plus the few tokens each message's framing costs.
      promptTokens: estimateTokens(promptText) + 3 * messageCount,
      completionTokens: estimateTokens(text),
      cachedPromptTokens: 0,
    },
  };
}

/** Tools, JSON, `n`, `logprobs`, `stop`: the same prompt facts and seed as the plain answer. */
function featured(request: ChatRequest, sequence: number): FeaturedAnswer {
  const promptText = promptTextOf(request.body.messages);
  const seed = fnv1a(promptText);
  const facts = findOutreachFacts(promptText);
  const messageCount = Array.isArray(request.body.messages) ? request.body.messages.length : 0;
  return buildFeaturedAnswer(request.body, {
    id: `chatcmpl-sandbox-${seed.toString(16)}-${sequence.toString(36)}`,
    model: sandboxModel(request.upstreamModel),
    promptTokens: estimateTokens(promptText) + 3 * messageCount,
    source: {
      seed,
      facts,
      // Another draft for each further choice: the writer picks its lines from the text's hash.
      write: (variant) =>
        writeOutreachEmail(variant === 0 ? promptText : `${promptText}\ndraft ${variant}`, facts),
    },
  });
}

function sandboxModel(upstreamModel: string): string {
  return upstreamModel.startsWith('sandbox/') ? upstreamModel : `sandbox/${upstreamModel}`;
}

async function* streamAnswer(
  result: SandboxAnswer,
  started: number,
  signal: AbortSignal,
  providerId: string,
): AsyncGenerator<ChatStreamPart, void, undefined> {
  const head = `{"id":"${result.id}","object":"chat.completion.chunk","created":${result.created},"model":${JSON.stringify(result.model)},"system_fingerprint":"sandbox","choices":`;
  yield {
    type: 'chunk',
    raw: `${head}[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}`,
  };
  let timeToFirstTokenMs: number | null = null;
  for (const word of result.text.split(/(?<=\s)/)) {
    if (signal.aborted) {
      yield { type: 'error', error: aborted(providerId, signal) };
      return;
    }
    timeToFirstTokenMs ??= performance.now() - started;
    yield {
      type: 'text-delta',
      delta: word,
      raw: `${head}[{"index":0,"delta":{"content":${JSON.stringify(word)}},"logprobs":null,"finish_reason":null}]}`,
    };
  }
  yield {
    type: 'chunk',
    raw: `${head}[{"index":0,"delta":{},"logprobs":null,"finish_reason":"${result.finishReason}"}]}`,
  };
  yield {
    type: 'usage',
    usage: result.usage,
    raw: `${head}[],"usage":${JSON.stringify(usageJson(result.usage))}}`,
  };
  yield {
    type: 'finish',
    finishReason: result.finishReason,
    usage: result.usage,
    upstreamModel: result.model,
    timeToFirstTokenMs,
    upstreamLatencyMs: performance.now() - started,
  };
}

/** The prompt as one string: every message's role and text parts, in order. */
function promptTextOf(messages: unknown): string {
  if (!Array.isArray(messages)) {
    return '';
  }
  let text = '';
  for (const message of messages as Array<{ role?: unknown; content?: unknown }>) {
    text += `${String(message?.role)}: `;
    const content = message?.content;
    if (typeof content === 'string') {
      text += content;
    } else if (Array.isArray(content)) {
      for (const part of content as Array<{ text?: unknown }>) {
        if (typeof part?.text === 'string') {
          text += part.text;
        }
      }
    }
    text += '\n';
  }
  return text;
}
