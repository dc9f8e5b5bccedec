import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import { closeSharedPglite } from '../../helpers/pglite.ts';
import { sharedStore, startTestGateway } from '../../helpers/test-gateway.ts';

/**
 * POST /v1/outcomes with only a model id (ARCHITECTURE §6) against a whole gateway: the stored
 * outcome gets its route, version and provider from the registry, and a SendGrid event that carries
 * only SendGrid's message id (no rekindle_outcome_id custom arg) lands on it.
 */
describe('the tracking API with the registry and SendGrid message ids', () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    const store = await sharedStore();
    const registry = store.registry;
    await registry.register({
      route: 'cf_http',
      model_id: 'ft:gpt-4o-mini:acme:http',
      provider: 'openai',
      model_version: 'cf-http-v1',
    });
    gateway = await startTestGateway({ store });
  });

  afterAll(async () => {
    await gateway?.shutdown();
    await closeSharedPglite();
  });

  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${gateway.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const outcome = async (id: string) =>
    (await (await fetch(`${gateway.url}/v1/outcomes/${id}`)).json()) as Record<string, unknown>;

  it('fills route and version from the registry and links a SendGrid event by sg_message_id', async () => {
    const tracked = await post('/v1/outcomes', {
      campaign_id: 'q4',
      lead_id: 'lead_http',
      message_body: 'Hi Dana, quick idea for Initech.',
      model_id: 'ft:gpt-4o-mini:acme:http',
      sg_message_id: 'cfHttpMsg.1',
    });
    expect(tracked.status).toBe(200);
    const id = String(tracked.body.outcome_id);
    expect(await outcome(id)).toMatchObject({
      route: 'cf_http',
      model_version: 'cf-http-v1',
      provider: 'openai',
      sg_message_id: 'cfHttpMsg.1',
      delivered: false,
    });

    const webhook = await post('/webhooks/sendgrid', [
      {
        email: 'dana@initech.example',
        event: 'delivered',
        timestamp: Math.floor(Date.now() / 1000),
        sg_event_id: 'cf-http-delivered',
        sg_message_id: 'cfHttpMsg.1.filter0001.16648.5515E0B88.0',
      },
    ]);
    expect(webhook).toEqual({ status: 200, body: { status: 'processed', events: 1 } });
    expect(await outcome(id)).toMatchObject({ delivered: true });
  });

  it('defaults the route to outreach for a model the registry does not know', async () => {
    const tracked = await post('/v1/outcomes', {
      lead_id: 'lead_http_2',
      message_body: 'Hello',
      model_id: 'claude-3-5-haiku-latest',
    });
    expect(await outcome(String(tracked.body.outcome_id))).toMatchObject({
      route: 'outreach',
      model_version: null,
      model_id: 'claude-3-5-haiku-latest',
      sg_message_id: null,
    });
  });

  it('refuses an empty sg_message_id with the failing param', async () => {
    const refused = await post('/v1/outcomes', {
      lead_id: 'lead_http_3',
      message_body: 'Hello',
      sg_message_id: '  ',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ param: 'sg_message_id' });
  });
});
