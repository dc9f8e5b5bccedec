import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import { type OpenAIFake, startOpenAIFake } from '../../fakes/openai-fake.ts';
import { closeSharedPglite } from '../../helpers/pglite.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';
import { admin, chat, openaiClient, requestedModel } from './gateway-probes.ts';

/**
 * A model registered as `provider/model` (the way clients name models) is model `model` on
 * provider `provider`: it is stored without the prefix, reported as `provider/model` (or its
 * catalog name) rather than `provider/provider/model`, and sent upstream as `model`. Rows stored
 * with the prefix by other paths (`rekindle models register` over the store) route the same way.
 */
const token = 'admin-token-for-prefix-tests';
const llama = 'meta-llama/Meta-Llama-3.1-70B-Instruct-Turbo';

let together: OpenAIFake;
let gateway: RunningGateway;
const call = (method: string, path: string, body?: unknown) =>
  admin(gateway.url, token, method, path, body);

beforeAll(async () => {
  together = await startOpenAIFake({ style: 'together' });
  gateway = await startTestGateway({
    env: {
      TOGETHER_API_KEY: 'together-test',
      TOGETHER_BASE_URL: together.url,
      REKINDLE_ADMIN_TOKEN: token,
    },
    file: {
      routes: Object.fromEntries(
        ['p-sandbox', 'p-catalog', 'p-custom', 'p-legacy'].map((route) => [
          route,
          { models: ['sandbox/outreach-v1'] },
        ]),
      ),
    },
  });
});

afterAll(async () => {
  await gateway?.shutdown();
  await together?.close();
  await closeSharedPglite();
});

/** Registers over the admin API and makes it the route's baseline (all of its traffic). */
async function registerAsBaseline(route: string, body: Record<string, unknown>) {
  const registered = await call('POST', '/admin/models', { route, ...body });
  expect(registered.status).toBe(201);
  const baseline = await call('PUT', `/admin/routes/${route}/baseline`, {
    model_id: body.model_id,
  });
  expect(baseline.status).toBe(200);
  return registered.body as { model_id: string; provider: string };
}

describe('registering provider/model', () => {
  it('sandbox/outreach-v2: stored as outreach-v2 on sandbox, reported as sandbox/outreach-v2', async () => {
    const row = await registerAsBaseline('p-sandbox', {
      model_id: 'sandbox/outreach-v2',
      model_version: 'v2.0.0',
    });
    expect(row).toMatchObject({ provider: 'sandbox', model_id: 'outreach-v2' });
    const answer = await chat(openaiClient(gateway.url), { model: 'p-sandbox', leadId: 'lead-1' });
    expect(answer).toMatchObject({ model: 'sandbox/outreach-v2', modelVersion: 'v2.0.0' });
  });

  it('together/<catalog upstream>: the upstream gets its own id, the catalog name is reported', async () => {
    const row = await registerAsBaseline('p-catalog', {
      model_id: `together/${llama}`,
      model_version: 'llama-v1',
    });
    expect(row).toMatchObject({ provider: 'together', model_id: llama });
    const answer = await chat(openaiClient(gateway.url), { model: 'p-catalog' });
    expect(answer.model).toBe('llama-3.1-70b-instruct-turbo');
    expect(requestedModel(together.chatRequests().at(-1))).toBe(llama);
  });

  it('together/acme/…: not in the catalog, still sent as acme/… and reported once-prefixed', async () => {
    const row = await registerAsBaseline('p-custom', {
      model_id: 'together/acme/outreach-ft-7',
      model_version: 'acme-v7',
    });
    expect(row.model_id).toBe('acme/outreach-ft-7');
    const answer = await chat(openaiClient(gateway.url), { model: 'p-custom' });
    expect(answer.model).toBe('together/acme/outreach-ft-7');
    expect(requestedModel(together.chatRequests().at(-1))).toBe('acme/outreach-ft-7');
    // Named directly the way it was registered, it is the same deployment and version.
    const direct = await chat(openaiClient(gateway.url), { model: 'together/acme/outreach-ft-7' });
    expect(direct).toMatchObject({ model: 'together/acme/outreach-ft-7', modelVersion: 'acme-v7' });
    expect(requestedModel(together.chatRequests().at(-1))).toBe('acme/outreach-ft-7');
  });

  it('keeps ft: ids and a prefix naming another provider as they are', async () => {
    const fineTuned = await call('POST', '/admin/models', {
      route: 'p-custom',
      model_id: 'ft:gpt-4o-mini-2024-07-18:acme:outreach:abc123',
      provider: 'openai',
      model_version: 'ft-v1',
    });
    expect(fineTuned.body.model_id).toBe('ft:gpt-4o-mini-2024-07-18:acme:outreach:abc123');
    const otherPrefix = await call('POST', '/admin/models', {
      route: 'p-custom',
      model_id: 'sandbox/x-1',
      provider: 'together',
      model_version: 'other-v1',
    });
    expect(otherPrefix.body).toMatchObject({ provider: 'together', model_id: 'sandbox/x-1' });
  });

  it('a row stored with the prefix (not through the admin API) routes without doubling it', async () => {
    await gateway.store.registry.register({
      route: 'p-legacy',
      model_id: 'together/acme/legacy-1',
      provider: 'together',
      model_version: 'legacy-v1',
      actor: 'test',
    });
    await gateway.registry.reload();
    const baseline = await call('PUT', '/admin/routes/p-legacy/baseline', {
      model_version: 'legacy-v1',
    });
    expect(baseline.status).toBe(200);
    const answer = await chat(openaiClient(gateway.url), { model: 'p-legacy' });
    expect(answer).toMatchObject({ model: 'together/acme/legacy-1', modelVersion: 'legacy-v1' });
    expect(requestedModel(together.chatRequests().at(-1))).toBe('acme/legacy-1');
  });
});
