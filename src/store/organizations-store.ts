import { z } from 'zod';
import type { StoreTransport } from './store-transport.ts';

const organizationSchema = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    settings: z.record(z.string(), z.unknown()),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .loose();

export type Organization = z.infer<typeof organizationSchema>;

/** organizations: ensure (create if missing, rename when a name is given) and list. */
export class OrganizationsStore {
  readonly #transport: StoreTransport;

  constructor(transport: StoreTransport) {
    this.#transport = transport;
  }

  async ensure(id: string, name?: string): Promise<Organization> {
    const row = await this.#transport.rpc('ensure_organization', {
      p_id: id,
      p_name: name ?? null,
    });
    return organizationSchema.parse(row);
  }

  async list(): Promise<Organization[]> {
    return z.array(organizationSchema).parse(await this.#transport.rpc('list_organizations'));
  }
}
