import { describe, expect, it } from 'vitest';
import { withoutProviderPrefix } from '../../../src/router/model-catalog.ts';
import { type RegistryEntry, RegistrySnapshot } from '../../../src/router/registry-snapshot.ts';

describe('withoutProviderPrefix', () => {
  it('strips the provider’s own prefix once, and nothing else', () => {
    expect(withoutProviderPrefix('sandbox/outreach-v2', 'sandbox')).toBe('outreach-v2');
    expect(withoutProviderPrefix('together/meta-llama/Llama-3', 'together')).toBe(
      'meta-llama/Llama-3',
    );
    expect(withoutProviderPrefix('meta-llama/Llama-3', 'together')).toBe('meta-llama/Llama-3');
    expect(withoutProviderPrefix('sandbox/x', 'together')).toBe('sandbox/x');
    expect(withoutProviderPrefix('ft:gpt-4o-mini:acme::abc', 'openai')).toBe(
      'ft:gpt-4o-mini:acme::abc',
    );
    expect(withoutProviderPrefix('sandbox/', 'sandbox')).toBe('sandbox/');
  });
});

const variant: RegistryEntry = {
  id: 'a',
  route: 'outreach',
  modelId: 'gpt-4o',
  provider: 'openai',
  modelVersion: 'v1.0.0',
  status: 'testing',
  isBaseline: false,
  trafficPercentage: 10,
  abTestGroup: null,
};

describe('trafficShares without a registry baseline', () => {
  const snapshot = new RegistrySnapshot([variant]);

  it('gives the rest to the configured baseline under its version label', () => {
    expect(snapshot.trafficShares('outreach', 'gpt-4o-mini')).toEqual([
      { modelVersion: 'gpt-4o-mini', share: 0.9 },
      { modelVersion: 'v1.0.0', share: 0.1 },
    ]);
  });

  it('lists only the variants when the route has no configured baseline either', () => {
    expect(snapshot.trafficShares('outreach')).toEqual([{ modelVersion: 'v1.0.0', share: 0.1 }]);
  });

  it('prefers the registry’s own baseline', () => {
    const withBaseline = new RegistrySnapshot([
      variant,
      { ...variant, id: 'b', modelVersion: 'v0.9.0', status: 'active', isBaseline: true },
    ]);
    expect(withBaseline.trafficShares('outreach', 'gpt-4o-mini')[0]).toEqual({
      modelVersion: 'v0.9.0',
      share: 0.9,
    });
  });
});
