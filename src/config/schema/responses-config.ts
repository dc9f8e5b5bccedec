import { z } from 'zod';

/**
 * Stored responses of `POST /v1/responses` (unless `store: false`): kept per organization for
 * `GET`/`DELETE /v1/responses/{id}` and `previous_response_id`, written behind the response like
 * tracked messages, and purged after `retention_days`.
 */
export const responsesConfigSchema = z
  .object({
    retention_days: z
      .number()
      .positive()
      .default(30)
      .describe(
        'Days a stored response stays retrievable (OpenAI keeps its own 30 days); set on each response when it is stored.',
      ),
    purge_interval_ms: z
      .number()
      .int()
      .nonnegative()
      .default(3_600_000)
      .describe('How often expired responses are deleted from the store; 0 turns the purge off.'),
    recent_cache_size: z
      .number()
      .int()
      .nonnegative()
      .default(10_000)
      .describe(
        'Stored responses also kept in this process’s memory (the newest), so a GET or `previous_response_id` right after the response needs no store read; responses not yet written are always kept.',
      ),
    buffer_size: z
      .number()
      .int()
      .positive()
      .default(10_000)
      .describe('Responses waiting to be written; past it a response is not stored (counted).'),
    batch_size: z.number().int().positive().default(200),
    flush_interval_ms: z.number().int().positive().default(250),
  })
  .strict();

export type ResponsesConfig = z.infer<typeof responsesConfigSchema>;
