import { z } from 'zod';

export const sentimentConfigSchema = z
  .object({
    route: z
      .string()
      .nullable()
      .default(null)
      .describe('Route that classifies replies; local classifier only when null.'),
    timeout_ms: z.number().int().positive().default(10_000),
  })
  .strict();

export const trainingConfigSchema = z
  .object({
    min_quality_score: z.number().min(0).max(1).default(0.6),
    min_examples: z.number().int().positive().default(50),
    validation_fraction: z.number().min(0).max(0.5).default(0.1),
    route: z.string().default('outreach').describe('Route a trained model is deployed on.'),
    schedule: z
      .string()
      .nullable()
      .default(null)
      .describe('Cron expression for the automatic training cycle; off when null.'),
    schedule_provider: z
      .enum(['openai', 'together'])
      .optional()
      .describe(
        'Vendor of the scheduled cycle; default the first with a key (OpenAI, then Together).',
      ),
    schedule_deploy_immediately: z
      .boolean()
      .default(false)
      .describe('Deploy the scheduled cycle’s model at once (at schedule_ab_test_traffic %).'),
    schedule_ab_test_traffic: z
      .number()
      .gt(0)
      .max(100)
      .default(10)
      .describe('Traffic percentage for a scheduled model deployed at once.'),
    schedule_variant_policy: z
      .enum(['replace', 'wait', 'stack'])
      .default('replace')
      .describe(
        'One scheduled variant per route at a time: `replace` rolls back a still-testing scheduled variant when the next one deploys, `wait` skips scheduled cycles until it is decided, `stack` adds each one beside the others.',
      ),
    poll_interval_ms: z.number().int().positive().default(15_000),
    dedupe_capacity: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Distinct examples the export dedupes exactly (fixed memory, 8 bytes each).'),
    openai: z
      .object({
        base_model: z.string().default('gpt-4o-mini-2024-07-18'),
        suffix: z.string().default('rekindle'),
        hyperparameters: z.record(z.string(), z.union([z.number(), z.string()])).default({}),
        training_usd_per_mtok: z
          .number()
          .nonnegative()
          .optional()
          .describe('Training price per 1M tokens (per epoch) for the cost estimate.'),
      })
      .strict()
      .prefault({}),
    together: z
      .object({
        base_model: z.string().default('meta-llama/Meta-Llama-3.1-8B-Instruct-Reference'),
        suffix: z.string().default('rekindle'),
        lora: z.boolean().default(true),
        n_epochs: z.number().int().positive().default(3),
        learning_rate: z.number().positive().optional(),
        batch_size: z.union([z.number().int().positive(), z.literal('max')]).default('max'),
        n_evals: z.number().int().nonnegative().optional(),
        n_checkpoints: z.number().int().positive().optional(),
        warmup_ratio: z.number().min(0).max(1).optional(),
        lora_r: z.number().int().positive().optional(),
        lora_alpha: z.number().int().positive().optional(),
        lora_dropout: z.number().min(0).max(1).optional(),
        lora_trainable_modules: z.string().optional(),
        training_usd_per_mtok: z
          .number()
          .nonnegative()
          .optional()
          .describe('Training price per 1M tokens (per epoch) for the cost estimate.'),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export const rolloutConfigSchema = z
  .object({
    reply_window_days: z.number().positive().default(7),
    meeting_window_days: z.number().positive().default(21),
    close_window_days: z.number().positive().default(90),
    min_reply_lift: z
      .number()
      .default(0.1)
      .describe('Relative reply-rate lift to promote (+10 %).'),
    min_close_lift: z
      .number()
      .default(0.05)
      .describe('Relative close-rate lift to promote (+5 %).'),
    alpha: z.number().min(0).max(0.5).default(0.05),
    min_samples_per_arm: z.number().int().positive().default(200),
    min_events_per_arm: z
      .number()
      .int()
      .positive()
      .default(30)
      .describe('Replies and deals per arm before a promotion (normal approximation).'),
    min_harm_events: z
      .number()
      .int()
      .positive()
      .default(10)
      .describe('Events across both arms before a "significantly worse" test runs.'),
    min_runtime_days: z
      .number()
      .nonnegative()
      .default(7)
      .describe('Days a variant must run before it may be promoted (rollback may come sooner).'),
    srm_threshold: z
      .number()
      .gt(0)
      .lt(1)
      .default(0.001)
      .describe('Sample-ratio-mismatch p-value below which an experiment is invalid.'),
    planned_total_messages: z
      .number()
      .positive()
      .default(200_000)
      .describe(
        'Route messages expected at decision time; the anytime-valid bounds are tightest there.',
      ),
    weekly_volume: z
      .number()
      .positive()
      .optional()
      .describe('Route messages per week for time estimates; the observed rate when unset.'),
    auto_promote: z.boolean().default(false),
    auto_rollback: z
      .boolean()
      .default(false)
      .describe(
        'Roll a variant back when a guardrail (sentiment, bounce, spam…) is significantly worse.',
      ),
    evaluation_interval_ms: z
      .number()
      .int()
      .nonnegative()
      .default(300_000)
      .describe(
        'How often the gateway evaluates experiments (gauges, automation); 0 turns it off.',
      ),
  })
  .strict();
