import { z } from 'zod';
import {
  rolloutConfigSchema,
  sentimentConfigSchema,
  trainingConfigSchema,
  webhooksConfigSchema,
} from './pipeline-config.ts';
import { modelConfigSchema, providerConfigSchema } from './providers-config.ts';
import { circuitBreakerConfigSchema, routeConfigSchema } from './routes-config.ts';
import { serverConfigSchema } from './server-config.ts';
import {
  rateLimitConfigSchema,
  storeConfigSchema,
  trackingConfigSchema,
} from './tenancy-config.ts';

/** Fields left out of a section take the section's defaults. */
const section = <T extends z.ZodType>(schema: T) => schema.prefault({} as z.input<T>);

export const gatewayConfigSchema = z
  .object({
    server: section(serverConfigSchema),
    providers: z
      .record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/), providerConfigSchema)
      .default({}),
    models: z.array(modelConfigSchema).default([]),
    routes: z.record(z.string().min(1), routeConfigSchema).default({}),
    default_route: z.string().default('outreach').describe('Route used when a request names none.'),
    circuit_breaker: section(circuitBreakerConfigSchema),
    rate_limit: section(rateLimitConfigSchema),
    tracking: section(trackingConfigSchema),
    store: section(storeConfigSchema),
    webhooks: section(webhooksConfigSchema),
    sentiment: section(sentimentConfigSchema),
    training: section(trainingConfigSchema),
    rollout: section(rolloutConfigSchema),
  })
  .strict();

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
export type GatewayConfigInput = z.input<typeof gatewayConfigSchema>;
