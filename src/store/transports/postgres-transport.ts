import pg from 'pg';
import type { Logger } from '../../metrics/index.ts';
import { rpcStatement } from '../rpc-call.ts';
import type { SqlExecutor } from '../sql-executor.ts';
import { toStoreError } from '../store-errors.ts';
import type { StoreTransport } from '../store-transport.ts';
import { PostgresListener } from './postgres-listener.ts';

/** The `store.postgres` section of the config (structurally; see src/config/schema). */
export interface PostgresConnectionSettings {
  readonly pool_size: number;
  /** 0: none sent, the server's or role's setting holds. */
  readonly statement_timeout_ms: number;
  readonly idle_timeout_ms: number;
  readonly connect_timeout_ms: number;
  readonly application_name: string;
  /** LISTEN goes here when set (database_url being a transaction-mode pooler). */
  readonly listen_url?: string | undefined;
}

const defaultPostgresSettings: PostgresConnectionSettings = {
  pool_size: 10,
  statement_timeout_ms: 0,
  idle_timeout_ms: 30_000,
  connect_timeout_ms: 10_000,
  application_name: 'rekindle-gateway',
};

export interface PostgresTransportOptions {
  connectionString: string;
  /** Pool and connection settings (default `defaultPostgresSettings`). */
  settings?: PostgresConnectionSettings;
  /** Pool size; overrides `settings.pool_size`. */
  maxConnections?: number;
  logger?: Logger;
}

/** PostgreSQL through a `pg` Pool (DATABASE_URL; Supabase's connection string works too). */
export class PostgresTransport implements StoreTransport {
  readonly kind = 'postgres' as const;
  readonly pool: pg.Pool;
  readonly executor: SqlExecutor;
  readonly #listener: PostgresListener;
  #closed = false;

  constructor(options: PostgresTransportOptions) {
    const settings = options.settings ?? defaultPostgresSettings;
    const connection = connectionConfig(settings);
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      ...connection,
      max: options.maxConnections ?? settings.pool_size,
      idleTimeoutMillis: settings.idle_timeout_ms,
    });
    // An idle client that loses its connection emits here; without a listener node would crash.
    this.pool.on('error', (error) => {
      options.logger?.warn('postgres pool client error', { error });
    });
    this.executor = poolExecutor(this.pool);
    this.#listener = new PostgresListener(
      { connectionString: settings.listen_url ?? options.connectionString, ...connection },
      options.logger,
    );
  }

  async rpc<T = unknown>(name: string, args?: Readonly<Record<string, unknown>>): Promise<T> {
    const statement = rpcStatement(name, args);
    try {
      const result = await this.pool.query<{ result: T }>(statement.sql, statement.params);
      return (result.rows[0]?.result ?? null) as T;
    } catch (error) {
      throw toStoreError(error, name);
    }
  }

  /** LISTEN through one dedicated connection (a pooled one would be handed to other queries). */
  listen(channel: string, onPayload: (payload: string) => void) {
    return this.#listener.listen(channel, onPayload);
  }

  async close(): Promise<void> {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    await this.#listener.close();
    await this.pool.end();
  }
}

/**
 * What every connection (pooled or LISTEN) is opened with. statement_timeout travels as a startup
 * parameter only when set: PgBouncer rejects unknown startup parameters.
 */
function connectionConfig(settings: PostgresConnectionSettings): pg.ClientConfig {
  return {
    application_name: settings.application_name,
    connectionTimeoutMillis: settings.connect_timeout_ms,
    ...(settings.statement_timeout_ms > 0
      ? { statement_timeout: settings.statement_timeout_ms }
      : {}),
  };
}

function poolExecutor(pool: pg.Pool): SqlExecutor {
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await pool.query(sql, [...params]);
      return result.rows as Row[];
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    async transaction<T>(work: (executor: SqlExecutor) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await work(clientExecutor(client));
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

function clientExecutor(client: pg.PoolClient): SqlExecutor {
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query(sql, [...params]);
      return result.rows as Row[];
    },
    async exec(sql: string) {
      await client.query(sql);
    },
    // Already inside a transaction on this connection: nest by just running the work.
    transaction: (work) => work(clientExecutor(client)),
  };
}
