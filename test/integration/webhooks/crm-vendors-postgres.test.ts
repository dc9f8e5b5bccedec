import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { crmFixture } from '../../helpers/crm-fixtures.ts';
import { type GatewayProcess, startGatewayProcess } from '../../helpers/gateway-process.ts';
import { type PostgresServer, startPostgresServer } from '../../helpers/postgres-server.ts';
import { describeWithServices, postgresService } from '../../helpers/services.ts';
import {
  type CrmTestBackend,
  crmTestEnv,
  crmTestFile,
  outcome,
  storedEvent,
  track,
} from './crm-vendor-backend.ts';
import { pipedriveScenarios } from './pipedrive-scenarios.ts';
import {
  expectAck,
  postSoap,
  salesforceScenarios,
  salesforceValues,
} from './salesforce-scenarios.ts';

/**
 * Pipedrive and Salesforce webhooks over real HTTP against the gateway process on PostgreSQL 15,
 * configured the way an operator does it (environment + config file). Every refused request must
 * leave outcome_labels and webhook_events exactly as they were.
 */
const postgres = postgresService();
const organizationId = 'org_crm_vendors';

describeWithServices(
  [postgres],
  'Pipedrive and Salesforce webhooks (gateway process, PostgreSQL)',
  () => {
    let server: PostgresServer;
    let pool: pg.Pool;
    let gateway: GatewayProcess;
    let backend: CrmTestBackend;

    beforeAll(async () => {
      server = await startPostgresServer();
      const databaseUrl = await server.database('webhook_crm_vendors');
      pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
      gateway = await startGatewayProcess({
        databaseUrl,
        env: crmTestEnv,
        config: crmTestFile,
        apiKeys: [{ organizationId }],
      });
      backend = {
        url: gateway.url,
        organizationId,
        apiKey: gateway.apiKeys[0]?.key ?? '',
        query: async (sql, params) =>
          (await pool.query<Record<string, unknown>>(sql, params === undefined ? [] : [...params]))
            .rows,
      };
    }, 120_000);

    afterAll(async () => {
      await gateway?.stop();
      await pool?.end();
      await server?.stop();
    });

    pipedriveScenarios(() => backend);
    salesforceScenarios(() => backend);

    it('the Ack waits for the commit: while webhook_events is locked Salesforce gets no answer', async () => {
      const outcomeId = await track(backend);
      const won = salesforceValues({ outcome_id: outcomeId });
      const xml = crmFixture('salesforce-opportunity-won.xml', won);
      // EXCLUSIVE conflicts with the ROW EXCLUSIVE lock every insert takes: the ingest must wait.
      const blocker = await pool.connect();
      let answered = false;
      let pending: ReturnType<typeof postSoap> | undefined;
      try {
        await blocker.query('begin');
        await blocker.query('lock table public.webhook_events in exclusive mode');
        pending = postSoap(`${backend.url}/webhooks/crm/salesforce`, xml).finally(() => {
          answered = true;
        });
        await new Promise((resolve) => setTimeout(resolve, 1500));
        expect(answered).toBe(false);
      } finally {
        await blocker.query('rollback');
        blocker.release();
      }
      expect(pending).toBeDefined();
      expectAck(await (pending ?? Promise.reject(new Error('not sent'))));
      expect(await storedEvent(backend, 'salesforce', won.notification_id)).toMatchObject({
        status: 'applied',
      });
      expect(await outcome(backend, outcomeId)).toMatchObject({ deal_closed: true });
    });
  },
);
