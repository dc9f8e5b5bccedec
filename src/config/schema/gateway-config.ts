import { z } from 'zod';
import {
  rolloutConfigSchema,
  sentimentConfigSchema,
  trainingConfigSchema,
} from './pipeline-config.ts';
import { modelConfigSchema, providerConfigSchema } from './providers-config.ts';
import { circuitBreakerConfigSchema, routeConfigSchema } from './routes-config.ts';
import { serverConfigSchema } from './server-config.ts';
import {
  rateLimitConfigSchema,
  storeConfigSchema,
  trackingConfigSchema,
} from './tenancy-config.ts';
import { webhooksConfigSchema } from './webhooks-config.ts';

/** Providers a catalog entry may name without a `providers` entry (they appear from the env). */
const builtInProviders = new Set(['openai', 'together', 'anthropic', 'sandbox']);

/** Fields left out of a section take the section's defaults. */
const section = <T extends z.ZodType>(schema: T) => schema.prefault({} as z.input<T>);

export const gatewayConfigSchema = z
  .object({
    server: section(serverConfigSchema).describe('The HTTP server.'),
    providers: z
      .record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/), providerConfigSchema)
      .default({})
      .describe(
        'Upstreams by id. `openai`, `together` and `anthropic` appear by themselves when their API key is set; `sandbox` is always there; add `openai-compatible` ones (vLLM, Ollama, llama.cpp) with a base_url.',
      ),
    models: z
      .array(modelConfigSchema)
      .default([])
      .describe(
        'Catalog entries added to (or replacing, by name) the built-in catalog: gpt-4o-mini, gpt-4o, llama-3.1-8b/70b-instruct-turbo, claude-3-5-haiku/sonnet, claude-haiku-4-5, claude-sonnet-4-5, sandbox/outreach-v1.',
      ),
    routes: z
      .record(z.string().min(1), routeConfigSchema)
      .default({})
      .describe(
        'Route aliases clients send as `model`. Without an `outreach` route, it uses the first vendor with a key (else the sandbox) and the other vendors as fallbacks. See docs/routing.md.',
      ),
    default_route: z.string().default('outreach').describe('Route used when a request names none.'),
    circuit_breaker: section(circuitBreakerConfigSchema).describe(
      'One breaker per model deployment (provider/model).',
    ),
    rate_limit: section(rateLimitConfigSchema).describe(
      'Per-organization request limits (in memory, or in Redis with REDIS_URL).',
    ),
    tracking: section(trackingConfigSchema).describe(
      'The write-behind buffer that records generated messages in outcome_labels.',
    ),
    store: section(storeConfigSchema).describe(
      'Where state lives: Supabase (url + service role key), else Postgres (database_url), else embedded PGlite in data_dir.',
    ),
    webhooks: section(webhooksConfigSchema).describe(
      'Signed SendGrid and CRM (HubSpot, Pipedrive, Salesforce) webhooks. See docs/webhooks.md.',
    ),
    sentiment: section(sentimentConfigSchema).describe(
      'Reply sentiment and interest classification.',
    ),
    training: section(trainingConfigSchema).describe(
      'Export and fine-tuning. See docs/training.md.',
    ),
    rollout: section(rolloutConfigSchema).describe(
      'Leaderboard windows, promotion criteria and guarded automation. See docs/experiments.md.',
    ),
  })
  .strict()
  // A cross-field check, reported together with every other error (`when`: even if some failed).
  .superRefine(checkModelProviders, {
    when: (payload) => isRecord(payload.value) && Array.isArray(payload.value.models),
  });

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
export type GatewayConfigInput = z.input<typeof gatewayConfigSchema>;

/** Every catalog entry names a configured (or built-in) provider. Reads possibly invalid input. */
function checkModelProviders(
  config: { models: unknown; providers?: unknown },
  context: z.RefinementCtx,
) {
  const providers = isRecord(config.providers) ? config.providers : {};
  (config.models as unknown[]).forEach((model, index) => {
    const provider = isRecord(model) ? model.provider : undefined;
    if (
      typeof provider === 'string' &&
      !(provider in providers) &&
      !builtInProviders.has(provider)
    ) {
      context.addIssue({
        code: 'custom',
        path: ['models', index, 'provider'],
        message: `unknown provider "${provider}"`,
      });
    }
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
