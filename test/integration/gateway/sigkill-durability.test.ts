import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { Agent, request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { PgliteTransport } from '../../../src/store/transports/pglite-transport.ts';
import { type GatewayProcess, startGatewayProcess } from '../../helpers/gateway-process.ts';
import { type PostgresServer, startPostgresServer } from '../../helpers/postgres-server.ts';
import { describeWithServices, itWithServices, postgresService } from '../../helpers/services.ts';

/**
 * Issue 15, Must show 3: SIGKILL under ~200 req/s of tracked chat plus SendGrid webhooks, restart,
 * and every acknowledged outcome id and webhook event has its row. The buffer here never flushes
 * on its own (long interval, huge batch), so every tracked row the kill catches must come back from
 * the journal; a webhook is acknowledged only after its commit, so its events need no journal.
 */
const chatsPerSecond = 200;
const webhooksPerSecond = 20;
/** The kill comes once this many tracked chats were acknowledged (at most after maxLoadMs). */
const killAfter = 300;
const maxLoadMs = 60_000;
const agent = new Agent({ connections: 64, keepAliveTimeout: 30_000 });
let postgres: PostgresServer | undefined;
const gateways: GatewayProcess[] = [];

afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.stop()));
  await agent.close();
  await postgres?.stop();
});

interface Acknowledged {
  readonly outcomeIds: string[];
  readonly eventIds: string[];
}

const config = {
  providers: { sandbox: { type: 'sandbox', sandbox_latency_ms: 5 } },
  rate_limit: { default_rpm: 1_000_000 },
  tracking: { flush_interval_ms: 600_000, batch_size: 50_000 },
};

describe('SIGKILL under tracked load on PGlite', () => {
  it('keeps every acknowledged tracked message and webhook event', async () => {
    const gateway = await startGatewayProcess({ config, readyTimeoutMs: 180_000 });
    gateways.push(gateway);
    const acknowledged = await loadThenKill(gateway);
    await gateway.restart();
    const replayed = await replayedCount(gateway);
    expect(await gateway.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    const transport = await PgliteTransport.open({ dataDir: gateway.dataDir as string });
    try {
      const query = async (sql: string, ids: string[]) =>
        (await transport.database.query<{ count: number }>(sql, [ids])).rows[0]?.count;
      await expectAllStored(acknowledged, query, replayed);
    } finally {
      await transport.close();
    }
  }, 400_000);
});

describeWithServices([postgresService()], 'SIGKILL under tracked load on PostgreSQL', () => {
  itWithServices(
    [postgresService()],
    'keeps every acknowledged tracked message and webhook event',
    async () => {
      postgres = await startPostgresServer();
      const gateway = await startGatewayProcess({
        config,
        databaseUrl: postgres.url,
        readyTimeoutMs: 180_000,
      });
      gateways.push(gateway);
      const acknowledged = await loadThenKill(gateway);
      await gateway.restart();
      const replayed = await replayedCount(gateway);
      const client = new pg.Client({ connectionString: postgres.url });
      await client.connect();
      try {
        const query = async (sql: string, ids: string[]) =>
          (await client.query<{ count: number }>(sql, [ids])).rows[0]?.count;
        await expectAllStored(acknowledged, query, replayed);
      } finally {
        await client.end();
      }
    },
    400_000,
  );
});

/**
 * Open-loop load (after a warm-up), SIGKILL once `killAfter` chats were acknowledged (the kill
 * then lands among requests in flight and rows only the journal holds), then what was acknowledged.
 */
async function loadThenKill(gateway: GatewayProcess): Promise<Acknowledged> {
  await Promise.all(Array.from({ length: 10 }, (_, index) => trackedChat(gateway.url, -index)));
  const outcomeIds: string[] = [];
  const eventIds: string[] = [];
  const pending: Array<Promise<unknown>> = [];
  let sent = 0;
  let running = true;
  const started = performance.now();
  const schedule = async (perSecond: number, send: () => Promise<unknown>) => {
    for (let index = 0; running; index += 1) {
      const due = started + (index * 1000) / perSecond;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      if (running) {
        pending.push(send());
      }
    }
  };
  const load = Promise.all([
    schedule(chatsPerSecond, async () => {
      sent += 1;
      const id = await trackedChat(gateway.url, sent);
      if (id !== null) {
        outcomeIds.push(id);
      }
    }),
    schedule(webhooksPerSecond, async () => eventIds.push(...(await sendGridBatch(gateway.url)))),
  ]);
  while (outcomeIds.length < killAfter && performance.now() - started < maxLoadMs) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const killed = await gateway.kill('SIGKILL');
  running = false;
  await load;
  await Promise.all(pending);
  expect(killed).toEqual({ code: null, signal: 'SIGKILL' });
  const seconds = (performance.now() - started) / 1000;
  console.info(
    `SIGKILL after ${seconds.toFixed(1)} s: ${sent} chats sent (${(sent / seconds).toFixed(0)}/s), ${outcomeIds.length} acknowledged, ${eventIds.length} webhook events acknowledged`,
  );
  return { outcomeIds, eventIds };
}

async function expectAllStored(
  acknowledged: Acknowledged,
  query: (sql: string, ids: string[]) => Promise<number | undefined>,
  replayed: number,
): Promise<void> {
  // The kill must have caught tracked rows that only the journal still held.
  expect(acknowledged.outcomeIds.length).toBeGreaterThanOrEqual(killAfter);
  expect(acknowledged.eventIds.length).toBeGreaterThan(0);
  expect(replayed).toBeGreaterThan(0);
  const outcomes = await query(
    'select count(*)::int as count from outcome_labels where id = any($1::uuid[])',
    acknowledged.outcomeIds,
  );
  expect(outcomes).toBe(acknowledged.outcomeIds.length);
  const events = await query(
    "select count(*)::int as count from webhook_events where source = 'sendgrid' and event_id = any($1::text[])",
    acknowledged.eventIds,
  );
  expect(events).toBe(acknowledged.eventIds.length);
}

async function replayedCount(gateway: GatewayProcess): Promise<number> {
  const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
  const match = /^rekindle_tracking_journal_replayed_total (\d+)/m.exec(metrics);
  return Number(match?.[1] ?? 0);
}

async function trackedChat(url: string, index: number): Promise<string | null> {
  try {
    const response = await request(`${url}/v1/chat/completions`, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json', 'x-rekindle-lead-id': `lead-${index}` },
      body: JSON.stringify({
        model: 'outreach',
        messages: [{ role: 'user', content: `Write to lead ${index}.` }],
      }),
    });
    await response.body.arrayBuffer();
    const outcomeId = response.headers['x-rekindle-outcome-id'];
    return response.statusCode === 200 && typeof outcomeId === 'string' ? outcomeId : null;
  } catch {
    // Reset by the kill: not acknowledged, so nothing is owed.
    return null;
  }
}

async function sendGridBatch(url: string): Promise<string[]> {
  const eventIds = [randomUUID(), randomUUID(), randomUUID()];
  try {
    const response = await request(`${url}/webhooks/sendgrid`, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        eventIds.map((id) => ({
          event: 'delivered',
          timestamp: Math.floor(Date.now() / 1000),
          sg_event_id: id,
          sg_message_id: `msg-${id}`,
          email: 'lead@example.com',
        })),
      ),
    });
    await response.body.arrayBuffer();
    return response.statusCode === 200 ? eventIds : [];
  } catch {
    return [];
  }
}
