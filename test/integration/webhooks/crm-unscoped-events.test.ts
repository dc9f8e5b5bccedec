import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import type { SqlExecutor } from '../../../src/store/sql-executor.ts';
import { closeSharedPglite, sharedPglite } from '../../helpers/pglite.ts';
import { sharedStore, startTestGateway } from '../../helpers/test-gateway.ts';
import { generateStandardWebhookSecret } from '../../helpers/webhook-signing.ts';
import {
  bearer,
  getJson,
  type HttpResult,
  metricValue,
  postCrm,
  trackOutcome,
} from './gateway-client.ts';

/**
 * CRM events that name no organization (issue 5's seed body as is), through the whole gateway in
 * this process over PGlite: signed with the gateway's CRM secret, they are resolved when their deal
 * or lead id points to exactly one organization, and kept as `unmatched` (never refused) when it
 * points to none or to several — until the reconciliation sweep can place them.
 */
const seedBody = '{"deal_id":"123","status":"closed","amount":15000}';
const secret = generateStandardWebhookSecret();
const orgA = 'crm_unscoped_a';
const orgB = 'crm_unscoped_b';
let gateway: RunningGateway;
let sql: SqlExecutor;
const keys: Record<string, string> = {};

beforeAll(async () => {
  const store = await sharedStore();
  sql = (await sharedPglite()).executor;
  for (const organizationId of [orgA, orgB]) {
    keys[organizationId] = (await store.apiKeys.create({ organizationId })).key;
  }
  gateway = await startTestGateway({
    store,
    env: { CRM_WEBHOOK_SECRET: secret },
    // The sweep that places kept events once their outcome is known; fast for the test.
    file: { webhooks: { reconcile_interval_ms: 150 } },
  });
}, 60_000);

afterAll(async () => {
  await gateway?.shutdown();
  await closeSharedPglite();
});

const track = (organizationId: string, leadId = `lead_${randomUUID()}`) =>
  trackOutcome(gateway.url, keys[organizationId] ?? '', {
    campaign_id: 'camp_unscoped',
    lead_id: leadId,
    message_body: 'Hi Sam, worth a call next week?',
  });

async function outcome(organizationId: string, id: string) {
  const result = await getJson(
    `${gateway.url}/v1/outcomes/${id}`,
    bearer(keys[organizationId] ?? ''),
  );
  expect(result.status).toBe(200);
  return result.body;
}

const send = (body: string, webhookId = `msg_${randomUUID()}`) =>
  postCrm(gateway.url, secret, webhookId, body);

const expectProcessed = (result: HttpResult) =>
  expect({ status: result.status, body: result.body }).toEqual({
    status: 200,
    body: { status: 'processed' },
  });

/** Records a deal id on an outcome the way a CRM does: an event naming the outcome. */
async function recordDeal(outcomeId: string, dealId: string) {
  expectProcessed(
    await send(JSON.stringify({ event: 'deal.created', outcome_id: outcomeId, deal_id: dealId })),
  );
}

async function storedEvent(webhookId: string) {
  const rows = await sql.query<{
    status: string;
    organization_id: string | null;
    outcome_id: string | null;
  }>(
    `select status, organization_id, outcome_id::text as outcome_id
       from public.webhook_events where source = 'crm' and event_id = $1`,
    [webhookId],
  );
  expect(rows).toHaveLength(1);
  return rows[0];
}

const unchanged = { deal_closed: false, deal_value: null, meeting_booked: false };

describe("the seed's generic body without an organization", () => {
  it('closes the deal with its value on the one outcome that carries deal 123', async () => {
    const [carrier, bystander] = [await track(orgA), await track(orgB)];
    await recordDeal(carrier, '123');
    const webhookId = `msg_${randomUUID()}`;
    expectProcessed(await send(seedBody, webhookId));
    expect(await outcome(orgA, carrier)).toMatchObject({
      deal_id: '123',
      deal_closed: true,
      deal_value: 15000,
      quality_score: 1,
    });
    expect(await outcome(orgB, bystander)).toMatchObject(unchanged);
    // Stored once, applied, and filed under the organization of the outcome it closed.
    expect(await storedEvent(webhookId)).toEqual({
      status: 'applied',
      organization_id: orgA,
      outcome_id: carrier,
    });
    // A replay of the same delivery changes nothing.
    expectProcessed(await send(seedBody.replace('15000', '99999'), webhookId));
    expect(await outcome(orgA, carrier)).toMatchObject({ deal_value: 15000 });
  });

  it('keeps an event for an unknown deal as unmatched, counts it, and applies it once the deal appears', async () => {
    const dealId = `d_${randomUUID()}`;
    const webhookId = `msg_${randomUUID()}`;
    const before = await unmatchedCount();
    expectProcessed(
      await send(JSON.stringify({ deal_id: dealId, status: 'closed', amount: 4200 }), webhookId),
    );
    expect(await storedEvent(webhookId)).toEqual({
      status: 'unmatched',
      organization_id: null,
      outcome_id: null,
    });
    expect(await unmatchedCount()).toBe(before + 1);

    const later = await track(orgB);
    await recordDeal(later, dealId);
    const reconciled = await eventually(async () => {
      const row = await storedEvent(webhookId);
      return row?.status === 'reconciled' ? row : null;
    });
    expect(reconciled).toEqual({ status: 'reconciled', organization_id: orgB, outcome_id: later });
    expect(await outcome(orgB, later)).toMatchObject({ deal_closed: true, deal_value: 4200 });
  });

  it('keeps an event whose deal id two organizations carry; the lead id can single one out', async () => {
    const dealId = `d_${randomUUID()}`;
    const leadA = `lead_${randomUUID()}`;
    const [inA, inB] = [await track(orgA, leadA), await track(orgB)];
    await recordDeal(inA, dealId);
    await recordDeal(inB, dealId);

    const ambiguous = `msg_${randomUUID()}`;
    expectProcessed(
      await send(JSON.stringify({ deal_id: dealId, status: 'closed', amount: 500 }), ambiguous),
    );
    expect(await storedEvent(ambiguous)).toMatchObject({ status: 'unmatched', outcome_id: null });
    expect(await outcome(orgA, inA)).toMatchObject(unchanged);
    expect(await outcome(orgB, inB)).toMatchObject(unchanged);

    const withLead = `msg_${randomUUID()}`;
    const body = { deal_id: dealId, lead_id: leadA, status: 'won', amount: 700 };
    expectProcessed(await send(JSON.stringify(body), withLead));
    expect(await storedEvent(withLead)).toEqual({
      status: 'applied',
      organization_id: orgA,
      outcome_id: inA,
    });
    expect(await outcome(orgA, inA)).toMatchObject({ deal_closed: true, deal_value: 700 });
    expect(await outcome(orgB, inB)).toMatchObject(unchanged);
  });
});

describe('lead-keyed events without an organization', () => {
  it('go to the newest outcome of the one organization that has the lead, else wait', async () => {
    const lead = `lead_${randomUUID()}`;
    const older = await track(orgA, lead);
    const newer = await track(orgA, lead);
    const meeting = {
      event: 'meeting.booked',
      lead_id: lead,
      meeting_time: '2027-03-01T15:00:00Z',
    };
    expectProcessed(await send(JSON.stringify(meeting)));
    expect(await outcome(orgA, newer)).toMatchObject({
      meeting_booked: true,
      meeting_time: '2027-03-01T15:00:00+00:00',
    });
    expect(await outcome(orgA, older)).toMatchObject({ meeting_booked: false });

    // The same lead id in a second organization: ambiguous from now on, so it is kept.
    const other = await track(orgB, lead);
    const webhookId = `msg_${randomUUID()}`;
    expectProcessed(await send(JSON.stringify(meeting), webhookId));
    expect(await storedEvent(webhookId)).toMatchObject({ status: 'unmatched', outcome_id: null });
    expect(await outcome(orgB, other)).toMatchObject({ meeting_booked: false });
    // Naming the organization settles it.
    const scoped = await postCrm(
      gateway.url,
      secret,
      `msg_${randomUUID()}`,
      JSON.stringify(meeting),
      {
        query: `?organization_id=${orgB}`,
      },
    );
    expectProcessed(scoped);
    expect(await outcome(orgB, other)).toMatchObject({ meeting_booked: true });
  });
});

async function unmatchedCount(): Promise<number> {
  const exposition = await (await fetch(`${gateway.url}/metrics`)).text();
  return metricValue(exposition, 'rekindle_webhook_events_total', {
    source: 'crm',
    event: 'deal.closed',
    result: 'unmatched',
  });
}

async function eventually<T>(
  probe: () => Promise<T | null>,
  timeoutMs = 10_000,
): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null || Date.now() > deadline) {
      return value;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
