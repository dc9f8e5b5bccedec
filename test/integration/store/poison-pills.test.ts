import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/metrics/index.ts';
import {
  normalizeCrmEvents,
  normalizeSendGridEvents,
  toWebhookEventInput,
} from '../../../src/pipeline/outcomes/events/index.ts';
import type { NormalizedEvent } from '../../../src/pipeline/outcomes/events/normalized-event.ts';
import { TrackingBuffer } from '../../../src/pipeline/outcomes/tracking-buffer.ts';
import { type Store, transportOf } from '../../../src/store/create-store.ts';
import type { TrackedMessageRow } from '../../../src/store/index.ts';
import type { SqlExecutor } from '../../../src/store/sql-executor.ts';
import { describeWithServices } from '../../helpers/services.ts';
import { stopTransportServices, type TransportCase, transportCases } from './store-transports.ts';

/**
 * Issue 15, findings 2 and 3 from the storage side: one row the database refuses (a 4 KB lead id
 * over the btree row limit, SQLSTATE 54000; an amount over numeric(14,2), 22003) never stops the
 * rows around it. The batch is split until the bad row is alone, the others commit, and the bad
 * row is in dead_letters with its SQLSTATE — once, never retried. On PGlite and PostgreSQL.
 */
afterAll(stopTransportServices);

function poisonSuite(transportCase: TransportCase) {
  const organization = `org_pp_${transportCase.name}`;
  let store: Store;
  let sql: SqlExecutor;

  beforeAll(async () => {
    store = await transportCase.open();
    const executor = (transportOf(store) as { executor?: SqlExecutor }).executor;
    if (executor === undefined) {
      throw new Error('this suite reads the tables over SQL');
    }
    sql = executor;
  }, 300_000);
  afterAll(async () => {
    await store?.close();
  });

  const deadLetters = (source: string, ids: readonly string[]) =>
    sql.query<{ record_id: string; sql_state: string; occurrences: number }>(
      `select record_id, sql_state, occurrences from dead_letters
       where source = $1 and record_id = any($2::text[]) order by record_id`,
      [source, ids],
    );

  it('a tracking batch with a 4 KB lead id and an overflowing cost stores every other row', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const buffer = new TrackingBuffer({
      store: store.outcomes,
      deadLetters: store.deadLetters,
      batchSize: 1_000,
      flushIntervalMs: 600_000,
      retryDelayMs: 10,
      metrics,
    });
    const rows: TrackedMessageRow[] = Array.from({ length: 200 }, (_, index) => ({
      id: randomUUID(),
      organization_id: organization,
      lead_id: `lead-${index}`,
      message_body: `Hello ${index}`,
      route: 'outreach',
    }));
    const longLead = {
      ...rows[37],
      id: randomUUID(),
      organization_id: organization,
      lead_id: randomBytes(2048).toString('hex'),
    };
    const costly = {
      ...rows[150],
      id: randomUUID(),
      organization_id: organization,
      cost_usd: 1e12,
    };
    const all = [...rows.slice(0, 100), longLead, ...rows.slice(100), costly];
    for (const row of all) {
      expect(buffer.push(row)).toBe(true);
    }
    await buffer.flush();

    const stored = await sql.query<{ count: number }>(
      'select count(*)::int as count from outcome_labels where id = any($1::uuid[])',
      [all.map((row) => row.id)],
    );
    expect(stored[0]?.count).toBe(200);
    const letters = await deadLetters('tracking', [longLead.id, costly.id]);
    expect(letters.map(({ record_id, sql_state }) => ({ record_id, sql_state }))).toEqual(
      [
        { record_id: longLead.id, sql_state: '54000' },
        { record_id: costly.id, sql_state: '22003' },
      ].sort((a, b) => a.record_id.localeCompare(b.record_id)),
    );
    expect(buffer.stats).toMatchObject({ buffered: 0, written: 200, deadLettered: 2, dropped: 0 });
    const counted = await metrics.registry.getSingleMetricAsString('rekindle_dead_letters_total');
    expect(counted).toContain('rekindle_dead_letters_total{source="tracking"} 2');
    // Never retried: later rows go through at once, and the dead letters stay one occurrence each.
    const later = { ...rows[0], id: randomUUID(), organization_id: organization };
    buffer.push(later);
    await buffer.flush();
    expect(
      (await deadLetters('tracking', [longLead.id, costly.id])).map((l) => l.occurrences),
    ).toEqual([1, 1]);
    await buffer.close();
  }, 120_000);

  it('a webhook batch stores its good events and reports the refused one; the replay is a no-op', async () => {
    const outcomeId = randomUUID();
    await store.outcomes.trackMessages([
      { id: outcomeId, organization_id: organization, lead_id: 'lead-wh', message_body: 'Hi' },
    ]);
    const deal = `deal-${randomUUID()}`;
    const events = normalizeCrmEvents(
      [
        {
          event: 'deal.created',
          outcome_id: outcomeId,
          deal_id: deal,
          occurred_at: '2027-01-01T00:00:00Z',
        },
        {
          event: 'deal.closed',
          outcome_id: outcomeId,
          deal_id: deal,
          status: 'won',
          amount: 1,
          occurred_at: '2027-01-02T00:00:00Z',
        },
        {
          event: 'meeting.booked',
          outcome_id: outcomeId,
          meeting_time: '2027-02-01T10:00:00Z',
          occurred_at: '2027-01-03T00:00:00Z',
        },
      ],
      { organizationId: organization, webhookId: `msg-${deal}` },
    )
      .map(overflowAmount)
      .map(toWebhookEventInput);
    const first = await store.webhookEvents.ingest('crm', events);
    expect(first.received).toBe(2);
    expect(first.rejected).toEqual([
      expect.objectContaining({ index: 1, event_id: events[1]?.event_id, sql_state: '22003' }),
    ]);
    const replay = await store.webhookEvents.ingest('crm', events);
    expect(replay).toMatchObject({ applied: 0, duplicates: 2 });
    expect(replay.rejected).toHaveLength(1);
    const stored = await sql.query<{ event_id: string }>(
      'select event_id from webhook_events where source = $1 and event_id = any($2::text[]) order by event_id',
      ['crm', events.map((event) => event.event_id)],
    );
    expect(stored).toHaveLength(2);
    const letters = await deadLetters('crm', [events[1]?.event_id ?? '']);
    expect(letters).toEqual([expect.objectContaining({ sql_state: '22003', occurrences: 2 })]);
    const [outcome] = await sql.query<{ meeting_booked: boolean; deal_closed: boolean }>(
      'select meeting_booked, deal_closed from outcome_labels where id = $1',
      [outcomeId],
    );
    expect(outcome).toEqual({ meeting_booked: true, deal_closed: false });
  }, 120_000);

  it('one event the sweep cannot apply is dead-lettered; the others reconcile', async () => {
    const lead = `lead-sweep-${randomUUID().slice(0, 8)}`;
    const deal = `deal-${lead}`;
    const events = normalizeCrmEvents(
      [
        {
          event: 'deal.created',
          lead_id: lead,
          deal_id: deal,
          occurred_at: '2027-01-01T00:00:00Z',
        },
        {
          event: 'meeting.booked',
          lead_id: lead,
          meeting_time: '2027-02-01T10:00:00Z',
          occurred_at: '2027-01-02T00:00:00Z',
        },
        {
          event: 'deal.closed',
          lead_id: lead,
          deal_id: deal,
          status: 'won',
          amount: 1,
          occurred_at: '2027-01-03T00:00:00Z',
        },
      ],
      { organizationId: organization, webhookId: `sweep-${lead}` },
    )
      .map(overflowAmount)
      .map(toWebhookEventInput);
    const early = await store.webhookEvents.ingest('crm', events);
    expect(early).toMatchObject({ unmatched: 3, rejected: [] });
    const outcomeId = randomUUID();
    await store.outcomes.trackMessages([
      { id: outcomeId, organization_id: organization, lead_id: lead, message_body: 'Hi' },
    ]);
    const sweep = await store.webhookEvents.reconcileUnmatched();
    expect(sweep.dead_lettered).toBeGreaterThanOrEqual(1);
    const statuses = await sql.query<{ event_id: string; status: string }>(
      'select event_id, status from webhook_events where source = $1 and event_id = any($2::text[]) order by occurred_at',
      ['crm', events.map((event) => event.event_id)],
    );
    expect(statuses.map((row) => row.status)).toEqual(['reconciled', 'reconciled', 'failed']);
    const letters = await deadLetters('reconciliation', [`crm:${events[2]?.event_id}`]);
    expect(letters).toEqual([expect.objectContaining({ sql_state: '22003', occurrences: 1 })]);
    // Never examined again.
    expect(await store.webhookEvents.reconcileUnmatched()).toMatchObject({ dead_lettered: 0 });
  }, 120_000);

  it('a SendGrid batch with a blank event type stores the rest', async () => {
    const outcomeId = randomUUID();
    const body = [
      {
        event: 'delivered',
        timestamp: 1_800_000_000,
        sg_event_id: `d-${outcomeId}`,
        rekindle_outcome_id: outcomeId,
      },
      {
        event: ' ',
        timestamp: 1_800_000_001,
        sg_event_id: `b-${outcomeId}`,
        rekindle_outcome_id: outcomeId,
      },
    ];
    const inputs = normalizeSendGridEvents(body).map(toWebhookEventInput);
    const result = await store.webhookEvents.ingest('sendgrid', inputs);
    expect(result).toMatchObject({ received: 2, rejected: [] });
    const stored = await sql.query<{ event_id: string; event_type: string }>(
      'select event_id, event_type from webhook_events where source = $1 and event_id = any($2::text[]) order by event_id',
      ['sendgrid', [`d-${outcomeId}`, `b-${outcomeId}`]],
    );
    expect(stored).toEqual([
      { event_id: `b-${outcomeId}`, event_type: 'malformed' },
      { event_id: `d-${outcomeId}`, event_type: 'delivered' },
    ]);
  }, 120_000);
}

describe.each(
  transportCases().filter((transportCase) => ['pglite', 'postgres'].includes(transportCase.name)),
)('poison pills over $name', (transportCase) => {
  describeWithServices(transportCase.services, 'one bad row', () => poisonSuite(transportCase));
});

/**
 * The HTTP boundary now refuses an amount over numeric(14,2) with a 400 (issue 15, finding 3), so
 * the poison pill is put in after parsing, as a row from a path without that check (an older
 * replica, a journal written before the check) would arrive: the store must still isolate it.
 */
function overflowAmount(event: NormalizedEvent): NormalizedEvent {
  return event.amount === 1 ? { ...event, amount: 1e12 } : event;
}
