import { describe, expect, it } from 'vitest';
import { loadConfig, readEnv } from '../../../src/config/index.ts';
import { createMetrics } from '../../../src/metrics/index.ts';
import { ChatRouter, RegistrySnapshot } from '../../../src/router/index.ts';

const features = {
  metadata: {},
  promptTokens: 10,
  stream: false,
  hasTools: false,
  assignmentKey: 'lead-1',
};

function routerWithRegistry() {
  const config = loadConfig({
    env: readEnv({}),
    file: {
      providers: { local: { type: 'openai-compatible', base_url: 'http://127.0.0.1:1/v1' } },
      routes: { outreach: { models: ['local/base-model'] } },
    },
  });
  const router = new ChatRouter({
    config,
    providers: { get: () => undefined },
    metrics: createMetrics({ defaultMetrics: false }),
  });
  router.setRegistry(
    new RegistrySnapshot([
      {
        id: 'row-1',
        route: 'outreach',
        modelId: 'tuned-model',
        provider: 'local',
        modelVersion: 'v2',
        status: 'active',
        isBaseline: true,
        trafficPercentage: 0,
        abTestGroup: null,
      },
    ]),
  );
  return router;
}

describe('route planning with cached registry targets', () => {
  it('plans the same target for every request of a snapshot', () => {
    const router = routerWithRegistry();
    const first = router.plan('outreach', features);
    const second = router.plan('outreach', { ...features, assignmentKey: 'lead-2' });
    expect(first.candidates[0]).toMatchObject({
      name: 'local/tuned-model',
      provider: 'local',
      upstreamModel: 'tuned-model',
      modelVersion: 'v2',
      pricing: null,
    });
    expect(second.candidates).toEqual(first.candidates);
    expect(first).toMatchObject({ route: 'outreach', variant: 'baseline', modelVersion: 'v2' });
  });

  it('sees a model registered in the catalog afterwards (its price)', () => {
    const router = routerWithRegistry();
    expect(router.plan('outreach', features).candidates[0]?.pricing).toBeNull();
    router.catalog.register({
      name: 'tuned-model',
      provider: 'local',
      upstreamModel: 'tuned-model',
      pricing: { input: 1, output: 2 },
      contextWindow: 8_000,
    });
    expect(router.plan('outreach', features).candidates[0]).toMatchObject({
      pricing: { input: 1, output: 2 },
      modelVersion: 'v2',
    });
    router.catalog.unregister('tuned-model');
    expect(router.plan('outreach', features).candidates[0]?.pricing).toBeNull();
  });
});
