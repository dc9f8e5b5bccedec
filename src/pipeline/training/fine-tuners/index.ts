export {
  type CreateFineTunerOverrides,
  createFineTuner,
  fineTuningProviderEntry,
} from './create-fine-tuner.ts';
export type {
  CreateFineTuningJobInput,
  FineTuner,
  FineTuningEvent,
  FineTuningJobError,
  FineTuningJobState,
  FineTuningProvider,
  FineTuningStatus,
  ListEventsOptions,
  LoraOptions,
  TrainingFileSource,
  UploadTrainingFileInput,
} from './fine-tuner.ts';
export { terminalStatuses } from './fine-tuner.ts';
export {
  FineTuningConfigError,
  FineTuningError,
  type FineTuningOperation,
  toFineTuningError,
} from './fine-tuning-error.ts';
export {
  createOpenAIFineTuner,
  type OpenAIFineTunerOptions,
  openAIHyperparameterNames,
} from './openai-fine-tuner.ts';
export {
  createTogetherFineTuner,
  defaultLora,
  type TogetherFineTunerOptions,
  togetherHyperparameterNames,
  togetherJobBody,
} from './together-fine-tuner.ts';
