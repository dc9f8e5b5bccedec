export { createOpenAICompatibleProvider } from './openai-compatible-provider.ts';
