import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type GatewayProcess, startGatewayProcess } from '../../helpers/gateway-process.ts';
import { type PostgresServer, startPostgresServer } from '../../helpers/postgres-server.ts';
import { describeWithServices, postgresService } from '../../helpers/services.ts';
import { seededRandom } from '../../helpers/webhook-ingest-model.ts';
import { generateSendGridKeyPair } from '../../helpers/webhook-signing.ts';
import {
  createLoadOutcomes,
  eventMismatches,
  outcomeMismatches,
  type Query,
  storedEvents,
} from './load-fixture.ts';
import { deliveriesOf, expectedRows, makeSendGridLoad } from './sendgrid-load.ts';
import { sendDeliveries } from './webhook-sender.ts';

/**
 * Issue 5, must show 3: the gateway process is killed with SIGKILL in the middle of the 10,000-event
 * load (about 50 requests in flight) and started again on the same port. Right after the kill, before
 * anything is retried, every event of every acknowledged batch must already be in PostgreSQL (the 2xx
 * came after the commit). The sender then resends every batch that did not get a 2xx until it does,
 * and the final rows must equal the model, each event stored once.
 */
const postgres = postgresService();
const organizationId = 'org_kill';

interface KillSnapshot {
  /** Deliveries acknowledged when the process was dead. */
  acknowledged: number;
  /** Events of acknowledged deliveries that were not in the database. */
  missing: string[];
  /** Events committed whose response the sender never got (their retry must be a no-op). */
  storedUnacknowledged: number;
}

describeWithServices([postgres], 'SIGKILL in the middle of the webhook load (PostgreSQL)', () => {
  let server: PostgresServer;
  let pool: pg.Pool;
  let gateway: GatewayProcess;
  const signingKeys = generateSendGridKeyPair();

  beforeAll(async () => {
    server = await startPostgresServer();
    const databaseUrl = await server.database('webhook_kill');
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

  it('every acknowledged event survives the kill; the retries complete the set exactly once', async () => {
    const query: Query = async (sql, params) => (await pool.query(sql, [...(params ?? [])])).rows;
    const random = seededRandom(5150);
    const outcomes = await createLoadOutcomes(
      gateway.url,
      gateway.apiKeys[0]?.key ?? '',
      organizationId,
      300,
    );
    const events = makeSendGridLoad(random, outcomes, 10_000, 'kill');
    const deliveries = deliveriesOf(events, random);
    const acknowledged: number[] = [];
    const snapshots: KillSnapshot[] = [];
    let killAndRestart: Promise<void> | null = null;
    const killAfter = Math.floor(deliveries.length * 0.4);

    const report = await sendDeliveries({
      url: () => gateway.url,
      privateKey: signingKeys.privateKey,
      deliveries,
      connections: 50,
      retryDelayMs: 100,
      onAcknowledged: (position, count) => {
        acknowledged.push(position);
        if (count === killAfter) {
          killAndRestart = (async () => {
            const exit = await gateway.kill('SIGKILL');
            expect(exit.signal).toBe('SIGKILL');
            // Every ack so far came from the dead process; nothing has been retried yet.
            const ackedKeys = new Set(acknowledged.flatMap((each) => deliveries[each]?.keys ?? []));
            const stored = await storedEvents(query, 'kill');
            snapshots.push({
              acknowledged: acknowledged.length,
              missing: [...ackedKeys].filter((key) => !stored.has(key)),
              storedUnacknowledged: [...stored.keys()].filter((key) => !ackedKeys.has(key)).length,
            });
            await gateway.restart();
          })();
        }
      },
    });
    await killAndRestart;
    const failedAttempts = Object.values(report.failures).reduce((sum, count) => sum + count, 0);
    console.log(
      `[kill] SIGKILL after ${killAfter}/${deliveries.length} acknowledged posts: ` +
        `${JSON.stringify(snapshots.map((each) => ({ ...each, missing: each.missing.length })))}; ` +
        `${report.attempts} attempts, failures ${JSON.stringify(report.failures)}; ` +
        `${Math.round(report.elapsedMs)} ms in all`,
    );

    expect(snapshots).toHaveLength(1);
    const [snapshot] = snapshots as [KillSnapshot];
    expect(snapshot.acknowledged).toBeGreaterThanOrEqual(killAfter);
    expect(snapshot.missing).toEqual([]);
    // The kill did hit the load: requests failed and were sent again.
    expect(failedAttempts).toBeGreaterThan(0);
    expect(report.attempts).toBe(deliveries.length + failedAttempts);

    expect(await outcomeMismatches(query, outcomes, expectedRows(events, outcomes))).toEqual([]);
    expect(eventMismatches(events, await storedEvents(query, 'kill'))).toEqual([]);
  }, 180_000);
});
