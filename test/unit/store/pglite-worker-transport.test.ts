import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreError, StoreLockedError } from '../../../src/store/store-errors.ts';
import { PgliteWorkerTransport } from '../../../src/store/transports/pglite-worker-transport.ts';

describe('PGlite on its own thread', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rekindle-pglite-worker-'));
  let transport: PgliteWorkerTransport;

  beforeAll(async () => {
    transport = await PgliteWorkerTransport.open({ dataDir });
    await transport.executor.exec(
      'create table items (id int primary key, label text); ' +
        'create function public.item_label(p_id int) returns jsonb language sql as $$ select to_jsonb(label) from items where id = p_id $$;',
    );
  });
  afterAll(async () => {
    await transport?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers queries and rpc calls with parsed values', async () => {
    await transport.executor.query('insert into items values ($1, $2)', [1, 'first']);
    expect(await transport.executor.query('select id, label from items')).toEqual([
      { id: 1, label: 'first' },
    ]);
    expect(await transport.rpc('item_label', { p_id: 1 })).toBe('first');
    expect(await transport.rpc('item_label', { p_id: 99 })).toBeNull();
  });

  it('commits a transaction, and rolls one back when its work throws', async () => {
    const inside = await transport.executor.transaction(async (tx) => {
      await tx.query('insert into items values (2, $1)', ['second']);
      return tx.query<{ n: number }>('select count(*)::int as n from items');
    });
    expect(inside).toEqual([{ n: 2 }]);
    await expect(
      transport.executor.transaction(async (tx) => {
        await tx.query('insert into items values (3, $1)', ['third']);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await transport.executor.query('select id from items order by id')).toEqual([
      { id: 1 },
      { id: 2 },
    ]);
  });

  it('keeps the SQLSTATE of a failed statement', async () => {
    const error = await transport.rpc('missing_function').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).sqlState).toBe('42883');
    await expect(
      transport.executor.query('insert into items values (1, $1)', ['duplicate']),
    ).rejects.toMatchObject({ code: '23505' });
  });

  it('delivers NOTIFY payloads to listeners until they unlisten', async () => {
    const heard: string[] = [];
    const unlisten = await transport.listen('items_changed', (payload) => heard.push(payload));
    await transport.executor.query("select pg_notify('items_changed', 'one')");
    await expect.poll(() => heard).toEqual(['one']);
    await unlisten();
    await transport.executor.query("select pg_notify('items_changed', 'two')");
    await transport.executor.query('select 1');
    expect(heard).toEqual(['one']);
  });

  it('owns its data directory until closed', async () => {
    await expect(PgliteWorkerTransport.open({ dataDir })).rejects.toBeInstanceOf(StoreLockedError);
    expect(existsSync(join(dataDir, 'store.lock'))).toBe(true);
  });
});

describe('closing the PGlite thread', () => {
  it('finishes work already sent, then fails later calls and releases the lock', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rekindle-pglite-worker-gone-'));
    try {
      const transport = await PgliteWorkerTransport.open({ dataDir });
      const pending = transport.executor.query<{ done: boolean }>(
        'select true as done from pg_sleep(0.2)',
      );
      await transport.close();
      await expect(pending).resolves.toEqual([{ done: true }]);
      const later = await transport.rpc('anything').catch((caught: unknown) => caught);
      expect(later).toBeInstanceOf(StoreError);
      expect(existsSync(join(dataDir, 'store.lock'))).toBe(false);
      const reopened = await PgliteWorkerTransport.open({ dataDir });
      await reopened.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
