/**
 * Plain SQL over PGlite or pg, for what is not an rpc: applying migrations, and tests. The store's
 * own reads and writes go through `StoreTransport.rpc`.
 */
export interface SqlExecutor {
  /** Rows of one statement with $n parameters. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** One or more statements without parameters (a migration file). */
  exec(sql: string): Promise<void>;
  /** Runs `work` in one transaction on one connection: commit on success, rollback on throw. */
  transaction<T>(work: (executor: SqlExecutor) => Promise<T>): Promise<T>;
}
