import { z } from 'zod';

/**
 * Only the fields the gateway reads are validated; everything else passes through to the upstream
 * untouched (`.loose()`), so new OpenAI parameters need no gateway release.
 */
const contentPartSchema = z.object({ type: z.string() }).loose();
const messageSchema = z
  .object({
    role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
    content: z.union([z.string(), z.array(contentPartSchema), z.null()]).optional(),
  })
  .loose();

const metadataValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const chatCompletionRequestSchema = z
  .object({
    model: z.string().min(1),
    messages: z.array(messageSchema).min(1),
    stream: z.boolean().nullable().optional(),
    stream_options: z
      .object({ include_usage: z.boolean().optional() })
      .loose()
      .nullable()
      .optional(),
    metadata: z.record(z.string(), metadataValue).nullable().optional(),
    tools: z
      .array(z.object({ type: z.string() }).loose())
      .nullable()
      .optional(),
    max_tokens: z.number().int().positive().nullable().optional(),
    max_completion_tokens: z.number().int().positive().nullable().optional(),
    temperature: z.number().min(0).max(2).nullable().optional(),
    top_p: z.number().min(0).max(1).nullable().optional(),
    n: z.number().int().min(1).max(128).nullable().optional(),
  })
  .loose();

export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;
