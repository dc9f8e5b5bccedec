export {
  createOpenAICompatibleProvider,
  type OpenAICompatibleProviderOptions,
} from './openai-compatible-provider.ts';
export { mapOpenAIFinishReason, parseOpenAIUsage } from './openai-wire.ts';
export { prepareOpenAIBody } from './prepare-openai-body.ts';
