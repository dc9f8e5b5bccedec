import { afterAll, beforeAll } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import { closeSharedPglite, sharedPglite } from '../../helpers/pglite.ts';
import { sharedStore, startTestGateway } from '../../helpers/test-gateway.ts';
import { type CrmTestBackend, crmTestEnv, crmTestFile } from './crm-vendor-backend.ts';
import { pipedriveScenarios } from './pipedrive-scenarios.ts';
import { salesforceScenarios } from './salesforce-scenarios.ts';

/**
 * Pipedrive and Salesforce webhooks through the whole gateway in this process, on the real
 * migrations over PGlite (the embedded default store). The same scenarios run against the gateway
 * process on PostgreSQL in crm-vendors-postgres.test.ts.
 */
const organizationId = 'org_crm_vendors';
let gateway: RunningGateway;
let backend: CrmTestBackend;

beforeAll(async () => {
  const store = await sharedStore();
  const { executor } = await sharedPglite();
  const apiKey = (await store.apiKeys.create({ organizationId })).key;
  gateway = await startTestGateway({ store, env: crmTestEnv, file: crmTestFile });
  backend = {
    url: gateway.url,
    organizationId,
    apiKey,
    query: (sql, params) =>
      executor.query<Record<string, unknown>>(sql, params === undefined ? undefined : [...params]),
  };
}, 120_000);

afterAll(async () => {
  await gateway?.shutdown();
  await closeSharedPglite();
});

pipedriveScenarios(() => backend);
salesforceScenarios(() => backend);
