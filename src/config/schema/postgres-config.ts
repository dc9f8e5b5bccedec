import { z } from 'zod';

/** Connection settings of the `pg` transport (DATABASE_URL); PGlite and Supabase's rpc ignore them. */
export const postgresConfigSchema = z
  .object({
    pool_size: z
      .number()
      .int()
      .positive()
      .max(1000)
      .default(10)
      .describe(
        'Connections in the pool of each replica (env DATABASE_POOL_SIZE); the LISTEN connection is one more. Replicas × (pool_size + 1) must fit max_connections or the pooler.',
      ),
    statement_timeout_ms: z
      .number()
      .int()
      .nonnegative()
      .default(0)
      .describe(
        "PostgreSQL statement_timeout sent at connect (env DATABASE_STATEMENT_TIMEOUT_MS); 0 sends none and keeps the server's or role's setting. PgBouncer refuses it as a startup parameter: set it on the role there (docs/deploy.md).",
      ),
    idle_timeout_ms: z
      .number()
      .int()
      .nonnegative()
      .default(30_000)
      .describe(
        'A pooled connection idle this long is closed (env DATABASE_IDLE_TIMEOUT_MS); 0 keeps idle connections open.',
      ),
    connect_timeout_ms: z
      .number()
      .int()
      .positive()
      .default(10_000)
      .describe('How long opening a connection may take before the query fails.'),
    application_name: z
      .string()
      .min(1)
      .max(63)
      .default('rekindle-gateway')
      .describe(
        'application_name of every connection, as pg_stat_activity shows it (env DATABASE_APPLICATION_NAME).',
      ),
    listen_url: z
      .string()
      .optional()
      .describe(
        'Connection string for the LISTEN connection (registry changes), when database_url goes through a transaction-mode pooler that cannot carry LISTEN (env DATABASE_LISTEN_URL). Default: database_url.',
      ),
  })
  .strict();
