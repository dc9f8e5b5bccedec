/**
 * How the store reaches Postgres. Every read and write is a call to a SQL function from
 * supabase/migrations that returns jsonb, so the three transports (PGlite, pg, supabase-js rpc)
 * behave the same: `rpc(name, args)` → the function's jsonb result, parsed (null for SQL NULL).
 * Arguments are the function's named parameters (`p_…`); objects and arrays travel as JSON.
 * Failures throw StoreError (src/store/store-errors.ts) with the SQLSTATE when there is one.
 */
export interface StoreTransport extends ChannelListener {
  readonly kind: 'pglite' | 'postgres' | 'supabase';
  /** Calls `name(arg => value, …)` with named arguments; resolves to its jsonb result. */
  rpc<T = unknown>(name: string, args?: Readonly<Record<string, unknown>>): Promise<T>;
  close(): Promise<void>;
}

/**
 * What `onPayload` receives once the LISTEN connection is back after it dropped: notifications
 * sent while it was down are lost, so a subscriber must reload everything it caches.
 */
export const listenerReconnectedPayload = 'rekindle:listener-reconnected';

/** Postgres LISTEN, for caches that reload when another instance NOTIFYs a change. */
export interface ChannelListener {
  /**
   * LISTEN on a channel; resolves to its unlisten. Undefined where the transport cannot (supabase
   * rpc). After a dropped connection is re-established, `onPayload` is called once with
   * `listenerReconnectedPayload`.
   */
  listen?(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
}
