import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type GatewayProcess, startGatewayProcess } from '../../helpers/gateway-process.ts';
import { type PostgresServer, startPostgresServer } from '../../helpers/postgres-server.ts';
import { describeWithServices, postgresService } from '../../helpers/services.ts';
import {
  generateSendGridKeyPair,
  type SendGridKeyPair,
  sendGridSignedHeaders,
} from '../../helpers/webhook-signing.ts';
import {
  bearer,
  databaseFingerprint,
  getJson,
  type HttpResult,
  metricValue,
  postJson,
  postSendGrid,
  trackOutcome,
} from './gateway-client.ts';

/**
 * POST /webhooks/sendgrid over real HTTP against the gateway as a child process on PostgreSQL with
 * SENDGRID_WEBHOOK_PUBLIC_KEY set (a generated P-256 pair): a correctly signed batch is processed and
 * applied; one changed byte, a wrong key, a stale or future timestamp, missing headers get 401 in the
 * OpenAI envelope and change NOTHING in outcome_labels or webhook_events (compared whole). SendGrid's
 * own published vector (2020) is posted to a second gateway whose tolerance covers its timestamp.
 */
const postgres = postgresService();
const organizationId = 'org_sendgrid';

/** From sendgrid/sendgrid-nodejs packages/eventwebhook/src/eventwebhook.spec.js. */
const publishedVector = {
  publicKey:
    'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==',
  signature:
    'MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0=',
  timestamp: '1588788367',
  payload: '{"category":"example_payload","event":"test_event","message_id":"message_id"}',
};

describeWithServices(
  [postgres],
  'signed SendGrid webhooks over HTTP (gateway process, PostgreSQL)',
  () => {
    let server: PostgresServer;
    let pool: pg.Pool;
    let gateway: GatewayProcess;
    let vectorGateway: GatewayProcess;
    let apiKey: string;
    let keys: SendGridKeyPair;
    let rejected = 0;

    beforeAll(async () => {
      server = await startPostgresServer();
      const databaseUrl = await server.database('webhook_sendgrid');
      pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
      keys = generateSendGridKeyPair();
      gateway = await startGatewayProcess({
        databaseUrl,
        env: { SENDGRID_WEBHOOK_PUBLIC_KEY: keys.publicKeyBase64 },
        // Tracked chat messages stay in the write-behind buffer until a second one arrives (batch
        // of 2, no timed flush within the test), so events can deterministically overtake them.
        config: { tracking: { flush_interval_ms: 3_600_000, batch_size: 2 } },
        apiKeys: [{ organizationId }],
      });
      apiKey = gateway.apiKeys[0]?.key ?? '';
      vectorGateway = await startGatewayProcess({
        databaseUrl: await server.database('webhook_sendgrid_vector'),
        env: { SENDGRID_WEBHOOK_PUBLIC_KEY: publishedVector.publicKey },
        config: { webhooks: { sendgrid_tolerance_seconds: 30 * 365 * 86_400 } },
      });
    }, 120_000);

    afterAll(async () => {
      await gateway?.stop();
      await vectorGateway?.stop();
      await pool?.end();
      await server?.stop();
    });

    const newOutcome = () =>
      trackOutcome(gateway.url, apiKey, {
        campaign_id: 'camp_sg',
        lead_id: `lead_${randomUUID()}`,
        message_body: 'Hi Dana, worth a call next week?',
      });
    const outcome = async (id: string) => {
      const result = await getJson(`${gateway.url}/v1/outcomes/${id}`, bearer(apiKey));
      expect(result.status).toBe(200);
      return result.body;
    };
    const expectRefusedUnchanged = async (send: () => Promise<HttpResult>, database = pool) => {
      const before = await databaseFingerprint(database);
      const result = await send();
      expect(result.status).toBe(401);
      expect(result.body).toEqual({
        error: {
          message: expect.stringMatching(/signature/i),
          type: 'authentication_error',
          param: null,
          code: 'invalid_signature',
        },
      });
      expect(await databaseFingerprint(database)).toEqual(before);
    };
    const sendGridEvent = (outcomeId: string, event: string, id: string, extra = {}) => ({
      email: 'dana@example.com',
      timestamp: Math.floor(Date.now() / 1000) - 60,
      event,
      sg_event_id: id,
      sg_message_id: `msg_${id}.filter0001`,
      rekindle_outcome_id: outcomeId,
      ...extra,
    });
    const storedStatuses = async (prefix: string) =>
      (
        await pool.query(
          'select event_id, status from webhook_events where source = $1 and event_id like $2 order by event_id',
          ['sendgrid', `${prefix}-%`],
        )
      ).rows;

    it('a correctly signed batch is processed and applied; a replay changes nothing', async () => {
      const outcomeId = await newOutcome();
      const tag = randomUUID();
      const body = JSON.stringify([
        sendGridEvent(outcomeId, 'processed', `${tag}-p`),
        sendGridEvent(outcomeId, 'click', `${tag}-c`, { url: 'https://example.com/pricing' }),
        sendGridEvent(outcomeId, 'delivered', `${tag}-d`),
        sendGridEvent(outcomeId, 'open', `${tag}-o`, { sg_machine_open: true }),
      ]);
      const result = await postSendGrid(gateway.url, keys.privateKey, body);
      expect(result).toMatchObject({ status: 200, body: { status: 'processed', events: 4 } });
      expect(await outcome(outcomeId)).toMatchObject({
        delivered: true,
        opened: true,
        clicked: true,
        bounced: false,
        quality_score: 0.4,
      });
      expect(await storedStatuses(tag)).toEqual([
        { event_id: `${tag}-c`, status: 'applied' },
        { event_id: `${tag}-d`, status: 'applied' },
        { event_id: `${tag}-o`, status: 'ignored' },
        { event_id: `${tag}-p`, status: 'ignored' },
      ]);

      const before = await databaseFingerprint(pool);
      const replay = await postSendGrid(gateway.url, keys.privateKey, body);
      expect(replay).toMatchObject({ status: 200, body: { status: 'processed', events: 4 } });
      expect(await databaseFingerprint(pool)).toEqual(before);
    });

    it('one changed byte, a wrong key, a stale or future timestamp, missing headers → 401, nothing changed', async () => {
      const outcomeId = await newOutcome();
      const body = JSON.stringify([sendGridEvent(outcomeId, 'bounce', 'evt-tamper-1')]);
      const url = `${gateway.url}/webhooks/sendgrid`;
      const signed = sendGridSignedHeaders(keys.privateKey, body);
      // A different but equally valid batch: had it been accepted, a new event would be stored.
      const tampered = body.replace('evt-tamper-1', 'evt-tamper-2');
      const original = Buffer.from(body);
      expect(Buffer.from(tampered).filter((byte, index) => byte !== original[index])).toHaveLength(
        1,
      );
      await expectRefusedUnchanged(() => postJson(url, tampered, signed));
      const otherKey = generateSendGridKeyPair().privateKey;
      await expectRefusedUnchanged(() => postSendGrid(gateway.url, otherKey, body));
      const now = Math.floor(Date.now() / 1000);
      await expectRefusedUnchanged(() =>
        postSendGrid(gateway.url, keys.privateKey, body, now - 660),
      );
      await expectRefusedUnchanged(() =>
        postSendGrid(gateway.url, keys.privateKey, body, now + 660),
      );
      await expectRefusedUnchanged(() => postJson(url, body));
      rejected += 5;

      // The same bytes with their own signature do go through: the refusals were about the signature.
      const accepted = await postJson(url, body, signed);
      expect(accepted).toMatchObject({ status: 200, body: { status: 'processed', events: 1 } });
      expect(await outcome(outcomeId)).toMatchObject({ bounced: true, quality_score: 0 });
    });

    it("SendGrid's published test vector verifies over HTTP; one changed byte does not", async () => {
      const vectorPool = new pg.Pool({
        connectionString: await server.database('webhook_sendgrid_vector'),
        max: 1,
      });
      try {
        const url = `${vectorGateway.url}/webhooks/sendgrid`;
        const headers = {
          'X-Twilio-Email-Event-Webhook-Signature': publishedVector.signature,
          'X-Twilio-Email-Event-Webhook-Timestamp': publishedVector.timestamp,
        };
        const before = await databaseFingerprint(vectorPool);
        // The signature passes; the SDK's sample payload is one object, not SendGrid's event array,
        // so it is then refused as a body (400), never as a signature (401).
        const verified = await postJson(url, publishedVector.payload, headers);
        expect(verified.status).toBe(400);
        expect(verified.body).toMatchObject({
          error: { type: 'invalid_request_error', param: 'body' },
        });
        expect(await databaseFingerprint(vectorPool)).toEqual(before);
        await expectRefusedUnchanged(
          () => postJson(url, publishedVector.payload.replace('test_event', 'test_evenu'), headers),
          vectorPool,
        );
        // The gateway with our own key and the default tolerance refuses it (other key, 2020).
        await expectRefusedUnchanged(() =>
          postJson(`${gateway.url}/webhooks/sendgrid`, publishedVector.payload, headers),
        );
        rejected += 1;
      } finally {
        await vectorPool.end();
      }
    });

    it('events that overtake their tracked message are kept, counted, and applied when it lands', async () => {
      const chat = async (leadId: string) => {
        const response = await fetch(`${gateway.url}/v1/chat/completions`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-rekindle-lead-id': leadId,
            ...bearer(apiKey),
          },
          body: JSON.stringify({
            model: 'outreach',
            messages: [{ role: 'user', content: `Write to ${leadId}` }],
          }),
        });
        await response.text();
        expect(response.status).toBe(200);
        return response.headers.get('x-rekindle-outcome-id') ?? '';
      };
      const outcomeId = await chat('lead_fast');
      expect(
        (await getJson(`${gateway.url}/v1/outcomes/${outcomeId}`, bearer(apiKey))).status,
      ).toBe(404);
      const tag = randomUUID();
      const body = JSON.stringify([
        sendGridEvent(outcomeId, 'click', `${tag}-c`),
        sendGridEvent(outcomeId, 'delivered', `${tag}-d`),
      ]);
      const early = await postSendGrid(gateway.url, keys.privateKey, body);
      expect(early).toMatchObject({ status: 200, body: { status: 'processed', events: 2 } });
      expect(await storedStatuses(tag)).toEqual([
        { event_id: `${tag}-c`, status: 'unmatched' },
        { event_id: `${tag}-d`, status: 'unmatched' },
      ]);
      const exposition = await (await fetch(`${gateway.url}/metrics`)).text();
      const unmatched = { source: 'sendgrid', event: 'click', result: 'unmatched' };
      expect(metricValue(exposition, 'rekindle_webhook_events_total', unmatched)).toBe(1);

      // A second tracked message fills the batch; the insert picks up the events that named it.
      await chat('lead_second');
      const deadline = Date.now() + 20_000;
      let row = await getJson(`${gateway.url}/v1/outcomes/${outcomeId}`, bearer(apiKey));
      while (row.status === 404 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        row = await getJson(`${gateway.url}/v1/outcomes/${outcomeId}`, bearer(apiKey));
      }
      expect(row).toMatchObject({
        status: 200,
        body: { clicked: true, opened: true, delivered: true },
      });
      expect(await storedStatuses(tag)).toEqual([
        { event_id: `${tag}-c`, status: 'reconciled' },
        { event_id: `${tag}-d`, status: 'reconciled' },
      ]);
    });

    it('counts every refusal in rekindle_webhook_events_total{result="rejected"}', async () => {
      const exposition = await (await fetch(`${gateway.url}/metrics`)).text();
      const labels = { source: 'sendgrid', event: 'unknown', result: 'rejected' };
      expect(rejected).toBe(6);
      expect(metricValue(exposition, 'rekindle_webhook_events_total', labels)).toBe(rejected);
    });
  },
);
