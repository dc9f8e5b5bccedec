import { z } from 'zod';

/**
 * The only reader of `process.env` in src/. Every variable the gateway understands is listed here,
 * so the configuration reference can be generated from this schema.
 */
export const envSchema = z.object({
  HOST: z.string().optional().describe('Address to bind (default 127.0.0.1).'),
  PORT: z.string().optional().describe('Port to listen on (default 8787).'),
  REKINDLE_CONFIG: z.string().optional().describe('Path of rekindle.config.json (optional).'),
  REKINDLE_DATA_DIR: z.string().optional().describe('PGlite data directory (default ./.rekindle).'),
  REKINDLE_ADMIN_TOKEN: z.string().optional().describe('Bearer token for /admin endpoints.'),
  REKINDLE_METRICS_TOKEN: z
    .string()
    .optional()
    .describe('Bearer token for /metrics (open if unset).'),
  REKINDLE_GATEWAY_URL: z
    .string()
    .optional()
    .describe('URL of a running gateway that CLI commands talk to instead of opening the store.'),
  LOG_LEVEL: z.string().optional().describe('debug | info | warn | error (default info).'),
  OPENAI_API_KEY: z.string().optional().describe('Enables the openai provider.'),
  OPENAI_BASE_URL: z
    .string()
    .optional()
    .describe('OpenAI base URL (default https://api.openai.com/v1).'),
  TOGETHER_API_KEY: z.string().optional().describe('Enables the together provider.'),
  TOGETHER_BASE_URL: z
    .string()
    .optional()
    .describe('Together base URL (default https://api.together.ai/v1).'),
  ANTHROPIC_API_KEY: z.string().optional().describe('Enables the anthropic provider.'),
  ANTHROPIC_BASE_URL: z
    .string()
    .optional()
    .describe('Anthropic base URL without /v1 (default https://api.anthropic.com).'),
  DATABASE_URL: z.string().optional().describe('Postgres connection string (store transport pg).'),
  DATABASE_POOL_SIZE: z
    .string()
    .optional()
    .describe('Postgres pool size per replica (store.postgres.pool_size, default 10).'),
  DATABASE_STATEMENT_TIMEOUT_MS: z
    .string()
    .optional()
    .describe('Postgres statement_timeout in ms (store.postgres.statement_timeout_ms).'),
  DATABASE_IDLE_TIMEOUT_MS: z
    .string()
    .optional()
    .describe('Close pooled Postgres connections idle this long (store.postgres.idle_timeout_ms).'),
  DATABASE_APPLICATION_NAME: z
    .string()
    .optional()
    .describe('Postgres application_name (store.postgres.application_name).'),
  DATABASE_LISTEN_URL: z
    .string()
    .optional()
    .describe('Postgres URL for LISTEN when DATABASE_URL is a transaction-mode pooler.'),
  SUPABASE_URL: z.string().optional().describe('Supabase project URL (store transport supabase).'),
  SUPABASE_SERVICE_ROLE_KEY: z.string().optional().describe('Supabase service role key.'),
  REDIS_URL: z.string().optional().describe('Redis for shared rate limits and breaker state.'),
  SENDGRID_WEBHOOK_PUBLIC_KEY: z
    .string()
    .optional()
    .describe('SendGrid signed-event-webhook public key (base64 DER); enables verification.'),
  CRM_WEBHOOK_SECRET: z
    .string()
    .optional()
    .describe('Standard Webhooks secret(s) (whsec_…, space-separated for rotation).'),
  HUBSPOT_CLIENT_SECRET: z.string().optional().describe('HubSpot app secret for signature v3.'),
  PIPEDRIVE_WEBHOOK_USER: z
    .string()
    .optional()
    .describe('HTTP Basic user of the Pipedrive webhook (with PIPEDRIVE_WEBHOOK_PASSWORD).'),
  PIPEDRIVE_WEBHOOK_PASSWORD: z
    .string()
    .optional()
    .describe('HTTP Basic password of the Pipedrive webhook; enables the check.'),
  SALESFORCE_ORGANIZATION_ID: z
    .string()
    .optional()
    .describe('Salesforce org id(s) whose Outbound Messages are accepted (space-separated).'),
});

export type Env = z.infer<typeof envSchema>;

/** Reads the environment once; callers pass the result on explicitly. */
export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = source[key];
    if (value !== undefined && value !== '') {
      picked[key] = value;
    }
  }
  return envSchema.parse(picked);
}

/** The raw environment, for `${NAME}` interpolation in the config file. */
export function rawEnvironment(): Readonly<Record<string, string | undefined>> {
  return process.env;
}
