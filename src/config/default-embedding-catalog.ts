import type { EmbeddingModelConfig } from './schema/embedding-models-config.ts';

/**
 * Embedding models known by name, with list prices in USD per 1M input tokens (override or extend
 * them in `embedding_models` of the config file). The sandbox's vectors are deterministic — the same
 * input always gives the same unit vector, and inputs sharing words point in similar directions —
 * with OpenAI's default length (1536), for demos and tests without a key.
 */
export const defaultEmbeddingCatalog: readonly EmbeddingModelConfig[] = [
  {
    name: 'text-embedding-3-small',
    provider: 'openai',
    upstream_model: 'text-embedding-3-small',
    input_usd_per_mtok: 0.02,
    dimensions: 1536,
    shortening: true,
    token_input: true,
    max_input_tokens: 8_192,
  },
  {
    name: 'text-embedding-3-large',
    provider: 'openai',
    upstream_model: 'text-embedding-3-large',
    input_usd_per_mtok: 0.13,
    dimensions: 3072,
    shortening: true,
    token_input: true,
    max_input_tokens: 8_192,
  },
  {
    name: 'text-embedding-ada-002',
    provider: 'openai',
    upstream_model: 'text-embedding-ada-002',
    input_usd_per_mtok: 0.1,
    dimensions: 1536,
    shortening: false,
    token_input: true,
    max_input_tokens: 8_192,
  },
  {
    name: 'bge-base-en-v1.5',
    provider: 'together',
    upstream_model: 'BAAI/bge-base-en-v1.5',
    input_usd_per_mtok: 0.008,
    dimensions: 768,
    shortening: false,
    token_input: false,
    max_input_tokens: 512,
  },
  {
    name: 'm2-bert-80m-32k-retrieval',
    provider: 'together',
    upstream_model: 'togethercomputer/m2-bert-80M-32k-retrieval',
    input_usd_per_mtok: 0.008,
    dimensions: 768,
    shortening: false,
    token_input: false,
    max_input_tokens: 32_768,
  },
  {
    name: 'sandbox/embedding-v1',
    provider: 'sandbox',
    upstream_model: 'embedding-v1',
    input_usd_per_mtok: 0,
    dimensions: 1536,
    shortening: true,
    token_input: true,
    max_input_tokens: 8_192,
  },
];
