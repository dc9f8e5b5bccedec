import { z } from 'zod';

/**
 * An embedding model clients may name at `POST /v1/embeddings`. Embedding and chat names live in
 * separate catalogs: a chat endpoint never routes to an embedding model, nor the reverse.
 */
export const embeddingModelConfigSchema = z
  .object({
    name: z.string().min(1).describe('Name clients send, e.g. text-embedding-3-small.'),
    provider: z
      .string()
      .min(1)
      .describe(
        'Provider id (a key of `providers`): openai, together, openai-compatible or sandbox.',
      ),
    upstream_model: z.string().min(1).describe('Model id sent upstream.'),
    input_usd_per_mtok: z.number().nonnegative().describe('USD per 1M input tokens.'),
    dimensions: z
      .number()
      .int()
      .positive()
      .describe('Length of the vectors the model returns by default.'),
    shortening: z
      .boolean()
      .default(false)
      .describe(
        'The model honours `dimensions` (shorter vectors); otherwise that field is refused.',
      ),
    token_input: z
      .boolean()
      .default(true)
      .describe('The model takes `input` as token arrays; otherwise only text is accepted.'),
    max_input_tokens: z
      .number()
      .int()
      .positive()
      .default(8_192)
      .describe('Longest input (one string or token array) in tokens.'),
  })
  .strict();

export type EmbeddingModelConfig = z.infer<typeof embeddingModelConfigSchema>;
