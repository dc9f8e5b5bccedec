import type { ModelConfig } from './schema/providers-config.ts';

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
  },
  {
    name: 'gpt-4o',
    provider: 'openai',
    upstream_model: 'gpt-4o',
    input_usd_per_mtok: 2.5,
    output_usd_per_mtok: 10,
    context_window: 128_000,
  },
  {
    name: 'llama-3.1-8b-instruct-turbo',
    provider: 'together',
    upstream_model: 'meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo',
    input_usd_per_mtok: 0.18,
    output_usd_per_mtok: 0.18,
    context_window: 131_072,
  },
  {
    name: 'llama-3.1-70b-instruct-turbo',
    provider: 'together',
    upstream_model: 'meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo',
    input_usd_per_mtok: 0.88,
    output_usd_per_mtok: 0.88,
    context_window: 131_072,
  },
  {
    name: 'claude-3-5-haiku',
    provider: 'anthropic',
    upstream_model: 'claude-3-5-haiku-latest',
    input_usd_per_mtok: 0.8,
    output_usd_per_mtok: 4,
    context_window: 200_000,
  },
  {
    name: 'claude-3-5-sonnet',
    provider: 'anthropic',
    upstream_model: 'claude-3-5-sonnet-latest',
    input_usd_per_mtok: 3,
    output_usd_per_mtok: 15,
    context_window: 200_000,
  },
  {
    name: 'sandbox/outreach-v1',
    provider: 'sandbox',
    upstream_model: 'outreach-v1',
    input_usd_per_mtok: 0,
    output_usd_per_mtok: 0,
    context_window: 128_000,
  },
];

/** Fine-tuned models are billed at their base model's fine-tuned rate (USD per 1M tokens). */
export const fineTunedPricing: Readonly<Record<string, { input: number; output: number }>> = {
  'gpt-4o-mini': { input: 0.3, output: 1.2 },
  'gpt-4o': { input: 3.75, output: 15 },
  'gpt-3.5-turbo': { input: 3, output: 6 },
};

export const vendorBaseUrls = {
  openai: 'https://api.openai.com/v1',
  together: 'https://api.together.ai/v1',
  anthropic: 'https://api.anthropic.com',
} as const;
