import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { responsesConfigSchema } from '../../../src/config/schema/responses-config.ts';
import { createLogger } from '../../../src/metrics/index.ts';
import { PersistedResponses } from '../../../src/pipeline/responses/index.ts';
import type { Store } from '../../../src/store/index.ts';
import { closeSharedPglite, sharedPglite, sharedStore } from '../../helpers/pglite.ts';

/**
 * Issue 12, Must show 3 at the store: stored responses are written behind to `stored_responses`
 * and read back by another instance (another replica), only for their own organization; deletes
 * and the purge of expired rows work; `store: false` is the route's business (nothing is put).
 */
let store: Store;
const logger = createLogger({ level: 'error', write: () => {} });
const day = 86_400_000;

beforeAll(async () => {
  store = await sharedStore();
}, 240_000);

afterAll(async () => {
  await closeSharedPglite();
});

function persisted(now = Date.now) {
  return new PersistedResponses({
    store: store.storedResponses,
    config: responsesConfigSchema.parse({ recent_cache_size: 0, purge_interval_ms: 0 }),
    logger,
    now,
  });
}

function stored(id: string, organizationId: string, expiresAt = Date.now() + day) {
  return {
    id,
    organizationId,
    response: { id, object: 'response', output: [{ id: 'msg_1', type: 'message' }] },
    inputItems: [{ type: 'message', role: 'user', content: 'hi' }],
    createdAt: Date.now(),
    expiresAt,
  };
}

describe('stored responses in the database', () => {
  it('are read back by another instance, for their organization only', async () => {
    const writer = persisted();
    expect(writer.put(stored('resp_store_a', 'acme'))).toBe(true);
    // Readable before it is written.
    expect((await writer.get('acme', 'resp_store_a'))?.id).toBe('resp_store_a');
    await writer.flush();
    const reader = persisted();
    const found = await reader.get('acme', 'resp_store_a');
    expect(found?.response).toEqual(stored('resp_store_a', 'acme').response);
    expect(found?.inputItems).toEqual([{ type: 'message', role: 'user', content: 'hi' }]);
    expect(await reader.get('globex', 'resp_store_a')).toBeUndefined();
    expect(await reader.delete('globex', 'resp_store_a')).toBe(false);
    expect(await reader.delete('acme', 'resp_store_a')).toBe(true);
    expect(await reader.get('acme', 'resp_store_a')).toBeUndefined();
    await writer.close();
  });

  it('purges expired rows and never answers them', async () => {
    const writer = persisted();
    writer.put(stored('resp_store_old', 'acme', Date.now() - 1_000));
    writer.put(stored('resp_store_new', 'acme'));
    await writer.close();
    expect(await persisted().get('acme', 'resp_store_old')).toBeUndefined();
    expect(await persisted().purge()).toBeGreaterThanOrEqual(1);
    const transport = await sharedPglite();
    const rows = await transport.database.query<{ id: string }>(
      "select id from stored_responses where id like 'resp_store_%' order by id",
    );
    expect(rows.rows.map((row) => row.id)).toEqual(['resp_store_new']);
  });
});
