export { classifyReplyLocally, normalizeReply } from './classify-reply-locally.ts';
export {
  type ClassifyReply,
  createSentimentAnalyzer,
  defaultSentimentTimeoutMs,
  type SentimentAnalyzer,
  type SentimentAnalyzerOptions,
  type SentimentFallbackReason,
} from './create-sentiment-analyzer.ts';
export {
  buildClassificationMessages,
  type ClassificationMessage,
  parseClassificationAnswer,
} from './reply-classification-prompt.ts';
export {
  type InterestSignal,
  interestSignals,
  labelForScore,
  type ReplyClassification,
  replyClassificationSchema,
  type SentimentAnalysis,
  type SentimentLabel,
  sentimentLabels,
} from './sentiment-analysis.ts';
