import { describe, expect, it } from 'vitest';
import { loadConfig, readEnv } from '../../../src/config/index.ts';
import { createMetrics } from '../../../src/metrics/index.ts';
import {
  ChatRouter,
  costUsd,
  RegistrySnapshot,
  type RequestFeatures,
} from '../../../src/router/index.ts';
import type { RegistryEntry } from '../../../src/router/registry-snapshot.ts';

/**
 * Issue 16, item 9: a Together fine-tuned variant was routed with no price, so its cost was never
 * recorded and the leaderboard showed it as free. It is now priced at Together's fine-tuned rate
 * for its base model (the catalog's `togetherFineTunedPricing`); a base without a listed rate
 * leaves the cost unknown (null), never zero.
 */
function routerWith(rows: RegistryEntry[]): ChatRouter {
  const config = loadConfig({
    env: readEnv({ OPENAI_API_KEY: 'k', TOGETHER_API_KEY: 'k' }),
    file: { routes: { outreach: { models: ['gpt-4o-mini'] } } },
  });
  const router = new ChatRouter({
    config,
    metrics: createMetrics({ defaultMetrics: false }),
    providers: { get: () => undefined },
    sleep: async () => {},
  });
  router.setRegistry(new RegistrySnapshot(rows));
  return router;
}

const features: RequestFeatures = {
  metadata: {},
  promptTokens: 20,
  stream: false,
  hasTools: false,
  assignmentKey: 'lead-1',
};

const row: RegistryEntry = {
  id: 't',
  route: 'outreach',
  modelId: 'acme/Meta-Llama-3.1-8B-Instruct-Reference-outreach-v2-1a2b3c',
  provider: 'together',
  modelVersion: 'v2.0.0',
  status: 'active',
  isBaseline: true,
  trafficPercentage: 100,
  abTestGroup: null,
  baseModel: 'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference',
};

const million = { promptTokens: 1_000_000, completionTokens: 1_000_000, cachedPromptTokens: null };

describe('Together fine-tuned models are priced', () => {
  it('at the fine-tuned rate of the base model the registry row names', () => {
    const target = routerWith([row]).plan('outreach', features).candidates[0];
    expect(target).toMatchObject({
      modelVersion: 'v2.0.0',
      pricing: { input: 0.18, output: 0.18 },
    });
    expect(target && costUsd(target, million)).toBeCloseTo(0.36, 10);
  });

  it('from the model id when the row names no base (Together puts the base in the name)', () => {
    const { baseModel: _base, ...withoutBase } = row;
    const target = routerWith([
      {
        ...withoutBase,
        modelId: 'acme/Meta-Llama-3.1-70B-Instruct-Reference-outreach-v3-9f8e',
      },
    ]).plan('outreach', features).candidates[0];
    expect(target?.pricing).toEqual({ input: 0.88, output: 0.88 });
  });

  it('not at all when the base has no listed rate: the cost is unknown, not zero', () => {
    const target = routerWith([
      {
        ...row,
        modelId: 'acme/Mistral-7B-Instruct-v0.2-outreach-x',
        baseModel: 'mistralai/Mistral-7B-Instruct-v0.2',
      },
    ]).plan('outreach', features).candidates[0];
    expect(target?.pricing).toBeNull();
    expect(target && costUsd(target, million)).toBeNull();
  });
});
