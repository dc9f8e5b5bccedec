import { z } from 'zod';

export const serverConfigSchema = z
  .object({
    host: z.string().default('127.0.0.1').describe('Bind address (env HOST).'),
    port: z.number().int().min(0).max(65535).default(8787).describe('Port (env PORT).'),
    body_limit_bytes: z
      .number()
      .int()
      .positive()
      .default(1024 * 1024)
      .describe('Largest accepted request body; larger bodies get 413.'),
    shutdown_grace_ms: z
      .number()
      .int()
      .nonnegative()
      .default(10_000)
      .describe('On SIGTERM, how long in-flight requests and streams may drain.'),
    shutdown_announce_ms: z
      .number()
      .int()
      .nonnegative()
      .default(500)
      .describe(
        'On SIGTERM, how long /readyz answers 503 while everything else is served as before; then the listener closes and the connections drain (part of shutdown_grace_ms). 0 closes the listener at once.',
      ),
    admin_token: z
      .string()
      .optional()
      .describe('Bearer token for /admin (env REKINDLE_ADMIN_TOKEN).'),
    metrics_token: z
      .string()
      .optional()
      .describe('Bearer token for /metrics; open when unset (env REKINDLE_METRICS_TOKEN).'),
    log_level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  })
  .strict();
