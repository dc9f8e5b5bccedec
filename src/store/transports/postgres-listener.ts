import pg from 'pg';
import type { Logger } from '../../metrics/index.ts';
import { listenerReconnectedPayload } from '../store-transport.ts';

type Handler = (payload: string) => void;

/** Reconnect delays: short and capped, so a replica is listening again about a second after the
 * database is back (every subscriber reloads then: registry changes converge within 2 s). */
const firstBackoffMs = 250;
const maxBackoffMs = 1_000;

/**
 * LISTEN/NOTIFY on one dedicated connection, opened on first listen(). If the connection drops it
 * reconnects with backoff and re-subscribes; notifications sent meanwhile are lost, so every
 * handler is then called with `listenerReconnectedPayload` (subscribers reload), and subscribers
 * also refresh on a timer for transports that cannot listen.
 */
export class PostgresListener {
  readonly #connection: string | pg.ClientConfig;
  readonly #logger: Logger | undefined;
  readonly #handlers = new Map<string, Set<Handler>>();
  #client: pg.Client | null = null;
  #connecting: Promise<pg.Client> | null = null;
  #reconnectTimer: NodeJS.Timeout | null = null;
  #backoffMs = firstBackoffMs;
  #closed = false;

  /** `connection`: a connection string, or pg's client config (application name, timeouts…). */
  constructor(connection: string | pg.ClientConfig, logger?: Logger) {
    this.#connection = connection;
    this.#logger = logger;
  }

  async listen(channel: string, handler: Handler): Promise<() => Promise<void>> {
    let handlers = this.#handlers.get(channel);
    const first = handlers === undefined;
    if (!handlers) {
      handlers = new Set();
      this.#handlers.set(channel, handlers);
    }
    handlers.add(handler);
    const client = await this.#connect();
    if (first) {
      await client.query(`listen ${quoteIdentifier(channel)}`);
    }
    return async () => {
      const current = this.#handlers.get(channel);
      current?.delete(handler);
      if (current && current.size === 0) {
        this.#handlers.delete(channel);
        await this.#client?.query(`unlisten ${quoteIdentifier(channel)}`).catch(() => undefined);
      }
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#reconnectTimer) {
      clearTimeout(this.#reconnectTimer);
    }
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => undefined);
  }

  #connect(): Promise<pg.Client> {
    if (this.#client) {
      return Promise.resolve(this.#client);
    }
    this.#connecting ??= this.#open().finally(() => {
      this.#connecting = null;
    });
    return this.#connecting;
  }

  async #open(): Promise<pg.Client> {
    const client = new pg.Client(
      typeof this.#connection === 'string'
        ? { connectionString: this.#connection }
        : this.#connection,
    );
    client.on('notification', (message) => {
      for (const handler of this.#handlers.get(message.channel) ?? []) {
        handler(message.payload ?? '');
      }
    });
    client.on('error', (error) => {
      this.#logger?.warn('postgres listen connection lost; reconnecting', { error });
      this.#dropped(client);
    });
    client.on('end', () => this.#dropped(client));
    await client.connect();
    if (this.#closed) {
      await client.end();
      throw new Error('listener closed');
    }
    this.#client = client;
    this.#backoffMs = firstBackoffMs;
    return client;
  }

  #dropped(client: pg.Client): void {
    if (this.#client !== client || this.#closed) {
      return;
    }
    this.#client = null;
    client.end().catch(() => undefined);
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (this.#closed || this.#reconnectTimer || this.#handlers.size === 0) {
      return;
    }
    const delay = this.#backoffMs;
    this.#backoffMs = Math.min(this.#backoffMs * 2, maxBackoffMs);
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      this.#connect()
        .then(async (client) => {
          for (const channel of this.#handlers.keys()) {
            await client.query(`listen ${quoteIdentifier(channel)}`);
          }
          this.#logger?.info('postgres listen connection re-established; subscribers reload');
          for (const handlers of this.#handlers.values()) {
            for (const handler of handlers) {
              handler(listenerReconnectedPayload);
            }
          }
        })
        .catch((error: unknown) => {
          this.#logger?.warn('postgres listen reconnect failed', { error });
          this.#scheduleReconnect();
        });
    }, delay);
    this.#reconnectTimer.unref();
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
