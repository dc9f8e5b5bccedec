import { z } from 'zod';
import { postgresConfigSchema } from './postgres-config.ts';

export const rateLimitConfigSchema = z
  .object({
    default_rpm: z
      .number()
      .int()
      .positive()
      .default(100)
      .describe('Requests per minute per organization.'),
  })
  .strict();

export const trackingConfigSchema = z
  .object({
    buffer_size: z
      .number()
      .int()
      .positive()
      .default(50_000)
      .describe('Tracked messages held in memory.'),
    batch_size: z.number().int().positive().default(500),
    flush_interval_ms: z.number().int().positive().default(250),
    journal: z
      .boolean()
      .default(true)
      .describe(
        'Append each tracked message to <data_dir>/journal (one write(2)) before its outcome id is handed out; replayed on start. Survives a process crash, not a machine crash.',
      ),
  })
  .strict();

export const storeConfigSchema = z
  .object({
    data_dir: z
      .string()
      .default('./.rekindle')
      .describe('PGlite data dir (env REKINDLE_DATA_DIR).'),
    database_url: z.string().optional().describe('Postgres URL (env DATABASE_URL).'),
    supabase_url: z.string().optional(),
    supabase_service_role_key: z.string().optional(),
    redis_url: z.string().optional().describe('Redis URL (env REDIS_URL).'),
    postgres: postgresConfigSchema
      .prefault({})
      .describe('Pool and connection settings of the Postgres transport (database_url).'),
  })
  .strict();
