import { z } from 'zod';
import type { StoreTransport } from './store-transport.ts';

/** One row of `stored_responses`, as the store functions take and give it. */
export interface StoredResponseRow {
  readonly id: string;
  readonly organization_id: string;
  readonly response: Record<string, unknown>;
  readonly input_items: readonly Record<string, unknown>[];
  readonly created_at: string;
  readonly expires_at: string;
}

const storedResponseRowSchema = z
  .object({
    id: z.string(),
    organization_id: z.string(),
    response: z.record(z.string(), z.unknown()),
    input_items: z.array(z.record(z.string(), z.unknown())),
    created_at: z.string(),
    expires_at: z.string(),
  })
  .loose();

/** stored_responses: batched writes, reads and deletes scoped to one organization, the purge. */
export class StoredResponsesStore {
  readonly #transport: StoreTransport;

  constructor(transport: StoreTransport) {
    this.#transport = transport;
  }

  /** Writes a batch; ids already stored are left alone. Returns the rows written. */
  async put(rows: readonly StoredResponseRow[]): Promise<number> {
    return z.number().parse(await this.#transport.rpc('store_responses', { p_rows: rows }));
  }

  async get(organizationId: string, id: string): Promise<StoredResponseRow | null> {
    const row = await this.#transport.rpc('get_stored_response', {
      p_organization_id: organizationId,
      p_id: id,
    });
    return row === null ? null : storedResponseRowSchema.parse(row);
  }

  async delete(organizationId: string, id: string): Promise<boolean> {
    return z.boolean().parse(
      await this.#transport.rpc('delete_stored_response', {
        p_organization_id: organizationId,
        p_id: id,
      }),
    );
  }

  /** Deletes up to `limit` expired rows; returns how many. */
  async purgeExpired(limit = 1000): Promise<number> {
    return z
      .number()
      .parse(await this.#transport.rpc('purge_stored_responses', { p_limit: limit }));
  }
}
