import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import type { ModelRegistryStore } from '../../../src/store/model-registry-store.ts';
import { type OpenAIFake, startOpenAIFake } from '../../fakes/openai-fake.ts';
import { closeSharedPglite } from '../../helpers/pglite.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';
import { admin, chat, openaiClient, requestedModel } from '../router/gateway-probes.ts';

const token = 'admin-token-for-registry-tests';

describe('registry admin API over HTTP', () => {
  let upstream: OpenAIFake;
  /** A self-hosted OpenAI-compatible server (vLLM, Ollama…) under its own provider id. */
  let selfHosted: OpenAIFake;
  let gateway: RunningGateway;
  let registryStore: ModelRegistryStore;
  const call = (method: string, path: string, body?: unknown) =>
    admin(gateway.url, token, method, path, body);

  beforeAll(async () => {
    upstream = await startOpenAIFake();
    selfHosted = await startOpenAIFake();
    gateway = await startTestGateway({
      env: {
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: upstream.url,
        REKINDLE_ADMIN_TOKEN: token,
      },
      file: {
        providers: {
          vllm: { type: 'openai-compatible', base_url: selfHosted.url, api_key: 'local' },
        },
        routes: {
          outreach: { models: ['gpt-4o-mini'] },
          cold: { models: ['gpt-4o-mini'] },
          selfhost: { models: ['gpt-4o-mini'] },
        },
        rate_limit: { default_rpm: 100_000 },
      },
    });
    registryStore = gateway.store.registry;
  });

  afterAll(async () => {
    await gateway?.shutdown();
    await upstream?.close();
    await selfHosted?.close();
    await closeSharedPglite();
  });

  it('answers 401 with the OpenAI envelope without the admin token, on every admin endpoint', async () => {
    const endpoints: Array<[string, string, unknown?]> = [
      ['GET', '/admin/models'],
      ['POST', '/admin/models', { model_id: 'gpt-4o', model_version: 'x' }],
      ['POST', '/admin/models/x/deploy', { traffic_percentage: 10 }],
      ['POST', '/admin/models/x/promote'],
      ['POST', '/admin/models/x/deprecate'],
      ['POST', '/admin/models/x/rollback'],
      ['PUT', '/admin/routes/outreach/baseline', { model_version: 'x' }],
      ['GET', '/admin/router/report'],
    ];
    for (const [method, path, body] of endpoints) {
      for (const given of [null, 'wrong-token']) {
        const answer = await admin(gateway.url, given, method, path, body);
        expect(answer.status, `${method} ${path} with ${given}`).toBe(401);
        expect(answer.body.error).toMatchObject({ code: 'invalid_api_key' });
        expect(Object.keys(answer.body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
      }
    }
    expect(await registryStore.list('x-route-never-touched')).toEqual([]);
  });

  it('registers, sets the baseline and deploys; a route never holds more than 100 % of traffic', async () => {
    const registered = await call('POST', '/admin/models', {
      route: 'cold',
      model_id: 'gpt-4o-mini',
      model_version: 'cold-v1',
    });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({
      route: 'cold',
      model_id: 'gpt-4o-mini',
      provider: 'openai',
      model_version: 'cold-v1',
      status: 'registered',
      is_baseline: false,
    });
    const conflicting = await call('POST', '/admin/models', {
      route: 'cold',
      model_id: 'gpt-4o',
      model_version: 'cold-v1',
    });
    expect(conflicting.status).toBe(409);
    expect(conflicting.body.error.code).toBe('registry_conflict');

    const baseline = await call('PUT', '/admin/routes/cold/baseline', { model_version: 'cold-v1' });
    expect(baseline.status).toBe(200);
    expect(baseline.body).toMatchObject({ is_baseline: true, status: 'active' });

    for (const version of ['cold-v2', 'cold-v3']) {
      const answer = await call('POST', '/admin/models', {
        route: 'cold',
        model_id: 'gpt-4o',
        model_version: version,
      });
      expect(answer.status).toBe(201);
    }
    const deployed = await call('POST', '/admin/models/cold-v2/deploy', {
      traffic_percentage: 60,
      ab_test_group: 'B',
    });
    expect(deployed.status).toBe(200);
    expect(deployed.body).toMatchObject({
      status: 'testing',
      traffic_percentage: 60,
      ab_test_group: 'B',
    });

    const tooMuch = await call('POST', '/admin/models/cold-v3/deploy', { traffic_percentage: 41 });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'invalid_registry_change',
    });
    expect(tooMuch.body.error.message).toMatch(/at most 100/);
    for (const percentage of [0, -5, 101]) {
      const invalid = await call('POST', '/admin/models/cold-v3/deploy', {
        traffic_percentage: percentage,
      });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.type).toBe('invalid_request_error');
    }
    // Exactly the rest still fits; raising a deployed variant counts only its new share.
    expect(
      (await call('POST', '/admin/models/cold-v3/deploy', { traffic_percentage: 40 })).status,
    ).toBe(200);
    expect(
      (await call('POST', '/admin/models/cold-v2/deploy', { traffic_percentage: 61 })).status,
    ).toBe(400);
    expect(
      (await call('POST', '/admin/models/cold-v2/deploy', { traffic_percentage: 20 })).status,
    ).toBe(200);

    const rows = await registryStore.list('cold');
    const testing = rows.filter((row) => row.status === 'testing');
    expect(testing.reduce((sum, row) => sum + row.traffic_percentage, 0)).toBe(60);
    // The stored baseline holds the rest, so the route's live rows add up to 100.
    expect(rows.find((row) => row.is_baseline)).toMatchObject({
      model_version: 'cold-v1',
      traffic_percentage: 40,
    });
    const listed = await call('GET', '/admin/models?route=cold');
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((row: { model_version: string }) => row.model_version)).toEqual([
      'cold-v1',
      'cold-v2',
      'cold-v3',
    ]);

    const unknown = await call('POST', '/admin/models/cold-v9/deploy', {
      route: 'cold',
      traffic_percentage: 5,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('model_not_registered');
    const deprecateBaseline = await call('POST', '/admin/models/cold-v1/deprecate');
    expect(deprecateBaseline.status).toBe(400);
  });

  it('promotes, rolls back to the previous baseline, deprecates, and audits every change', async () => {
    for (const [version, model] of [
      ['audit-v1', 'gpt-4o-mini'],
      ['audit-v2', 'gpt-4o'],
    ]) {
      await call('POST', '/admin/models', {
        route: 'audit',
        model_id: model,
        model_version: version,
      });
    }
    await call('PUT', '/admin/routes/audit/baseline', { model_version: 'audit-v1' });
    await call('POST', '/admin/models/audit-v2/deploy', {
      traffic_percentage: 25,
      ab_test_group: 'B',
    });

    const promoted = await call('POST', '/admin/models/audit-v2/promote', { reason: 'won' });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({
      model_version: 'audit-v2',
      is_baseline: true,
      status: 'active',
      // No variant is left testing: the new baseline takes all of the route's traffic.
      traffic_percentage: 100,
    });
    const afterPromotion = await registryStore.list('audit');
    expect(afterPromotion.find((row) => row.model_version === 'audit-v1')).toMatchObject({
      status: 'deprecated',
      is_baseline: false,
    });

    // Rolling back the baseline restores the one it replaced.
    const rolledBack = await call('POST', '/admin/models/audit-v2/rollback', { reason: 'regret' });
    expect(rolledBack.status).toBe(200);
    expect(rolledBack.body).toMatchObject({
      model_version: 'audit-v1',
      is_baseline: true,
      status: 'active',
      traffic_percentage: 100,
    });
    const afterRollback = await registryStore.list('audit');
    expect(afterRollback.find((row) => row.model_version === 'audit-v2')).toMatchObject({
      status: 'rolled_back',
      is_baseline: false,
      traffic_percentage: 0,
    });
    expect(gateway.router.registry.assign('audit', 'lead-1')?.entry.modelVersion).toBe('audit-v1');
    const nothingEarlier = await admin(gateway.url, token, 'POST', '/admin/routes/audit/rollback');
    expect(nothingEarlier.status).toBe(404);

    await call('POST', '/admin/models/audit-v2/deploy', { traffic_percentage: 10 });
    const deprecated = await call('POST', '/admin/models/audit-v2/deprecate', { reason: 'done' });
    expect(deprecated.body).toMatchObject({ status: 'deprecated', traffic_percentage: 0 });

    const events = (await registryStore.events('audit')).reverse();
    expect(events.map((event) => [event.action, event.model_version])).toEqual([
      ['register', 'audit-v1'],
      ['register', 'audit-v2'],
      ['set_baseline', 'audit-v1'],
      ['deploy', 'audit-v2'],
      ['promote', 'audit-v2'],
      ['rollback', 'audit-v1'],
      ['deploy', 'audit-v2'],
      ['deprecate', 'audit-v2'],
    ]);
    expect(events.every((event) => event.actor === 'router-test' && !event.automatic)).toBe(true);
    expect(events.find((event) => event.action === 'promote')).toMatchObject({
      reason: 'won',
      details: { previous_baseline: 'audit-v1' },
    });
    expect(events.find((event) => event.action === 'rollback')).toMatchObject({
      reason: 'regret',
      details: { replaced: 'audit-v2' },
    });
    expect(events.find((event) => event.action === 'deploy')?.details).toMatchObject({
      traffic_percentage: 25,
      ab_test_group: 'B',
    });
  });

  it('applies a change in the same process at once, and reports per-model performance', async () => {
    const client = openaiClient(gateway.url);
    await call('POST', '/admin/models', { model_id: 'gpt-4o-mini', model_version: 'out-v1' });
    await call('POST', '/admin/models', { model_id: 'gpt-4o', model_version: 'out-v2' });
    await call('PUT', '/admin/routes/outreach/baseline', { model_version: 'out-v1' });
    const before = await chat(client, { leadId: 'lead-at-once' });
    expect(before).toMatchObject({
      variant: 'baseline',
      modelVersion: 'out-v1',
      model: 'gpt-4o-mini',
    });

    const deployed = await call('POST', '/admin/models/out-v2/deploy', {
      traffic_percentage: 100,
      ab_test_group: 'B',
    });
    expect(deployed.status).toBe(200);
    const after = await chat(client, { leadId: 'lead-at-once' });
    expect(after).toMatchObject({ variant: 'B', modelVersion: 'out-v2', model: 'gpt-4o' });
    expect(requestedModel(upstream.chatRequests().at(-1))).toBe('gpt-4o');

    await call('POST', '/admin/models/out-v2/rollback');
    expect(await chat(client, { leadId: 'lead-at-once' })).toMatchObject({
      modelVersion: 'out-v1',
    });

    const report = await call('GET', '/admin/router/report');
    expect(report.status).toBe(200);
    const byModel = Object.fromEntries(
      report.body.data.map((row: { model: string }) => [row.model, row]),
    );
    expect(byModel['gpt-4o']).toMatchObject({ provider: 'openai', requests: 1, success_rate: 1 });
    expect(byModel['gpt-4o-mini']).toMatchObject({
      provider: 'openai',
      requests: 2,
      success_rate: 1,
    });
    for (const row of Object.values(byModel) as Array<Record<string, number>>) {
      expect(row.avg_latency_ms).toBeGreaterThan(0);
      expect(row.p95_latency_ms).toBeGreaterThanOrEqual(0);
      expect(row.avg_cost_usd).toBeGreaterThan(0);
      expect(row.prompt_tokens).toBeGreaterThan(0);
      expect(row.completion_tokens).toBeGreaterThan(0);
    }
    expect(report.body.circuit_breakers).toMatchObject({ 'openai/gpt-4o': 'closed' });
  });

  it('sends a registered model to its own provider, even when the catalog knows its name', async () => {
    const registered = await call('POST', '/admin/models', {
      route: 'selfhost',
      model_id: 'gpt-4o',
      provider: 'vllm',
      model_version: 'self-v1',
    });
    expect(registered.body).toMatchObject({ provider: 'vllm', model_id: 'gpt-4o' });
    await call('POST', '/admin/models/self-v1/deploy', {
      route: 'selfhost',
      traffic_percentage: 100,
    });
    const before = upstream.chatRequests().length;
    const routed = await chat(openaiClient(gateway.url), {
      model: 'selfhost',
      leadId: 'lead-self',
    });
    expect(routed).toMatchObject({ modelVersion: 'self-v1' });
    expect(requestedModel(selfHosted.chatRequests().at(-1))).toBe('gpt-4o');
    expect(upstream.chatRequests()).toHaveLength(before);
  });
});
