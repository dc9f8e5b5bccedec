import type { Hono } from 'hono';
import { z } from 'zod';
import { GatewayError } from '../../errors/index.ts';
import { type SqlResult, SqlRunError } from '../../store/index.ts';
import type { GatewayEnv } from '../gateway-dependencies.ts';
import { readJsonBody } from '../read-json-body.ts';

const sqlSchema = z
  .object({
    query: z.string().trim().min(1).max(100_000),
    write: z.boolean().optional(),
  })
  .strict();

export interface AdminSqlOptions {
  /** One statement against the gateway's store (runSql over its executor). */
  readonly run: (query: string, options: { write: boolean }) => Promise<SqlResult>;
}

/**
 * `POST /admin/sql {query, write?}` → `{rows, row_count, truncated, read_only}`: the guide's SQL
 * against the store this gateway holds (`rekindle sql` goes here when a gateway owns the embedded
 * PGlite). Read-only unless `write` is true. A failing statement is a 400 with PostgreSQL's
 * message: `read_only_transaction` (pass `write`), `sql_error`, or `sql_unavailable` (Supabase).
 */
export function registerAdminSql(app: Hono<GatewayEnv>, options: AdminSqlOptions): void {
  app.post('/admin/sql', async (context) => {
    const body = await readJsonBody(context, sqlSchema);
    try {
      return context.json(await options.run(body.query, { write: body.write === true }));
    } catch (error) {
      if (error instanceof SqlRunError) {
        throw new GatewayError(error.code, error.message, { param: 'query' });
      }
      throw error;
    }
  });
}
