import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import type { PgliteTransport } from '../../../src/store/transports/pglite-transport.ts';
import { type OpenAIFake, startOpenAIFake } from '../../fakes/openai-fake.ts';
import { closeSharedPglite, sharedPglite } from '../../helpers/pglite.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';
import { admin, chat, openaiClient } from '../router/gateway-probes.ts';

/**
 * Issue 16, item 4 and must-show 4: the deployment guide's rollout, done literally and in its
 * order through the admin API — set_baseline_model("gpt-4o-mini") → deploy_model(10 %) → a week
 * of traffic → evaluate → promote_model(…, traffic_percentage=100) → deprecate_model — and a route
 * whose configured default has no registry row gets it as its baseline when a variant is deployed.
 * Outcome windows are shortened (reply 1 day, meeting 2, close 3) so a week decides.
 */
const token = 'guide-flow-admin';
const variantModel = 'ft:gpt-4o-mini:acme::guide';
let transport: PgliteTransport;
let upstream: OpenAIFake;
let gateway: RunningGateway;

beforeAll(async () => {
  transport = await sharedPglite();
  upstream = await startOpenAIFake();
  gateway = await startTestGateway({
    env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: upstream.url, REKINDLE_ADMIN_TOKEN: token },
    file: {
      routes: {
        outreach: { models: ['gpt-4o-mini'] },
        followup: { models: ['gpt-4o-mini'] },
      },
      rollout: {
        reply_window_days: 1,
        meeting_window_days: 2,
        close_window_days: 3,
        planned_total_messages: 5000,
      },
    },
  });
}, 300_000);

afterAll(async () => {
  await gateway?.shutdown();
  await upstream?.close();
  await closeSharedPglite();
});

const call = (method: string, path: string, body?: unknown) =>
  admin(gateway.url, token, method, path, body);

/** A week of messages after the deploy, 90 / 10, with the arms' per-mille outcome rates. */
async function aWeekOfTraffic(route: string) {
  await transport.executor.exec(`
    update public.model_registry set deployed_at = now() - interval '8 days' where route = '${route}';
    insert into public.outcome_labels (organization_id, route, model_version, model_id, provider,
      message_body, created_at, cost_usd, replied, reply_sentiment_label, meeting_booked,
      deal_closed, deal_value)
    select 'org_guide', '${route}', arm.version, arm.model, 'openai', 'message ' || i,
      now() - interval '7 days' + (i % 3) * interval '1 day',
      0.002,
      (i % 1000) < arm.reply,
      case when (i % 1000) < arm.reply then 'positive' end,
      ((i * 7919) % 1000) < arm.meeting,
      ((i * 7919) % 1000) < arm.deal,
      case when ((i * 7919) % 1000) < arm.deal then 1000 end
    from (values ('gpt-4o-mini', 'gpt-4o-mini', 4500, 100, 60, 30),
                 ('v1.1.0', '${variantModel}', 500, 300, 180, 90))
      as arm(version, model, messages, reply, meeting, deal)
    cross join lateral generate_series(0, arm.messages - 1) as i;
  `);
}

describe("the guide's rollout flow, in its order and names", () => {
  it('set_baseline_model → deploy_model 10 % → a week → evaluate → promote 100 % → deprecate', async () => {
    // set_baseline_model("gpt-4o-mini"): a catalog model not registered yet.
    const baseline = await call('PUT', '/admin/routes/outreach/baseline', {
      model_id: 'gpt-4o-mini',
    });
    expect(baseline.status).toBe(200);
    expect(baseline.body).toMatchObject({
      route: 'outreach',
      model_id: 'gpt-4o-mini',
      model_version: 'gpt-4o-mini',
      is_baseline: true,
      status: 'active',
    });

    // register_model + deploy_model(…, traffic_percentage=10)
    const registered = await call('POST', '/admin/models', {
      model_id: variantModel,
      model_version: 'v1.1.0',
    });
    expect(registered.status).toBe(201);
    const deployed = await call('POST', '/admin/models/v1.1.0/deploy', { traffic_percentage: 10 });
    expect(deployed.status).toBe(200);
    expect(deployed.body).toMatchObject({ status: 'testing', traffic_percentage: 10 });

    // A week.
    await aWeekOfTraffic('outreach');

    // evaluate
    const evaluation = await call('GET', '/admin/experiments/outreach');
    expect(evaluation.status).toBe(200);
    expect(evaluation.body).toMatchObject({
      baseline: 'gpt-4o-mini',
      decision: 'promote',
      promoted_variant: 'v1.1.0',
    });

    // promote_model("v1.1.0", traffic_percentage=100)
    const promoted = await call('POST', '/admin/models/v1.1.0/promote', {
      traffic_percentage: 100,
    });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ is_baseline: true, status: 'active' });
    const partial = await call('POST', '/admin/models/v1.1.0/promote', {
      traffic_percentage: 50,
    });
    expect(partial.status).toBe(400);
    expect(partial.body.error).toMatchObject({ param: 'traffic_percentage' });

    // deprecate_model("gpt-4o-mini")
    const deprecated = await call('POST', '/admin/models/gpt-4o-mini/deprecate', {
      route: 'outreach',
    });
    expect(deprecated.status).toBe(200);
    expect(deprecated.body).toMatchObject({ model_version: 'gpt-4o-mini', status: 'deprecated' });

    // Every lead now gets the promoted model.
    const answer = await chat(openaiClient(gateway.url), { leadId: 'lead@guide.test' });
    expect(answer).toMatchObject({ modelVersion: 'v1.1.0', model: variantModel });
  });

  it("registers a route's configured default as its baseline when a variant is deployed without one", async () => {
    const registered = await call('POST', '/admin/models', {
      route: 'followup',
      model_id: variantModel,
      model_version: 'followup-v2',
    });
    expect(registered.status).toBe(201);
    const deployed = await call('POST', '/admin/models/followup-v2/deploy', {
      route: 'followup',
      traffic_percentage: 10,
      ab_test_group: 'B',
    });
    expect(deployed.status).toBe(200);
    const models = await call('GET', '/admin/models?route=followup');
    expect(models.body.data).toContainEqual(
      expect.objectContaining({
        model_version: 'gpt-4o-mini',
        is_baseline: true,
        status: 'active',
        traffic_percentage: 90,
      }),
    );
    const events = await call('GET', '/admin/rollout/events?route=followup');
    const setBaseline = (
      events.body.data as { action: string; model_version: string; reason: string | null }[]
    ).find((event) => event.action === 'set_baseline');
    expect(setBaseline).toMatchObject({ model_version: 'gpt-4o-mini' });
    expect(setBaseline?.reason).toMatch(/configured default gpt-4o-mini became the baseline/);

    // The messages the default served are the baseline arm: evaluate gives a verdict.
    await aWeekOfTraffic('followup');
    await transport.executor.exec(
      `update public.outcome_labels set model_version = 'followup-v2'
       where route = 'followup' and model_version = 'v1.1.0'`,
    );
    const evaluation = await call('GET', '/admin/experiments/followup');
    expect(evaluation.body).toMatchObject({ baseline: 'gpt-4o-mini', decision: 'promote' });
  });
});
