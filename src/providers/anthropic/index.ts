export {
  type AnthropicProviderOptions,
  createAnthropicProvider,
  parseAnthropicErrorEnvelope,
} from './anthropic-provider.ts';
export type { AnthropicRequest } from './anthropic-wire.ts';
export {
  convertAnthropicMessage,
  convertAnthropicUsage,
  mapAnthropicStopReason,
} from './convert-anthropic-message.ts';
export { convertToAnthropicRequest } from './convert-to-anthropic-request.ts';
