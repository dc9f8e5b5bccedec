import { classifyReplyLocally } from './classify-reply-locally.ts';
import {
  buildClassificationMessages,
  type ClassificationMessage,
  parseClassificationAnswer,
} from './reply-classification-prompt.ts';
import type { SentimentAnalysis } from './sentiment-analysis.ts';

/**
 * Sends the classification messages to a model and resolves to its text answer. The gateway wires it to
 * its own router on the configured sentiment route; it should abort its upstream call on `signal`.
 */
export type ClassifyReply = (
  messages: ClassificationMessage[],
  options: { signal: AbortSignal },
) => Promise<string>;

export type SentimentFallbackReason = 'timeout' | 'error' | 'invalid_output';

export interface SentimentAnalyzerOptions {
  /** Absent (no sentiment route configured): every reply is classified locally. */
  classify?: ClassifyReply | undefined;
  /** How long the model may take before the local classifier answers instead. */
  timeoutMs?: number;
  /** Told why the model's answer was not used, for logs and metrics. */
  onFallback?: (reason: SentimentFallbackReason, error?: unknown) => void;
}

export interface SentimentAnalyzer {
  /** The seed's `analyze_reply(reply_text, original_message)`. Never rejects. */
  analyzeReply(replyText: string, originalMessage?: string | null): Promise<SentimentAnalysis>;
}

const defaultSentimentTimeoutMs = 10_000;

class ClassificationTimeout extends Error {}

export function createSentimentAnalyzer(options: SentimentAnalyzerOptions = {}): SentimentAnalyzer {
  const timeoutMs = options.timeoutMs ?? defaultSentimentTimeoutMs;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new RangeError(`timeoutMs must be positive, got ${timeoutMs}`);
  }
  const { classify, onFallback } = options;

  async function classifyWithModel(
    model: ClassifyReply,
    replyText: string,
    originalMessage: string | null | undefined,
  ): Promise<SentimentAnalysis | undefined> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort(new ClassificationTimeout(`no answer within ${timeoutMs} ms`));
        reject(new ClassificationTimeout(`no answer within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      const answer = await Promise.race([
        model(buildClassificationMessages(replyText, originalMessage), {
          signal: controller.signal,
        }),
        timeout,
      ]);
      const parsed = parseClassificationAnswer(answer);
      if (parsed === undefined) {
        onFallback?.('invalid_output');
        return undefined;
      }
      return { ...parsed, source: 'llm' };
    } catch (error) {
      onFallback?.(error instanceof ClassificationTimeout ? 'timeout' : 'error', error);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async analyzeReply(replyText, originalMessage) {
      if (classify !== undefined && replyText.trim() !== '') {
        const fromModel = await classifyWithModel(classify, replyText, originalMessage);
        if (fromModel !== undefined) {
          return fromModel;
        }
      }
      return classifyReplyLocally(replyText);
    },
  };
}
