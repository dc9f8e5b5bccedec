export { anthropicErrorMap } from './anthropic-error-map.ts';

export { createAnthropicProvider } from './anthropic-provider.ts';

export { convertToAnthropic, convertToAnthropicRequest } from './convert-to-anthropic-request.ts';
