import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Store, storeOverTransport } from '../../../src/store/create-store.ts';
import { migrate } from '../../../src/store/migrate.ts';
import { PostgresTransport } from '../../../src/store/transports/postgres-transport.ts';
import { type PostgresServer, startPostgresServer } from '../../helpers/postgres-server.ts';
import { describeWithServices, postgresService } from '../../helpers/services.ts';
import {
  expectedRow,
  makeEventSpecs,
  outcomeColumns,
  seededRandom,
  shuffle,
  toInputs,
} from '../../helpers/webhook-ingest-model.ts';

/**
 * Concurrent ingest on a real PostgreSQL: 10,000 events over 100 outcomes, every batch posted twice,
 * batches in shuffled order over 30 connections. Overlapping batches lock the same rows, so a lock
 * order bug shows up as a deadlock (40P01) and a merge bug as a wrong column.
 */
const postgres = postgresService();

describeWithServices([postgres], 'ingest_webhook_events under concurrency (PostgreSQL)', () => {
  let server: PostgresServer;
  let transport: PostgresTransport;
  let store: Store;

  beforeAll(async () => {
    server = await startPostgresServer();
    transport = new PostgresTransport({ connectionString: server.url, maxConnections: 30 });
    store = storeOverTransport(transport, transport.executor);
    await migrate(transport.executor);
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  it('applies each event exactly once and ends on the reference rows', async () => {
    const random = seededRandom(7);
    const outcomeCount = 100;
    const ids = Array.from({ length: outcomeCount }, () => randomUUID());
    await store.outcomes.trackMessages(
      ids.map((id, index) => ({
        id,
        organization_id: 'org_load',
        lead_id: `lead_${index}`,
        route: 'outreach',
        model_version: 'v1.0.0',
      })),
    );
    const specs = makeEventSpecs(random, outcomeCount, 10_000);
    const inputs = toInputs(specs, ids, 'load');
    const batches = [];
    for (let start = 0; start < inputs.length; start += 50) {
      batches.push(inputs.slice(start, start + 50));
    }
    const deliveries = shuffle([...batches, ...batches], random);
    const webhooks = store.webhookEvents;
    let applied = 0;
    let duplicates = 0;
    let next = 0;
    const worker = async () => {
      while (next < deliveries.length) {
        const batch = deliveries[next++] ?? [];
        const result = await webhooks.ingest('crm', batch);
        applied += result.applied;
        duplicates += result.duplicates;
      }
    };
    await Promise.all(Array.from({ length: 30 }, worker));

    expect(duplicates).toBe(specs.length);
    expect(applied).toBe(specs.filter((spec) => spec.hasEffect).length);
    const stored = await transport.pool.query<{ count: string; distinct: string }>(
      `select count(*) as count, count(distinct event_id) as distinct
       from webhook_events where source = 'crm' and event_id like 'load-%'`,
    );
    expect(stored.rows[0]).toEqual({ count: '10000', distinct: '10000' });

    const rows = await transport.pool.query<Record<string, unknown>>(
      `select ${outcomeColumns.join(', ')} from outcome_labels where id = any($1::uuid[])`,
      [ids],
    );
    const mismatches: string[] = [];
    for (const [index, id] of ids.entries()) {
      const expected = expectedRow(specs.filter((spec) => spec.outcomeIndex === index));
      const row = rows.rows.find((candidate) => candidate.id === id) ?? {};
      for (const [column, value] of Object.entries(expected)) {
        if (normalize(row[column]) !== normalize(value)) {
          mismatches.push(`${id}.${column}: ${String(row[column])} != ${String(value)}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  }, 120_000);
});

function normalize(value: unknown): unknown {
  if (value instanceof Date) {
    return value.toISOString();
  }
  return value ?? null;
}
