export { classifyReplyLocally, normalizeReply } from './classify-reply-locally.ts';
export {
  type ClassifyReply,
  createSentimentAnalyzer,
  type SentimentFallbackReason,
} from './create-sentiment-analyzer.ts';

export {
  type InterestSignal,
  interestSignals,
  labelForScore,
} from './sentiment-analysis.ts';
