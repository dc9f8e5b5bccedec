import type { ModelCapabilities } from './schema/capabilities-config.ts';
import type { ModelConfig, ProviderType } from './schema/providers-config.ts';

/**
 * What each wire can serve when a model has no table of its own (a `provider/model` name outside the
 * catalog, a registered model without a known base). OpenAI-compatible servers get everything: the
 * body is relayed as is and the server itself accepts or refuses each field. Anthropic translates
 * tools and `response_format` (a forced tool, which works on every Claude model) and has no
 * `logprobs` and no `n`. Together's Llama models have no vision and take `logprobs` as a count
 * (not OpenAI's boolean), so the gateway does not promise it. The sandbox simulates every field.
 */
export const providerTypeCapabilities: Readonly<Record<ProviderType, ModelCapabilities>> = {
  openai: everything('native'),
  'openai-compatible': everything('native'),
  sandbox: everything('native'),
  together: {
    ...everything('native'),
    parallel_tool_calls: false,
    logprobs: false,
    image_input: false,
  },
  anthropic: {
    ...everything('forced_tool'),
    logprobs: false,
    multiple_choices: false,
  },
};

function everything(structuredOutput: 'native' | 'forced_tool'): ModelCapabilities {
  return {
    tools: true,
    parallel_tool_calls: true,
    json_schema: structuredOutput,
    json_object: structuredOutput,
    logprobs: true,
    multiple_choices: true,
    image_input: true,
    max_output_tokens: null,
  };
}

const openAIChat: ModelCapabilities = { ...everything('native'), max_output_tokens: 16_384 };
const togetherLlama: ModelCapabilities = providerTypeCapabilities.together;
const claude35: ModelCapabilities = {
  ...providerTypeCapabilities.anthropic,
  max_output_tokens: 8_192,
};
/** Claude 4.5 models have Anthropic's structured outputs (`output_config.format`). */
const claude45: ModelCapabilities = {
  ...providerTypeCapabilities.anthropic,
  json_schema: 'native',
  max_output_tokens: 64_000,
};

/**
 * Prices in USD per 1M tokens as the vendors list them (standard tier, no batch or cache discount);
 * override or extend them in `models` of the config file.
 */
export const defaultCatalog: readonly ModelConfig[] = [
  {
    name: 'gpt-4o-mini',
    provider: 'openai',
    upstream_model: 'gpt-4o-mini',
    input_usd_per_mtok: 0.15,
    output_usd_per_mtok: 0.6,
    context_window: 128_000,
    capabilities: openAIChat,
  },
  {
    name: 'gpt-4o',
    provider: 'openai',
    upstream_model: 'gpt-4o',
    input_usd_per_mtok: 2.5,
    output_usd_per_mtok: 10,
    context_window: 128_000,
    capabilities: openAIChat,
  },
  {
    name: 'llama-3.1-8b-instruct-turbo',
    provider: 'together',
    upstream_model: 'meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo',
    input_usd_per_mtok: 0.18,
    output_usd_per_mtok: 0.18,
    context_window: 131_072,
    capabilities: togetherLlama,
  },
  {
    name: 'llama-3.1-70b-instruct-turbo',
    provider: 'together',
    upstream_model: 'meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo',
    input_usd_per_mtok: 0.88,
    output_usd_per_mtok: 0.88,
    context_window: 131_072,
    capabilities: togetherLlama,
  },
  {
    name: 'claude-3-5-haiku',
    provider: 'anthropic',
    upstream_model: 'claude-3-5-haiku-latest',
    input_usd_per_mtok: 0.8,
    output_usd_per_mtok: 4,
    context_window: 200_000,
    capabilities: claude35,
  },
  {
    name: 'claude-3-5-sonnet',
    provider: 'anthropic',
    upstream_model: 'claude-3-5-sonnet-latest',
    input_usd_per_mtok: 3,
    output_usd_per_mtok: 15,
    context_window: 200_000,
    capabilities: claude35,
  },
  {
    name: 'claude-haiku-4-5',
    provider: 'anthropic',
    upstream_model: 'claude-haiku-4-5',
    input_usd_per_mtok: 1,
    output_usd_per_mtok: 5,
    context_window: 200_000,
    capabilities: claude45,
  },
  {
    name: 'claude-sonnet-4-5',
    provider: 'anthropic',
    upstream_model: 'claude-sonnet-4-5',
    input_usd_per_mtok: 3,
    output_usd_per_mtok: 15,
    context_window: 200_000,
    capabilities: claude45,
  },
  {
    name: 'sandbox/outreach-v1',
    provider: 'sandbox',
    upstream_model: 'outreach-v1',
    input_usd_per_mtok: 0,
    output_usd_per_mtok: 0,
    context_window: 128_000,
    capabilities: { ...providerTypeCapabilities.sandbox, max_output_tokens: 16_384 },
  },
];

/** Fine-tuned models are billed at their base model's fine-tuned rate (USD per 1M tokens). */
export const fineTunedPricing: Readonly<Record<string, { input: number; output: number }>> = {
  'gpt-4o-mini': { input: 0.3, output: 1.2 },
  'gpt-4o': { input: 3.75, output: 15 },
  'gpt-3.5-turbo': { input: 3, output: 6 },
};

/**
 * Together serverless LoRA models are billed per token at their base model's serverless rate
 * (together.ai/pricing: a LoRA adapter on a serverless base costs what the base costs), keyed by
 * the fine-tunable base id a training run names (`…-Instruct-Reference`).
 */
export const togetherFineTunedPricing: Readonly<Record<string, { input: number; output: number }>> =
  {
    'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference': { input: 0.18, output: 0.18 },
    'meta-llama/Meta-Llama-3.1-70B-Instruct-Reference': { input: 0.88, output: 0.88 },
  };

export const vendorBaseUrls = {
  openai: 'https://api.openai.com/v1',
  together: 'https://api.together.ai/v1',
  anthropic: 'https://api.anthropic.com',
} as const;
