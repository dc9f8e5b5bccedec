export {
  createFineTuner,
  fineTuningProviderEntry,
} from './create-fine-tuner.ts';
export type {
  FineTuner,
  FineTuningJobState,
  FineTuningProvider,
} from './fine-tuner.ts';
export { terminalStatuses } from './fine-tuner.ts';
export {
  FineTuningConfigError,
  FineTuningError,
} from './fine-tuning-error.ts';
export {
  createOpenAIFineTuner,
  openAIHyperparameterNames,
} from './openai-fine-tuner.ts';
export {
  createTogetherFineTuner,
  togetherHyperparameterNames,
} from './together-fine-tuner.ts';
