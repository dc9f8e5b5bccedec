export {
  type AnthropicProviderOptions,
  anthropicErrorMap,
  convertToAnthropicRequest,
  createAnthropicProvider,
} from './anthropic/index.ts';
export {
  type ChatMessage,
  type ChatModelProvider,
  type ChatRequest,
  type ChatRequestBody,
  type ChatResult,
  type ChatStreamPart,
  emptyUsage,
  type FinishReason,
  type ToolCall,
  type Usage,
} from './chat-model.ts';
export { type SseEvent, SseParser } from './http/sse-parser.ts';
export type { ErrorMap } from './http/upstream-error-map.ts';
export {
  createOpenAICompatibleProvider,
  type OpenAICompatibleProviderOptions,
} from './openai-compatible/index.ts';
export { openAIErrorMap } from './openai-compatible/openai-error-map.ts';
export { costUsd, type TokenPrice } from './pricing.ts';
export {
  ProviderError,
  type ProviderErrorKind,
  type ProviderErrorOptions,
} from './provider-error.ts';
export {
  type CreateProvidersOptions,
  createProviders,
  type ProviderRegistry,
} from './provider-registry.ts';
export {
  createSandboxProvider,
  findOutreachFacts,
  fnv1a,
  mulberry32,
  type OutreachFacts,
  type SandboxProviderOptions,
  type WritingStyle,
  writeOutreachEmail,
} from './sandbox/index.ts';
export { sampleJson } from './sandbox/json-schema-sample.ts';
