import {
  createClient,
  type SupabaseClient,
  type WebSocketLikeConstructor,
} from '@supabase/supabase-js';
import { toStoreError } from '../store-errors.ts';
import type { StoreTransport } from '../store-transport.ts';

export interface SupabaseTransportOptions {
  url: string;
  /** The service role key: PostgREST runs the calls as service_role (bypasses RLS). */
  serviceRoleKey: string;
  /** Per-call timeout (default 30 s). */
  timeoutMs?: number;
}

/**
 * Supabase through PostgREST's rpc endpoint (`POST /rest/v1/rpc/<fn>`). No LISTEN here: a key
 * cache over this transport refreshes on its timer instead.
 */
export class SupabaseTransport implements StoreTransport {
  readonly kind = 'supabase' as const;
  readonly client: SupabaseClient;
  readonly #timeoutMs: number;

  constructor(options: SupabaseTransportOptions) {
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.client = createClient(options.url, options.serviceRoleKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      db: { schema: 'public' },
      // supabase-js builds a realtime client eagerly and, on Node 20, demands a WebSocket
      // implementation; the store never subscribes, so give it one that refuses to be used.
      realtime: { transport: RealtimeNotUsed as unknown as WebSocketLikeConstructor },
    });
  }

  async rpc<T = unknown>(name: string, args: Readonly<Record<string, unknown>> = {}): Promise<T> {
    const body: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(args)) {
      if (value !== undefined) {
        body[key] = value instanceof Date ? value.toISOString() : value;
      }
    }
    let response: { data: unknown; error: unknown };
    try {
      response = await this.client
        .rpc(name, body)
        .abortSignal(AbortSignal.timeout(this.#timeoutMs));
    } catch (error) {
      throw toStoreError(error, name);
    }
    if (response.error) {
      throw toStoreError(response.error, name);
    }
    return (response.data ?? null) as T;
  }

  /** Nothing to release: rpc calls are plain HTTP requests. */
  async close(): Promise<void> {}
}

class RealtimeNotUsed {
  constructor() {
    throw new Error('the store does not use Supabase Realtime');
  }
}
