import type OpenAI from 'openai';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import { createStore, type Store } from '../../../src/store/index.ts';
import { type OpenAIFake, startOpenAIFake } from '../../fakes/openai-fake.ts';
import { type PostgresServer, startPostgresServer } from '../../helpers/postgres-server.ts';
import { describeWithServices, postgresService } from '../../helpers/services.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';
import {
  admin,
  chat,
  mapConcurrently,
  metricValue,
  openaiClient,
  type RoutedAnswer,
  requestedModel,
  waitFor,
} from './gateway-probes.ts';

/**
 * Must show 1: a variant deployed at 10 % gets 10 ± 1.5 % of 5,000 distinct leads, by the
 * response headers and by what the upstream was asked for; a lead keeps its variant on two
 * gateways sharing one PostgreSQL 15; a deploy through one gateway reaches the other through
 * LISTEN/NOTIFY at once, and through polling where notifications do not arrive.
 */
const token = 'admin-token-for-split-tests';
const leads = 5_000;

describeWithServices([postgresService()], 'sticky A/B split over PostgreSQL', () => {
  let postgres: PostgresServer;
  let upstream: OpenAIFake;
  const stores: Store[] = [];
  let gatewayA: RunningGateway;
  let gatewayB: RunningGateway;
  /** A gateway whose store cannot LISTEN, as when notifications are lost or unsupported. */
  let gatewayPolling: RunningGateway;
  let clients: [OpenAI, OpenAI];
  const first = new Map<string, RoutedAnswer>();
  const call = (gateway: RunningGateway, method: string, path: string, body?: unknown) =>
    admin(gateway.url, token, method, path, body);
  const share = (gateway: RunningGateway, version: string) =>
    gateway.router.registry.trafficShares('outreach').find((s) => s.modelVersion === version)
      ?.share;

  beforeAll(async () => {
    postgres = await startPostgresServer();
    const databaseUrl = await postgres.database('sticky_split');
    upstream = await startOpenAIFake();
    const settings = { data_dir: 'unused', database_url: databaseUrl };
    stores.push(await createStore(settings, { autoMigrate: true }), await createStore(settings));
    const listening = await createStore(settings);
    stores.push(listening);
    // The same store without LISTEN: its gateway has to poll.
    const { listen: _listen, ...withoutListen } = listening;
    const start = (store: Store) =>
      startTestGateway({
        store,
        env: {
          OPENAI_API_KEY: 'sk-test',
          OPENAI_BASE_URL: upstream.url,
          REKINDLE_ADMIN_TOKEN: token,
        },
        file: {
          routes: { outreach: { models: ['gpt-4o-mini'] } },
          rate_limit: { default_rpm: 1_000_000 },
        },
      });
    gatewayA = await start(stores[0] as Store);
    gatewayB = await start(stores[1] as Store);
    gatewayPolling = await start(withoutListen);
    clients = [openaiClient(gatewayA.url), openaiClient(gatewayB.url)];
  }, 60_000);

  afterAll(async () => {
    for (const gateway of [gatewayA, gatewayB, gatewayPolling]) {
      await gateway?.shutdown();
    }
    for (const store of stores) {
      await store.close();
    }
    await upstream?.close();
    await postgres?.stop();
  });

  it('sends 10 ± 1.5 % of 5,000 distinct leads to a 10 % variant, by headers and upstream calls', async () => {
    await call(gatewayA, 'POST', '/admin/models', {
      model_id: 'gpt-4o-mini',
      model_version: 'split-v1',
    });
    await call(gatewayA, 'POST', '/admin/models', {
      model_id: 'gpt-4o',
      model_version: 'split-v2',
    });
    await call(gatewayA, 'PUT', '/admin/routes/outreach/baseline', { model_version: 'split-v1' });
    const deployed = await call(gatewayA, 'POST', '/admin/models/split-v2/deploy', {
      traffic_percentage: 10,
      ab_test_group: 'B',
    });
    expect(deployed.status).toBe(200);
    await waitFor(() => share(gatewayB, 'split-v2') === 0.1, 5_000, 'gateway B to see the deploy');

    const before = upstream.chatRequests().length;
    const ids = Array.from({ length: leads }, (_, index) => `lead-${index}@split.test`);
    const answers = await mapConcurrently(ids, 16, (leadId, index) =>
      chat(clients[index % 2] as OpenAI, {
        leadId,
        leadIn: index % 4 < 2 ? 'header' : 'metadata',
      }),
    );
    answers.forEach((answer, index) => {
      first.set(ids[index] as string, answer);
    });

    const variant = answers.filter((answer) => answer.variant === 'B');
    const shareByHeaders = variant.length / leads;
    expect(shareByHeaders).toBeGreaterThanOrEqual(0.085);
    expect(shareByHeaders).toBeLessThanOrEqual(0.115);
    for (const answer of answers) {
      expect([answer.variant, answer.modelVersion, answer.model]).toEqual(
        answer.variant === 'B'
          ? ['B', 'split-v2', 'gpt-4o']
          : ['baseline', 'split-v1', 'gpt-4o-mini'],
      );
    }
    const asked = upstream.chatRequests().slice(before).map(requestedModel);
    expect(asked).toHaveLength(leads);
    expect(asked.filter((model) => model === 'gpt-4o')).toHaveLength(variant.length);
    expect(asked.filter((model) => model === 'gpt-4o-mini')).toHaveLength(leads - variant.length);
    // Both gateways served both arms.
    for (const gatewayIndex of [0, 1]) {
      const served = answers.filter((_, index) => index % 2 === gatewayIndex);
      expect(served.some((answer) => answer.variant === 'B')).toBe(true);
      expect(served.some((answer) => answer.variant === 'baseline')).toBe(true);
    }
  }, 180_000);

  it('gives a lead the same variant every time, on either gateway, however the lead id is sent', async () => {
    const ids = [...first.keys()];
    const sample = [
      ...ids.filter((id) => first.get(id)?.variant === 'B').slice(0, 150),
      ...ids.filter((id) => first.get(id)?.variant === 'baseline').slice(0, 150),
    ];
    for (const round of [0, 1]) {
      const again = await mapConcurrently(sample, 16, (leadId) => {
        const index = ids.indexOf(leadId);
        // The other gateway than the first time, and the other place for the lead id.
        return chat(clients[(index + 1 + round) % 2] as OpenAI, {
          leadId,
          leadIn: index % 4 < 2 ? 'metadata' : 'header',
        });
      });
      again.forEach((answer, position) => {
        const original = first.get(sample[position] as string);
        expect([answer.variant, answer.modelVersion]).toEqual([
          original?.variant,
          original?.modelVersion,
        ]);
      });
    }
  }, 120_000);

  it('carries a deploy from gateway A to gateway B through LISTEN/NOTIFY at once', async () => {
    const started = performance.now();
    const ramped = await call(gatewayA, 'POST', '/admin/models/split-v2/deploy', {
      traffic_percentage: 20,
      ab_test_group: 'B',
    });
    expect(ramped.status).toBe(200);
    const requestMs = performance.now() - started;
    // Gateway A applied its own change before answering.
    expect(share(gatewayA, 'split-v2')).toBe(0.2);
    await waitFor(
      () => share(gatewayB, 'split-v2') === 0.2,
      2_000,
      'gateway B to apply the deploy made through A',
    );
    // From sending the deploy to A until B routes by it (B may hear the NOTIFY before A answers).
    const notifiedMs = performance.now() - started;
    console.info(
      `registry deploy through A: A answered after ${requestMs.toFixed(0)} ms; B applied it ${notifiedMs.toFixed(0)} ms after the request was sent (LISTEN/NOTIFY)`,
    );
    expect(notifiedMs).toBeLessThan(1_000);
    expect(
      await metricValue(gatewayB.url, 'rekindle_model_traffic_ratio', {
        route: 'outreach',
        model_version: 'split-v2',
      }),
    ).toBe(0.2);
    // Ramping up keeps every lead the variant already had.
    const inVariant = [...first.entries()].filter(([, answer]) => answer.variant === 'B');
    const again = await mapConcurrently(inVariant.slice(0, 100), 16, ([leadId]) =>
      chat(clients[1], { leadId }),
    );
    expect(again.every((answer) => answer.variant === 'B')).toBe(true);
  }, 30_000);

  it('reaches a gateway that cannot LISTEN by polling', async () => {
    await waitFor(() => share(gatewayPolling, 'split-v2') === 0.2, 8_000, 'the earlier ramp');
    const started = performance.now();
    await call(gatewayA, 'POST', '/admin/models/split-v2/deploy', { traffic_percentage: 15 });
    await waitFor(
      () => share(gatewayPolling, 'split-v2') === 0.15,
      8_000,
      'the polling gateway to reload',
    );
    const totalMs = performance.now() - started;
    console.info(
      `registry deploy reached the gateway without LISTEN after ${totalMs.toFixed(0)} ms (5 s poll)`,
    );
    // The poll period without LISTEN is 5 s.
    expect(totalMs).toBeLessThan(6_500);
    expect(share(gatewayB, 'split-v2')).toBe(0.15);
    const answer = await chat(openaiClient(gatewayPolling.url), {
      leadId: [...first.entries()].find(([, a]) => a.variant === 'B')?.[0] as string,
    });
    expect(answer.variant).toBe('B');
  }, 30_000);

  it('never lets concurrent deploys through two gateways push a route past 100 %', async () => {
    const versions = ['race-a', 'race-b', 'race-c', 'race-d', 'race-e'];
    for (const version of versions) {
      await call(gatewayA, 'POST', '/admin/models', {
        route: 'race',
        model_id: 'gpt-4o',
        model_version: version,
      });
    }
    const answers = await Promise.all(
      versions.map((version, index) =>
        call(index % 2 === 0 ? gatewayA : gatewayB, 'POST', `/admin/models/${version}/deploy`, {
          route: 'race',
          traffic_percentage: 30,
        }),
      ),
    );
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(3);
    const refused = answers.filter((answer) => answer.status !== 200);
    expect(refused).toHaveLength(2);
    for (const answer of refused) {
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('invalid_registry_change');
    }
    const rows = (await call(gatewayB, 'GET', '/admin/models?route=race')).body.data as Array<{
      status: string;
      traffic_percentage: number;
    }>;
    const total = rows
      .filter((row) => row.status === 'testing')
      .reduce((sum, row) => sum + row.traffic_percentage, 0);
    expect(total).toBe(90);
  }, 30_000);
});
