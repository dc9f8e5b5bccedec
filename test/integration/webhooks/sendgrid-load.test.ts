import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteTransport } from '../../../src/store/transports/pglite-transport.ts';
import { type GatewayProcess, startGatewayProcess } from '../../helpers/gateway-process.ts';
import { type PostgresServer, startPostgresServer } from '../../helpers/postgres-server.ts';
import { describeWithServices, postgresService } from '../../helpers/services.ts';
import { seededRandom } from '../../helpers/webhook-ingest-model.ts';
import { generateSendGridKeyPair } from '../../helpers/webhook-signing.ts';
import { metricSamples } from './gateway-client.ts';
import {
  createLoadOutcomes,
  eventMismatches,
  expectedOutcomeCounts,
  expectedWebhookCounts,
  outcomeMismatches,
  type Query,
  storedEvents,
} from './load-fixture.ts';
import {
  clicksBeforeDelivery,
  deliveriesOf,
  expectedRows,
  type LoadEvent,
  type LoadOutcome,
  makeSendGridLoad,
} from './sendgrid-load.ts';
import { type SendReport, sendDeliveries } from './webhook-sender.ts';

/**
 * Issue 5, must show 2, over real HTTP: 10,000 signed SendGrid events over 300 outcomes created
 * through the gateway, batches of 10–90 posted twice each in shuffled order over 50 concurrent
 * connections (clicks before deliveries, machine opens, bounces, unsubscribes, events for unknown
 * outcomes and for another organization, malformed elements). At the end outcome_labels equals the
 * independent model column by column, webhook_events holds each event once with the right status,
 * and /metrics counts exactly what happened.
 */
const organizationId = 'org_load';
const eventCount = 10_000;
const outcomeCount = 300;
const connections = 50;

interface LoadRun {
  outcomes: LoadOutcome[];
  events: LoadEvent[];
  report: SendReport;
  deliveries: number;
  clicksFirst: number;
  exposition: string;
}

async function runLoad(gateway: GatewayProcess, seed: number, tag: string): Promise<LoadRun> {
  const random = seededRandom(seed);
  const setupStarted = performance.now();
  const outcomes = await createLoadOutcomes(
    gateway.url,
    gateway.apiKeys[0]?.key ?? '',
    organizationId,
    outcomeCount,
  );
  const setupMs = performance.now() - setupStarted;
  const events = makeSendGridLoad(random, outcomes, eventCount, tag);
  const deliveries = deliveriesOf(events, random);
  const report = await sendDeliveries({
    url: () => gateway.url,
    privateKey: signingKeys.privateKey,
    deliveries,
    connections,
    // Nothing may fail here (a deadlock or a 5xx is a bug): report it rather than retry it away.
    maxAttempts: 1,
  });
  console.log(
    `[${tag}] ${outcomeCount} outcomes in ${Math.round(setupMs)} ms; ${eventCount} events in ` +
      `${deliveries.length} signed posts over ${connections} connections in ` +
      `${Math.round(report.elapsedMs)} ms (${Math.round((deliveries.length / report.elapsedMs) * 1000)} posts/s)`,
  );
  const exposition = await (await fetch(`${gateway.url}/metrics`)).text();
  expect(report.failures).toEqual({});
  const bodiesOk = deliveries.every((delivery, position) => {
    const body = report.bodies[position] as { status?: unknown; events?: unknown } | undefined;
    return body?.status === 'processed' && body.events === delivery.keys.length;
  });
  expect(bodiesOk).toBe(true);
  expect(report.attempts).toBe(deliveries.length);
  return {
    outcomes,
    events,
    report,
    deliveries: deliveries.length,
    clicksFirst: clicksBeforeDelivery(events, deliveries),
    exposition,
  };
}

async function checkDatabase(query: Query, run: LoadRun, tag: string) {
  // The scenario really had what it claims: out-of-order pairs, every status.
  expect(run.clicksFirst).toBeGreaterThan(5);
  const statuses = new Set(run.events.map((event) => event.expectedStatus));
  expect([...statuses].sort()).toEqual(['applied', 'ignored', 'unmatched']);

  const expected = expectedRows(run.events, run.outcomes);
  expect(await outcomeMismatches(query, run.outcomes, expected)).toEqual([]);
  expect(eventMismatches(run.events, await storedEvents(query, tag))).toEqual([]);
  const [total] = await query(
    `select count(*)::int as count from public.webhook_events where source = 'sendgrid'`,
  );
  expect(total?.count).toBe(eventCount);
}

function checkMetrics(run: LoadRun) {
  const webhookSamples = metricSamples(run.exposition, 'rekindle_webhook_events_total')
    .filter((sample) => sample.labels.source === 'sendgrid')
    .map((sample) => [`${sample.labels.event}|${sample.labels.result}`, sample.value] as const);
  expect(new Map(webhookSamples)).toEqual(expectedWebhookCounts(run.events));
  const outcomeSamples = metricSamples(run.exposition, 'rekindle_outcomes_total').map(
    (sample) =>
      [
        `${sample.labels.route}|${sample.labels.model_version}|${sample.labels.event}`,
        sample.value,
      ] as const,
  );
  const expected = expectedOutcomeCounts(run.outcomes, expectedRows(run.events, run.outcomes));
  expect(new Map(outcomeSamples)).toEqual(expected);
}

const signingKeys = generateSendGridKeyPair();
const postgres = postgresService();

describeWithServices([postgres], 'SendGrid load over HTTP (gateway process, PostgreSQL 15)', () => {
  let server: PostgresServer;
  let pool: pg.Pool;
  let gateway: GatewayProcess;
  let run: LoadRun;

  beforeAll(async () => {
    server = await startPostgresServer();
    const databaseUrl = await server.database('webhook_load');
    pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    gateway = await startGatewayProcess({
      databaseUrl,
      env: { SENDGRID_WEBHOOK_PUBLIC_KEY: signingKeys.publicKeyBase64, LOG_LEVEL: 'warn' },
      apiKeys: [{ organizationId }],
    });
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    await pool?.end();
    await server?.stop();
  });

  it('ends exactly as if each event was applied once; webhook_events holds each once', async () => {
    run = await runLoad(gateway, 20261128, 'pg');
    const query: Query = async (sql, params) => (await pool.query(sql, [...(params ?? [])])).rows;
    await checkDatabase(query, run, 'pg');
  }, 120_000);

  it('GET /metrics counts every event by source, event and result, and each stage an outcome reached once', () => {
    expect(run).toBeDefined();
    checkMetrics(run);
  });
});

describe('SendGrid load over HTTP (gateway process, PGlite)', () => {
  let dataDir: string;
  let gateway: GatewayProcess;
  let run: LoadRun;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'rekindle-load-pglite-'));
    gateway = await startGatewayProcess({
      dataDir,
      env: { SENDGRID_WEBHOOK_PUBLIC_KEY: signingKeys.publicKeyBase64, LOG_LEVEL: 'warn' },
      apiKeys: [{ organizationId }],
    });
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    if (dataDir) {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('ends exactly as if each event was applied once, and the metrics agree', async () => {
    run = await runLoad(gateway, 7, 'pglite');
    checkMetrics(run);
    // One process owns a PGlite directory: stop the gateway, then read what it left on disk.
    expect(await gateway.stop()).toMatchObject({ code: 0 });
    const transport = await PgliteTransport.open({ dataDir });
    try {
      const query: Query = async (sql, params) =>
        (await transport.database.query<Record<string, unknown>>(sql, [...(params ?? [])])).rows;
      await checkDatabase(query, run, 'pglite');
    } finally {
      await transport.close();
    }
  }, 180_000);
});
