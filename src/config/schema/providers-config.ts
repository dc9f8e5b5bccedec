import { z } from 'zod';
import { modelCapabilitiesOverrideSchema } from './capabilities-config.ts';

const providerTypeSchema = z.enum([
  'openai',
  'together',
  'anthropic',
  'openai-compatible',
  'sandbox',
]);
export type ProviderType = z.infer<typeof providerTypeSchema>;

export const providerConfigSchema = z
  .object({
    type: providerTypeSchema,
    base_url: z
      .string()
      .url()
      .optional()
      .describe('Upstream base URL; vendor default when unset (required for `openai-compatible`).'),
    api_key: z
      .string()
      .optional()
      .describe('Upstream key; use "${ENV_NAME}" to keep it out of the file.'),
    enabled: z.boolean().default(true),
    timeout_ms: z
      .number()
      .int()
      .positive()
      .default(120_000)
      .describe('Per-attempt timeout for a non-streaming call and for a stream’s first byte.'),
    stream_idle_timeout_ms: z
      .number()
      .int()
      .positive()
      .default(30_000)
      .describe(
        'Longest wait for the next chunk of a stream once it started; a stalled stream ends with an error frame (504). A route’s own value wins.',
      ),
    connections: z
      .number()
      .int()
      .positive()
      .default(128)
      .describe('Keep-alive connections in the undici pool for this upstream.'),
    headers: z.record(z.string(), z.string()).default({}).describe('Extra headers sent upstream.'),
    anthropic_version: z.string().default('2023-06-01').describe('anthropic-version header.'),
    anthropic_default_max_tokens: z
      .number()
      .int()
      .positive()
      .default(4096)
      .describe('max_tokens sent to Anthropic when the client gave none.'),
    sandbox_latency_ms: z
      .number()
      .nonnegative()
      .default(0)
      .describe('Sandbox only: simulated time to answer.'),
    sandbox_error_rate: z
      .number()
      .min(0)
      .max(1)
      .default(0)
      .describe('Sandbox only: share of calls that fail with a 503.'),
  })
  .strict()
  // Reported with the schema's other errors: `when` runs it even if another field is invalid.
  .refine((provider) => provider.type !== 'openai-compatible' || provider.base_url !== undefined, {
    message: 'required for an openai-compatible provider',
    path: ['base_url'],
    when: (payload) => isRecord(payload.value),
  });

export type ProviderConfig = z.infer<typeof providerConfigSchema>;

export const modelConfigSchema = z
  .object({
    name: z.string().min(1).describe('Catalog name clients may send, e.g. gpt-4o-mini.'),
    provider: z.string().min(1).describe('Provider id (a key of `providers`).'),
    upstream_model: z.string().min(1).describe('Model id sent upstream.'),
    input_usd_per_mtok: z.number().nonnegative().describe('USD per 1M input tokens.'),
    output_usd_per_mtok: z.number().nonnegative().describe('USD per 1M output tokens.'),
    context_window: z.number().int().positive().describe('Context window in tokens.'),
    base_model: z
      .string()
      .min(1)
      .optional()
      .describe(
        'The catalog name or upstream id this model was fine-tuned from: its capabilities are inherited (`ft:` ids find theirs by themselves).',
      ),
    capabilities: modelCapabilitiesOverrideSchema
      .optional()
      .describe(
        'What the model can serve (docs/provider-features.md); fields left out come from the base model, else the provider type.',
      ),
  })
  .strict();

export type ModelConfig = z.infer<typeof modelConfigSchema>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
