import type { SqlExecutor } from './sql-executor.ts';

/** What `rekindle sql` and `POST /admin/sql` answer. */
export interface SqlResult {
  readonly rows: Record<string, unknown>[];
  readonly row_count: number;
  /** More rows than `maxRows` came back; `rows` holds the first `maxRows`. */
  readonly truncated: boolean;
  readonly read_only: boolean;
}

export interface RunSqlOptions {
  /** Allow statements that change data (default: read-only). */
  readonly write?: boolean;
  /** Rows returned at most (default 10 000). */
  readonly maxRows?: number;
}

/** Why a query was not run, or failed; `code` is the admin API's error code. */
export class SqlRunError extends Error {
  readonly code: 'sql_unavailable' | 'read_only_transaction' | 'sql_error';

  constructor(message: string, code: SqlRunError['code'], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SqlRunError';
    this.code = code;
  }
}

/** PostgreSQL's SQLSTATE for "cannot execute … in a read-only transaction". */
const readOnlySqlState = '25006';

function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * One SQL statement against the store, in its own transaction: `SET TRANSACTION READ ONLY` unless
 * `write` is asked for, so a typo cannot change data by default, and a 30 s statement timeout so a
 * runaway query does not hold the embedded store. Over Supabase's rpc there is no SQL: use the
 * Supabase SQL editor or psql with the database's connection string.
 */
export async function runSql(
  executor: SqlExecutor | null,
  query: string,
  options: RunSqlOptions = {},
): Promise<SqlResult> {
  if (executor === null) {
    throw new SqlRunError(
      'This store is reached over Supabase rpc, which runs no SQL: use the Supabase SQL editor, or psql with the database connection string (DATABASE_URL).',
      'sql_unavailable',
    );
  }
  const write = options.write === true;
  const maxRows = options.maxRows ?? 10_000;
  try {
    const rows = await executor.transaction(async (transaction) => {
      if (!write) {
        await transaction.exec('set transaction read only');
      }
      await transaction.exec("set local statement_timeout = '30s'");
      return transaction.query<Record<string, unknown>>(query);
    });
    return {
      rows: rows.slice(0, maxRows),
      row_count: rows.length,
      truncated: rows.length > maxRows,
      read_only: !write,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (sqlStateOf(error) === readOnlySqlState || /read-only transaction/.test(message)) {
      throw new SqlRunError(
        `${message} (queries are read-only by default: pass --write, or "write": true, to change data)`,
        'read_only_transaction',
        { cause: error },
      );
    }
    throw new SqlRunError(message, 'sql_error', { cause: error });
  }
}
