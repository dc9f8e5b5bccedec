export { buildRowPrompt, builtPromptSystemMessage } from './build-row-prompt.ts';
export { type ExportFilePaths, exportTrainingJsonlToFiles } from './export-training-files.ts';
export {
  type ExportTrainingJsonlOptions,
  exportTrainingJsonl,
} from './export-training-jsonl.ts';

export type { OutcomeRow, TrainingFormat } from './outcome-row.ts';
export { scrubUrl } from './pii-detectors.ts';
export { createPiiScrubber } from './pii-scrubber.ts';
export { trainingCostSettingsFromConfig } from './training-cost.ts';

export { InsufficientTrainingDataError } from './training-export-errors.ts';
export type { TrainingExportStats } from './training-export-stats.ts';
