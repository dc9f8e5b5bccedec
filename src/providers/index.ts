export {
  type AnthropicProviderOptions,
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
export {
  decodeEmbedding,
  type EmbeddingEncoding,
  type EmbeddingInput,
  type EmbeddingRequest,
  type EmbeddingResult,
  encodeEmbedding,
} from './embedding-model.ts';
export {
  GatewayError,
  type GatewayErrorOptions,
  isRetryableStatus,
  type OpenAIErrorType,
  ProviderError,
  type ProviderErrorKind,
  type ProviderErrorOptions,
  parseRetryAfter,
} from './errors.ts';
export { type SseEvent, SseParser } from './http/sse-parser.ts';
export {
  createOpenAICompatibleProvider,
  type OpenAICompatibleProviderOptions,
} from './openai-compatible/index.ts';
export { costUsd, fineTunedPrice, type TokenPrice } from './pricing.ts';
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
  sandboxEmbeddings,
  type WritingStyle,
  writeOutreachEmail,
} from './sandbox/index.ts';
