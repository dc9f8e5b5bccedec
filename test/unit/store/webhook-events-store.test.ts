import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  normalizeCrmEvents,
  normalizeSendGridEvents,
  toWebhookEventInput,
} from '../../../src/pipeline/outcomes/events/index.ts';
import type { OutcomesStore } from '../../../src/store/outcomes/outcomes-store.ts';
import type { PgliteTransport } from '../../../src/store/transports/pglite-transport.ts';
import type { WebhookEventsStore } from '../../../src/store/webhook-events-store.ts';
import { closeSharedPglite, sharedPglite, sharedStore } from '../../helpers/pglite.ts';
import {
  expectedRow,
  makeEventSpecs,
  outcomeColumns,
  seededRandom,
  shuffle,
  toInputs,
} from '../../helpers/webhook-ingest-model.ts';

let transport: PgliteTransport;
let webhooks: WebhookEventsStore;
let outcomes: OutcomesStore;

beforeAll(async () => {
  transport = await sharedPglite();
  ({ webhookEvents: webhooks, outcomes } = await sharedStore());
});

afterAll(async () => {
  await closeSharedPglite();
});

async function track(organizationId: string, rows: { id?: string; lead_id?: string }[]) {
  const withIds = rows.map((row) => ({
    id: row.id ?? randomUUID(),
    organization_id: organizationId,
    lead_id: row.lead_id ?? `lead_${randomUUID().slice(0, 8)}`,
    campaign_id: 'campaign_1',
    route: 'outreach',
    model_version: 'v1.0.0',
    message_body: 'Hi there',
  }));
  await outcomes.trackMessages(withIds);
  return withIds.map((row) => row.id);
}

async function outcomeRows(ids: readonly string[]) {
  const result = await transport.database.query<Record<string, unknown>>(
    `select ${outcomeColumns.join(', ')}, quality_score::float8 as quality_score, updated_at
     from outcome_labels where id = any($1::uuid[]) order by id`,
    [ids],
  );
  return result.rows;
}

async function storedEvents(source: string, eventIds: readonly string[]) {
  const result = await transport.database.query<{ event_id: string; status: string }>(
    'select event_id, status from webhook_events where source = $1 and event_id = any($2) order by event_id',
    [source, eventIds],
  );
  return result.rows;
}

function sendGridInputs(body: unknown[]) {
  return normalizeSendGridEvents(body).map(toWebhookEventInput);
}

describe('ingest_webhook_events', () => {
  it('stores and applies a SendGrid batch once; the replay is a no-op', async () => {
    const [outcomeId = ''] = await track('org_sg', [{}]);
    const at = 1_800_000_000;
    const body = [
      {
        event: 'processed',
        timestamp: at,
        sg_event_id: `p-${outcomeId}`,
        rekindle_outcome_id: outcomeId,
      },
      {
        event: 'delivered',
        timestamp: at + 5,
        sg_event_id: `d-${outcomeId}`,
        rekindle_outcome_id: outcomeId,
      },
      {
        event: 'open',
        timestamp: at + 6,
        sg_machine_open: true,
        sg_event_id: `m-${outcomeId}`,
        rekindle_outcome_id: outcomeId,
      },
      {
        event: 'open',
        timestamp: at + 60,
        sg_event_id: `o-${outcomeId}`,
        rekindle_outcome_id: outcomeId,
      },
      {
        event: 'click',
        timestamp: at + 90,
        sg_event_id: `c-${outcomeId}`,
        rekindle_outcome_id: outcomeId,
      },
    ];
    const first = await webhooks.ingest('sendgrid', sendGridInputs(body));
    expect(first).toMatchObject({
      received: 5,
      applied: 3,
      duplicates: 0,
      unmatched: 0,
      ignored: 2,
    });
    expect(first.by_type.open).toEqual({
      received: 2,
      applied: 1,
      duplicates: 0,
      unmatched: 0,
      ignored: 1,
    });
    expect(first.applied_by_version).toEqual([
      { route: 'outreach', model_version: 'v1.0.0', event_type: 'click', count: 1 },
      { route: 'outreach', model_version: 'v1.0.0', event_type: 'delivered', count: 1 },
      { route: 'outreach', model_version: 'v1.0.0', event_type: 'open', count: 1 },
    ]);
    const [row] = await outcomeRows([outcomeId]);
    expect(row).toMatchObject({
      delivered: true,
      opened: true,
      clicked: true,
      bounced: false,
      quality_score: 0.4,
    });
    expect(new Date(String(row?.delivered_at)).toISOString()).toBe('2027-01-15T08:00:05.000Z');
    expect(new Date(String(row?.opened_at)).toISOString()).toBe('2027-01-15T08:01:00.000Z');

    const replay = await webhooks.ingest(
      'sendgrid',
      sendGridInputs(shuffle(body, seededRandom(1))),
    );
    expect(replay).toMatchObject({
      received: 5,
      applied: 0,
      duplicates: 5,
      unmatched: 0,
      ignored: 0,
    });
    expect(await outcomeRows([outcomeId])).toEqual([row]);
    const stored = await storedEvents(
      'sendgrid',
      body.map((event) => event.sg_event_id),
    );
    expect(stored.map((event) => event.status).sort()).toEqual([
      'applied',
      'applied',
      'applied',
      'ignored',
      'ignored',
    ]);
  });

  it('counts a duplicate inside one batch once', async () => {
    const [outcomeId = ''] = await track('org_sg', [{}]);
    const event = {
      event: 'bounce',
      timestamp: 1_800_000_000,
      sg_event_id: `b-${outcomeId}`,
      rekindle_outcome_id: outcomeId,
    };
    const result = await webhooks.ingest('sendgrid', sendGridInputs([event, event]));
    expect(result).toMatchObject({ received: 2, applied: 1, duplicates: 1 });
    expect((await outcomeRows([outcomeId]))[0]).toMatchObject({ bounced: true, quality_score: 0 });
  });

  it('ends on the same row whatever the order, batching and duplication of the events', async () => {
    const random = seededRandom(42);
    const copies = 4;
    const outcomeCount = 6;
    const specs = makeEventSpecs(random, outcomeCount, 120);
    const expectedByIndex = Array.from({ length: outcomeCount }, (_, index) =>
      expectedRow(specs.filter((spec) => spec.outcomeIndex === index)),
    );
    for (let copy = 0; copy < copies; copy++) {
      const ids = await track(
        'org_order',
        Array.from({ length: outcomeCount }, () => ({})),
      );
      // Every event twice, shuffled, in random batch sizes; event ids are unique per copy.
      const inputs = shuffle(
        [...toInputs(specs, ids, `c${copy}`), ...toInputs(specs, ids, `c${copy}`)],
        random,
      );
      let applied = 0;
      let duplicates = 0;
      for (let start = 0; start < inputs.length; ) {
        const size = 1 + Math.floor(random() * 40);
        const result = await webhooks.ingest('crm', inputs.slice(start, start + size));
        applied += result.applied;
        duplicates += result.duplicates;
        start += size;
      }
      expect(duplicates).toBe(specs.length);
      expect(applied).toBe(specs.filter((spec) => spec.hasEffect).length);
      const rows = await outcomeRows(ids);
      for (const [index, id] of ids.entries()) {
        const row = rows.find((candidate) => candidate.id === id);
        for (const column of Object.keys(expectedByIndex[index] ?? {})) {
          expect({ column, value: normalize(row?.[column]) }).toEqual({
            column,
            value: normalize(expectedByIndex[index]?.[column]),
          });
        }
      }
    }
  });

  it('keeps an event for an outcome not tracked yet and applies it when the outcome appears', async () => {
    const outcomeId = randomUUID();
    const body = [
      {
        event: 'delivered',
        timestamp: 1_800_000_100,
        sg_event_id: `late-${outcomeId}`,
        rekindle_outcome_id: outcomeId,
      },
    ];
    expect(await webhooks.ingest('sendgrid', sendGridInputs(body))).toMatchObject({
      unmatched: 1,
      applied: 0,
    });
    expect((await storedEvents('sendgrid', [`late-${outcomeId}`]))[0]?.status).toBe('unmatched');
    await track('org_late', [{ id: outcomeId }]);
    expect((await outcomeRows([outcomeId]))[0]).toMatchObject({
      delivered: true,
      quality_score: 0.2,
    });
    expect((await storedEvents('sendgrid', [`late-${outcomeId}`]))[0]?.status).toBe('reconciled');
  });

  it('reconciles CRM events by lead and deal once the outcome exists, within its organization', async () => {
    const lead = `lead_${randomUUID().slice(0, 8)}`;
    const crm = normalizeCrmEvents(
      [
        {
          event: 'meeting.booked',
          lead_id: lead,
          meeting_time: '2027-02-01T10:00:00Z',
          occurred_at: '2027-01-20T09:00:00Z',
        },
        {
          event: 'deal.created',
          lead_id: lead,
          deal_id: `deal-${lead}`,
          occurred_at: '2027-01-21T09:00:00Z',
        },
      ],
      { organizationId: 'org_crm', webhookId: `msg-${lead}` },
    ).map(toWebhookEventInput);
    expect(await webhooks.ingest('crm', crm)).toMatchObject({ unmatched: 2 });
    await track('org_other', [{ lead_id: lead }]);
    expect(await webhooks.reconcileUnmatched()).toMatchObject({ reconciled: 0 });
    const [outcomeId = ''] = await track('org_crm', [{ lead_id: lead }]);
    const swept = await webhooks.reconcileUnmatched();
    expect(swept.reconciled).toBeGreaterThanOrEqual(2);
    expect((await outcomeRows([outcomeId]))[0]).toMatchObject({
      meeting_booked: true,
      deal_id: `deal-${lead}`,
      quality_score: 0.9,
    });
    // The deal id now links the HubSpot-style close of that deal.
    const closed = normalizeCrmEvents(
      {
        event: 'deal.closed',
        deal_id: `deal-${lead}`,
        amount: 15000,
        occurred_at: '2027-03-01T00:00:00Z',
      },
      { organizationId: 'org_crm', webhookId: `close-${lead}` },
    ).map(toWebhookEventInput);
    expect(await webhooks.ingest('crm', closed)).toMatchObject({ applied: 1 });
    expect((await outcomeRows([outcomeId]))[0]).toMatchObject({
      deal_closed: true,
      deal_value: '15000.00',
      quality_score: 1,
    });
  });

  it('resolves by SendGrid message id, but never across organizations', async () => {
    const [outcomeId = ''] = await track('org_msg', [{}]);
    await transport.database.query('update outcome_labels set sg_message_id = $1 where id = $2', [
      `msg-${outcomeId}`,
      outcomeId,
    ]);
    const events = sendGridInputs([
      {
        event: 'delivered',
        timestamp: 1_800_000_000,
        sg_event_id: `x-${outcomeId}`,
        sg_message_id: `msg-${outcomeId}.filterdrecv-1-2.0`,
      },
      {
        event: 'spamreport',
        timestamp: 1_800_000_500,
        sg_event_id: `y-${outcomeId}`,
        sg_message_id: `msg-${outcomeId}.filterdrecv-1-2.0`,
        rekindle_organization_id: 'org_someone_else',
      },
    ]);
    expect(await webhooks.ingest('sendgrid', events)).toMatchObject({ applied: 1, unmatched: 1 });
    expect((await outcomeRows([outcomeId]))[0]).toMatchObject({
      delivered: true,
      spam_reported: false,
    });
  });

  it('refuses malformed input before SQL and leaves nothing behind', async () => {
    await expect(
      webhooks.ingest('crm', [
        {
          ...sendGridInputs([{ event: 'delivered', timestamp: 1 }])[0],
          outcome_id: 'nope',
        } as never,
      ]),
    ).rejects.toMatchObject({ status: 400, param: '0.outcome_id' });
    expect(await webhooks.ingest('crm', [])).toMatchObject({ received: 0 });
  });
});

function normalize(value: unknown): unknown {
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}[T ]/.test(value)) {
    return new Date(value).toISOString();
  }
  return value ?? null;
}
