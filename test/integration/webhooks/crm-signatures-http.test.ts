import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type GatewayProcess, startGatewayProcess } from '../../helpers/gateway-process.ts';
import { type PostgresServer, startPostgresServer } from '../../helpers/postgres-server.ts';
import { describeWithServices, postgresService } from '../../helpers/services.ts';
import {
  generateStandardWebhookSecret,
  hubSpotSignedHeaders,
  standardWebhookHeaders,
} from '../../helpers/webhook-signing.ts';
import {
  bearer,
  databaseFingerprint,
  getJson,
  type HttpResult,
  metricSamples,
  metricValue,
  postCrm,
  postJson,
  trackOutcome,
} from './gateway-client.ts';

/**
 * POST /webhooks/crm over real HTTP against the gateway process on PostgreSQL: Standard Webhooks
 * signatures with two secrets configured (rotation), HubSpot v3 when HUBSPOT_CLIENT_SECRET is set,
 * and the seed's generic body. Every refused request must leave outcome_labels and webhook_events
 * exactly as they were.
 */
const postgres = postgresService();
const organizationId = 'org_crm';

describeWithServices(
  [postgres],
  'signed CRM webhooks over HTTP (gateway process, PostgreSQL)',
  () => {
    let server: PostgresServer;
    let pool: pg.Pool;
    let gateway: GatewayProcess;
    let apiKey: string;
    const oldSecret = generateStandardWebhookSecret();
    const newSecret = generateStandardWebhookSecret();
    const hubSpotSecret = `hs-${randomUUID()}`;
    const rejections = { crm: 0, hubspot: 0 };

    beforeAll(async () => {
      server = await startPostgresServer();
      const databaseUrl = await server.database('webhook_crm');
      pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
      gateway = await startGatewayProcess({
        databaseUrl,
        env: {
          CRM_WEBHOOK_SECRET: `${oldSecret} ${newSecret}`,
          HUBSPOT_CLIENT_SECRET: hubSpotSecret,
        },
        apiKeys: [{ organizationId }],
      });
      apiKey = gateway.apiKeys[0]?.key ?? '';
    }, 120_000);

    afterAll(async () => {
      await gateway?.stop();
      await pool?.end();
      await server?.stop();
    });

    const newOutcome = () =>
      trackOutcome(gateway.url, apiKey, {
        campaign_id: 'camp_crm',
        lead_id: `lead_${randomUUID()}`,
        message_body: 'Hi Sam, worth a call next week?',
      });
    const outcome = async (id: string) => {
      const result = await getJson(`${gateway.url}/v1/outcomes/${id}`, bearer(apiKey));
      expect(result.status).toBe(200);
      return result.body;
    };
    const expectProcessed = (result: HttpResult) =>
      expect(result).toMatchObject({ status: 200, body: { status: 'processed' } });
    const expectRefusedUnchanged = async (
      source: 'crm' | 'hubspot',
      send: () => Promise<HttpResult>,
    ) => {
      const before = await databaseFingerprint(pool);
      const result = await send();
      rejections[source] += 1;
      expect(result.status).toBe(401);
      expect(result.body).toEqual({
        error: {
          message: expect.stringMatching(/signature/i),
          type: 'authentication_error',
          param: null,
          code: 'invalid_signature',
        },
      });
      expect(await databaseFingerprint(pool)).toEqual(before);
    };
    const dealCreated = (outcomeId: string, dealId: string) =>
      postCrm(
        gateway.url,
        newSecret,
        `msg_${randomUUID()}`,
        JSON.stringify({ event: 'deal.created', outcome_id: outcomeId, deal_id: dealId }),
      );

    it('the new secret, both secrets, or the old one during rotation verify; the answer is {"status":"processed"}', async () => {
      const secretsToTry = [newSecret, [oldSecret, newSecret], oldSecret] as const;
      for (const secrets of secretsToTry) {
        const outcomeId = await newOutcome();
        const body = JSON.stringify({
          event: 'meeting.booked',
          outcome_id: outcomeId,
          meeting_time: '2027-02-01T15:00:00Z',
          occurred_at: '2027-01-20T10:00:00Z',
        });
        const result = await postCrm(gateway.url, secrets, `msg_${randomUUID()}`, body);
        expect(result).toEqual({
          status: 200,
          body: { status: 'processed' },
          headers: expect.anything(),
        });
        expect(await outcome(outcomeId)).toMatchObject({
          meeting_booked: true,
          meeting_time: '2027-02-01T15:00:00+00:00',
          quality_score: 0.9,
        });
      }
    });

    it('an unknown secret, one changed byte, a stale timestamp or missing headers → 401, nothing changed', async () => {
      const outcomeId = await newOutcome();
      const body = JSON.stringify({ event: 'deal.closed', outcome_id: outcomeId, amount: 4200 });
      const url = `${gateway.url}/webhooks/crm`;
      const webhookId = `msg_${randomUUID()}`;
      const headers = standardWebhookHeaders(newSecret, webhookId, body);
      const stranger = generateStandardWebhookSecret();
      await expectRefusedUnchanged('crm', () => postCrm(gateway.url, stranger, webhookId, body));
      await expectRefusedUnchanged('crm', () =>
        postJson(url, body.replace('4200', '9200'), headers),
      );
      const stale = Math.floor(Date.now() / 1000) - 360;
      await expectRefusedUnchanged('crm', () =>
        postCrm(gateway.url, newSecret, webhookId, body, { timestampSeconds: stale }),
      );
      await expectRefusedUnchanged('crm', () => postJson(url, body));
      // The same bytes with their own signature do go through.
      expectProcessed(await postJson(url, body, headers));
      expect(await outcome(outcomeId)).toMatchObject({ deal_closed: true, deal_value: 4200 });
    });

    it("the seed's generic body closes the deal on the outcome that carries that deal id, with or without an organization", async () => {
      const [unscoped, byQuery, byBody, bystander] = [
        await newOutcome(),
        await newOutcome(),
        await newOutcome(),
        await newOutcome(),
      ];
      for (const [outcomeId, dealId] of [
        [unscoped, '123'],
        [byQuery, '234'],
        [byBody, '456'],
        [bystander, '789'],
      ] as const) {
        expectProcessed(await dealCreated(outcomeId, dealId));
        expect(await outcome(outcomeId)).toMatchObject({ deal_id: dealId, deal_closed: false });
      }

      // The seed's exact body, signed with the gateway's secret and naming no organization: deal
      // "123" is on one outcome of one organization, so that is the one it closes.
      const seed = '{"deal_id":"123","status":"closed","amount":15000}';
      const webhookId = `msg_${randomUUID()}`;
      expectProcessed(await postCrm(gateway.url, newSecret, webhookId, seed));
      expect(await outcome(unscoped)).toMatchObject({
        deal_closed: true,
        deal_value: 15000,
        quality_score: 1,
      });
      const stored = await pool.query(
        `select status, organization_id, outcome_id::text as outcome_id from public.webhook_events
          where source = 'crm' and event_id = $1`,
        [webhookId],
      );
      expect(stored.rows).toEqual([
        { status: 'applied', organization_id: organizationId, outcome_id: unscoped },
      ]);

      const query = `?organization_id=${organizationId}`;
      const scopedSeed = seed.replace('"123"', '"234"');
      expectProcessed(
        await postCrm(gateway.url, newSecret, `msg_${randomUUID()}`, scopedSeed, { query }),
      );
      expect(await outcome(byQuery)).toMatchObject({ deal_closed: true, deal_value: 15000 });

      const inBody = JSON.stringify({
        deal_id: 456,
        status: 'closed',
        amount: 2500,
        organization_id: organizationId,
      });
      expectProcessed(await postCrm(gateway.url, newSecret, `msg_${randomUUID()}`, inBody));
      expect(await outcome(byBody)).toMatchObject({ deal_closed: true, deal_value: 2500 });
      expect(await outcome(bystander)).toMatchObject({ deal_closed: false, deal_value: null });

      // A deal id no outcome carries is kept (unmatched) for reconciliation, not refused.
      const before = await databaseFingerprint(pool);
      const orphanId = `msg_${randomUUID()}`;
      const orphan = await postCrm(gateway.url, newSecret, orphanId, seed.replace('123', '999'));
      expectProcessed(orphan);
      // Another organization's deal "123" is not ours: stored, unmatched, our row untouched.
      const foreign = await postCrm(gateway.url, newSecret, `msg_${randomUUID()}`, seed, {
        query: '?organization_id=org_other',
      });
      expectProcessed(foreign);
      const after = await databaseFingerprint(pool);
      expect(after.outcome_rows).toEqual(before.outcome_rows);
      expect(after.events).toBe(Number(before.events) + 2);
      const kept = await pool.query(
        `select status, organization_id, outcome_id from public.webhook_events
          where source = 'crm' and event_id = $1`,
        [orphanId],
      );
      expect(kept.rows).toEqual([{ status: 'unmatched', organization_id: null, outcome_id: null }]);
      // A replay of the accepted delivery (same webhook-id) changes nothing.
      expectProcessed(await postCrm(gateway.url, newSecret, webhookId, seed));
      expect(await databaseFingerprint(pool)).toEqual(after);
    });

    it('HubSpot v3: a signed closed-won stage change closes the deal; bad signatures get 401', async () => {
      const outcomeId = await newOutcome();
      const dealId = String(100_000 + Math.floor(Math.random() * 1e8));
      expectProcessed(await dealCreated(outcomeId, dealId));
      const url = `${gateway.url}/webhooks/crm?organization_id=${organizationId}`;
      const body = JSON.stringify([
        {
          eventId: 1001,
          subscriptionId: 42,
          portalId: 62515,
          appId: 7,
          occurredAt: Date.now() - 1000,
          subscriptionType: 'deal.propertyChange',
          attemptNumber: 0,
          objectId: Number(dealId),
          propertyName: 'dealstage',
          propertyValue: 'closedwon',
          changeSource: 'CRM_UI',
        },
      ]);
      const signed = hubSpotSignedHeaders(hubSpotSecret, 'POST', url, body);
      const wrongSecret = hubSpotSignedHeaders(`other-${hubSpotSecret}`, 'POST', url, body);
      await expectRefusedUnchanged('hubspot', () => postJson(url, body, wrongSecret));
      await expectRefusedUnchanged('hubspot', () =>
        postJson(url, body.replace('62515', '62516'), signed),
      );
      const stale = hubSpotSignedHeaders(hubSpotSecret, 'POST', url, body, Date.now() - 6 * 60_000);
      await expectRefusedUnchanged('hubspot', () => postJson(url, body, stale));
      // The signature covers the URL: the same request pointed at another organization fails.
      await expectRefusedUnchanged('hubspot', () =>
        postJson(`${gateway.url}/webhooks/crm?organization_id=org_intruder`, body, signed),
      );

      expectProcessed(await postJson(url, body, signed));
      expect(await outcome(outcomeId)).toMatchObject({ deal_closed: true, deal_id: dealId });
      // HubSpot's retry carries a new attemptNumber: the same event, nothing changes.
      const before = await databaseFingerprint(pool);
      const retry = body.replace('"attemptNumber":0', '"attemptNumber":1');
      expectProcessed(
        await postJson(url, retry, hubSpotSignedHeaders(hubSpotSecret, 'POST', url, retry)),
      );
      expect(await databaseFingerprint(pool)).toEqual(before);
    });

    it('counts refusals, events by bounded name, and the stages outcomes reached', async () => {
      // An event name we do not know is stored and ignored, and counted as "other": a label must
      // never take whatever a body says.
      const custom = JSON.stringify({ event: 'contact.merged.v7', outcome_id: await newOutcome() });
      expectProcessed(await postCrm(gateway.url, newSecret, `msg_${randomUUID()}`, custom));

      const exposition = await (await fetch(`${gateway.url}/metrics`)).text();
      const count = (name: string, labels: Record<string, string>) =>
        metricValue(exposition, name, labels);
      for (const [source, refused] of Object.entries(rejections)) {
        const labels = { source, event: 'unknown', result: 'rejected' };
        expect(count('rekindle_webhook_events_total', labels), source).toBe(refused);
      }
      expect(rejections).toEqual({ crm: 4, hubspot: 4 });
      const crm = (event: string, result: string) =>
        count('rekindle_webhook_events_total', { source: 'crm', event, result });
      expect(crm('other', 'ignored')).toBe(1);
      expect(crm('meeting.booked', 'applied')).toBe(3);
      expect(crm('deal.closed', 'applied')).toBe(4);
      expect(crm('deal.closed', 'unmatched')).toBe(2);
      expect(crm('deal.closed', 'duplicate')).toBe(1);
      // Meetings and deals booked through the CRM show up where the rollout dashboard looks:
      // rekindle_outcomes_total{event="meeting_booked"|"deal_closed"}, once per outcome (summed
      // over route and model_version: which labels an outcome tracked without them gets is the
      // tracking API's business, not the webhook's).
      const stage = (event: string) =>
        metricSamples(exposition, 'rekindle_outcomes_total')
          .filter((sample) => sample.labels.event === event)
          .reduce((sum, sample) => sum + sample.value, 0);
      expect(stage('meeting_booked')).toBe(3);
      expect(stage('deal_closed')).toBe(5);
      expect(
        metricSamples(exposition, 'rekindle_outcomes_total').map((sample) => sample.labels.event),
      ).not.toContain('deal.closed');
    });
  },
);
