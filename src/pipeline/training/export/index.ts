export { buildRowPrompt, builtPromptSystemMessage } from './build-row-prompt.ts';
export { type ExportFilePaths, exportTrainingJsonlToFiles } from './export-training-files.ts';
export {
  defaultDedupeCapacity,
  type ExportTargets,
  type ExportTrainingJsonlOptions,
  exportTrainingJsonl,
} from './export-training-jsonl.ts';
export { FingerprintSet } from './fingerprint-set.ts';
export type { OutcomeRow, TrainingFormat } from './outcome-row.ts';
export { emailPlaceholder, phonePlaceholder, scrubUrl, urlPlaceholder } from './pii-detectors.ts';
export { createPiiScrubber, type LeadData } from './pii-scrubber.ts';
export {
  defaultTrainingCostSettings,
  estimateExampleTokens,
  estimateTrainingCosts,
  openAIAutoEpochs,
  openAITrainingUsdPerMillionTokens,
  type ProviderCostEstimate,
  type TrainingCostSettings,
  togetherTrainingUsdPerMillionTokens,
  trainingCostSettingsFromConfig,
} from './training-cost.ts';
export {
  buildTrainingExample,
  type ChatMessage,
  type ExampleRejection,
} from './training-example.ts';
export { InsufficientTrainingDataError, openAIMinimumExamples } from './training-export-errors.ts';
export type { FilterReason, TrainingExportStats } from './training-export-stats.ts';
