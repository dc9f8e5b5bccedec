import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, readEnv } from '../../../src/config/index.ts';
import { renderError } from '../../../src/gateway/error-handler.ts';
import type { GatewayEnv } from '../../../src/gateway/gateway-dependencies.ts';
import { registerWebhooks } from '../../../src/gateway/routes/webhooks.ts';
import { createLogger, createMetrics } from '../../../src/metrics/index.ts';
import { WebhookEventsStore } from '../../../src/store/webhook-events-store.ts';
import { basicAuthorization, crmFixture, newSalesforceId } from '../../helpers/crm-fixtures.ts';
import { closeSharedPglite, sharedPglite } from '../../helpers/pglite.ts';

/**
 * The Pipedrive and Salesforce endpoints on a gateway whose credentials for them are not set: open
 * for development on a loopback bind, refused (401, nothing stored) on any other bind — an upgrade
 * must never add an unauthenticated write path to a public gateway. No socket is opened: the app is
 * called with `app.request()`, so `server.host` only decides the policy.
 */
let store: WebhookEventsStore;
let events: () => Promise<number>;

beforeAll(async () => {
  const transport = await sharedPglite();
  store = new WebhookEventsStore(transport);
  events = async () =>
    Number(
      (
        await transport.executor.query<{ n: number }>(
          'select count(*)::int as n from webhook_events',
        )
      )[0]?.n,
    );
}, 120_000);

afterAll(() => closeSharedPglite());

function gatewayApp(env: Record<string, string>) {
  const config = loadConfig({ env: readEnv({ PORT: '0', ...env }), rawEnv: env, file: {} });
  const lines: string[] = [];
  const logger = createLogger({ level: 'warn', write: (line) => lines.push(line) });
  const metrics = createMetrics();
  const app = new Hono<GatewayEnv>();
  registerWebhooks(app, { config, store, metrics, logger });
  app.onError((error, context) => renderError(context, error, logger));
  return { app, lines, metrics };
}

const pipedriveBody = () =>
  crmFixture('pipedrive-deal-won.json', {
    company_id: '7730412',
    event_id: randomUUID(),
    deal_id: 4711,
    outcome_id: '',
    lead_id: '',
  });
const soapBody = () =>
  crmFixture('salesforce-opportunity-won.xml', {
    organization_id: '00D5e000000KQ2eEAG',
    notification_id: newSalesforceId('04l'),
    opportunity_id: newSalesforceId('006'),
    outcome_id: '',
  });
const post = (app: Hono<GatewayEnv>, path: string, body: string, headers: Record<string, string>) =>
  app.request(path, { method: 'POST', body, headers });
const json = { 'content-type': 'application/json' };
const xml = { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' };

describe('Pipedrive and Salesforce endpoints without their credentials', () => {
  it('refuse every request on a non-loopback bind, store nothing, and say what to set', async () => {
    const { app, lines } = gatewayApp({ HOST: '0.0.0.0' });
    expect(lines.join('\n')).toMatch(
      /\/webhooks\/crm\/pipedrive refuses every request until it is/,
    );
    const before = await events();

    const pipedrive = await post(app, '/webhooks/crm/pipedrive', pipedriveBody(), json);
    expect(pipedrive.status).toBe(401);
    expect(await pipedrive.json()).toEqual({
      error: {
        message: expect.stringContaining('PIPEDRIVE_WEBHOOK_USER/PIPEDRIVE_WEBHOOK_PASSWORD'),
        type: 'authentication_error',
        param: null,
        code: 'webhook_not_configured',
      },
    });
    const salesforce = await post(app, '/webhooks/crm/salesforce', soapBody(), xml);
    expect(salesforce.status).toBe(401);
    expect(salesforce.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await salesforce.text()).toMatch(
      /<faultcode>soapenv:Client<\/faultcode><faultstring>[^<]*set SALESFORCE_ORGANIZATION_ID/,
    );
    const flow = await post(app, '/webhooks/crm/salesforce/flow', '{"records": []}', json);
    expect(await flow.json()).toMatchObject({ error: { code: 'webhook_not_configured' } });
    expect(await events()).toBe(before);
  });

  it('take requests on a loopback bind (development), with a warning at start', async () => {
    const { app, lines } = gatewayApp({ HOST: '127.0.0.1' });
    expect(lines.join('\n')).toMatch(/\/webhooks\/crm\/pipedrive accepts unauthenticated requests/);
    const before = await events();
    const pipedrive = await post(app, '/webhooks/crm/pipedrive', pipedriveBody(), json);
    expect({ status: pipedrive.status, body: await pipedrive.json() }).toEqual({
      status: 200,
      body: { status: 'processed' },
    });
    const salesforce = await post(app, '/webhooks/crm/salesforce', soapBody(), xml);
    expect(salesforce.status).toBe(200);
    expect(await salesforce.text()).toContain('<Ack>true</Ack>');
    expect(await events()).toBe(before + 2);
  });

  it('with credentials set, a public bind works as configured', async () => {
    const { app } = gatewayApp({
      HOST: '0.0.0.0',
      PIPEDRIVE_WEBHOOK_USER: 'pd',
      PIPEDRIVE_WEBHOOK_PASSWORD: 'secret-pass',
      SALESFORCE_ORGANIZATION_ID: '00D5e000000KQ2e',
    });
    const auth = { ...json, ...basicAuthorization('pd', 'secret-pass') };
    expect((await post(app, '/webhooks/crm/pipedrive', pipedriveBody(), auth)).status).toBe(200);
    expect((await post(app, '/webhooks/crm/salesforce', soapBody(), xml)).status).toBe(200);
  });
});
