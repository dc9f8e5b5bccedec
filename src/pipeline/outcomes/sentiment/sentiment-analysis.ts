import { z } from 'zod';

export const interestSignals = [
  'interested',
  'not_interested',
  'objection',
  'question',
  'referral',
  'out_of_office',
  'unsubscribe',
] as const;
export type InterestSignal = (typeof interestSignals)[number];

const sentimentLabels = ['positive', 'neutral', 'negative'] as const;
export type SentimentLabel = (typeof sentimentLabels)[number];

/** The seed's `analyze_reply` result, plus where it came from. */
export interface SentimentAnalysis {
  sentiment_score: number;
  sentiment_label: SentimentLabel;
  interest_signal: InterestSignal;
  source: 'llm' | 'local';
}

/** What the model must answer; extra keys (a "reason") are allowed and dropped. */
export const replyClassificationSchema = z.object({
  sentiment_score: z.number().min(0).max(1),
  sentiment_label: z.enum(sentimentLabels),
  interest_signal: z.enum(interestSignals),
});

export type ReplyClassification = z.infer<typeof replyClassificationSchema>;

/** Score thresholds shared by the local classifier and the docs: ≥ 0.6 positive, < 0.35 negative. */
export function labelForScore(score: number): SentimentLabel {
  if (score >= 0.6) {
    return 'positive';
  }
  return score < 0.35 ? 'negative' : 'neutral';
}
