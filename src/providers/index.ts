export { anthropicErrorMap } from './anthropic/index.ts';
export type {
  ChatModelProvider,
  ChatRequest,
  ChatRequestBody,
  ChatResult,
  ChatStreamPart,
  Usage,
} from './chat-model.ts';

export type { ErrorMap } from './http/upstream-error-map.ts';

export { openAIErrorMap } from './openai-compatible/openai-error-map.ts';

export { ProviderError } from './provider-error.ts';
export { createProviders } from './provider-registry.ts';
export {
  findOutreachFacts,
  fnv1a,
  mulberry32,
  type WritingStyle,
  writeOutreachEmail,
} from './sandbox/index.ts';
export { sampleJson } from './sandbox/json-schema-sample.ts';
