import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  normalizeCrmEvents,
  toWebhookEventInput,
} from '../../../src/pipeline/outcomes/events/index.ts';
import type { OutcomesStore } from '../../../src/store/outcomes/outcomes-store.ts';
import type { PgliteTransport } from '../../../src/store/transports/pglite-transport.ts';
import type { WebhookEventsStore } from '../../../src/store/webhook-events-store.ts';
import { closeSharedPglite, sharedPglite, sharedStore } from '../../helpers/pglite.ts';

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

function meetingFor(lead: string) {
  return normalizeCrmEvents(
    { event: 'meeting.booked', lead_id: lead, meeting_time: '2027-01-05T15:00:00Z' },
    { organizationId: 'org_sweep', webhookId: `meeting-${lead}` },
  ).map(toWebhookEventInput);
}

describe('the reconciliation sweep', () => {
  it('goes round the unmatched events, so ones it can never resolve do not hide newer ones', async () => {
    // Six events for leads nobody tracked, then one for a lead tracked afterwards.
    for (let index = 0; index < 6; index += 1) {
      const ingested = await webhooks.ingest('crm', meetingFor(`ghost-${randomUUID()}`));
      expect(ingested).toMatchObject({ unmatched: 1 });
    }
    const lead = `lead-${randomUUID()}`;
    expect(await webhooks.ingest('crm', meetingFor(lead))).toMatchObject({ unmatched: 1 });
    const outcomeId = randomUUID();
    await outcomes.trackMessages([
      {
        id: outcomeId,
        organization_id: 'org_sweep',
        lead_id: lead,
        campaign_id: 'campaign_1',
        route: 'outreach',
        model_version: 'v1.0.0',
        message_body: 'Hi there',
      },
    ]);

    // Sweeps of 3: the first two examine the six ghosts, the third reaches the tracked lead's event.
    const sweeps = [];
    for (let round = 0; round < 3; round += 1) {
      sweeps.push(await webhooks.reconcileUnmatched({ limit: 3 }));
    }
    expect(sweeps.map((sweep) => sweep.examined)).toEqual([3, 3, 3]);
    expect(sweeps.map((sweep) => sweep.reconciled)).toEqual([0, 0, 1]);
    const row = await transport.database.query<{ meeting_booked: boolean }>(
      'select meeting_booked from outcome_labels where id = $1',
      [outcomeId],
    );
    expect(row.rows).toEqual([{ meeting_booked: true }]);
    // The ghosts stay unmatched (kept for later), each examined once so far.
    const ghosts = await transport.database.query<{ n: number; checked: number }>(
      `select count(*)::int as n, count(reconcile_checked_at)::int as checked
       from webhook_events where status = 'unmatched'`,
    );
    expect(ghosts.rows).toEqual([{ n: 6, checked: 6 }]);
  });
});
