import { z } from 'zod';

/** Request features a rule can match on; every present condition must hold. */
const ruleMatchSchema = z
  .object({
    metadata: z
      .record(z.string(), z.union([z.string(), z.array(z.string())]))
      .optional()
      .describe('metadata.KEY equals the value (or one of the values).'),
    min_prompt_tokens: z.number().int().nonnegative().optional(),
    max_prompt_tokens: z.number().int().nonnegative().optional(),
    stream: z.boolean().optional(),
    has_tools: z.boolean().optional(),
  })
  .strict();

const routeRuleSchema = z
  .object({
    name: z.string().optional(),
    match: ruleMatchSchema,
    models: z.array(z.string().min(1)).min(1).describe('Candidate models when the rule matches.'),
    prefer: z.enum(['ordered', 'cheapest', 'fastest', 'weighted']).optional(),
  })
  .strict();

export const routeConfigSchema = z
  .object({
    models: z
      .array(z.string().min(1))
      .min(1)
      .describe('Default candidates (catalog names, provider/model or ft: ids); first is primary.'),
    fallbacks: z
      .array(z.string().min(1))
      .default([])
      .describe('Tried in order on retryable failures.'),
    rules: z.array(routeRuleSchema).default([]),
    prefer: z.enum(['ordered', 'cheapest', 'fastest', 'weighted']).default('ordered'),
    weights: z.record(z.string(), z.number().nonnegative()).default({}),
    max_latency_ms: z
      .number()
      .positive()
      .optional()
      .describe('Skip candidates whose rolling p95 latency is above this.'),
    max_cost_per_1k_tokens: z
      .number()
      .positive()
      .optional()
      .describe('Skip candidates whose blended price per 1k tokens is above this (USD).'),
    retry: z
      .object({
        max_attempts: z.number().int().min(1).default(2).describe('Attempts per model.'),
        initial_backoff_ms: z.number().int().nonnegative().default(200),
        max_backoff_ms: z.number().int().nonnegative().default(8_000),
      })
      .strict()
      .default({ max_attempts: 2, initial_backoff_ms: 200, max_backoff_ms: 8_000 }),
    attempt_timeout_ms: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Per attempt: the whole answer, or a stream’s first byte.'),
    total_timeout_ms: z
      .number()
      .int()
      .positive()
      .default(300_000)
      .describe(
        'The whole request, retries and fallbacks included; for a stream, until its last chunk.',
      ),
    stream_idle_timeout_ms: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        'Longest wait between two chunks of a stream; overrides the provider’s `stream_idle_timeout_ms`.',
      ),
  })
  .strict();

export type RouteConfig = z.infer<typeof routeConfigSchema>;
export type RouteRule = z.infer<typeof routeRuleSchema>;

export const circuitBreakerConfigSchema = z
  .object({
    failure_threshold: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe('Failure share that opens it.'),
    min_requests: z
      .number()
      .int()
      .positive()
      .default(5)
      .describe('Volume needed before it may open.'),
    window_ms: z.number().int().positive().default(60_000),
    cooldown_ms: z.number().int().positive().default(30_000).describe('Open time before a probe.'),
  })
  .strict();
