import { describe, expect, it } from 'vitest';
import {
  assignmentBucket,
  type RegistryEntry,
  RegistrySnapshot,
} from '../../../src/router/registry-snapshot.ts';

const entry = (overrides: Partial<RegistryEntry>): RegistryEntry => ({
  id: overrides.modelVersion ?? 'x',
  route: 'outreach',
  modelId: 'gpt-4o-mini',
  provider: 'openai',
  modelVersion: 'v0',
  status: 'active',
  isBaseline: false,
  trafficPercentage: 0,
  abTestGroup: null,
  ...overrides,
});

const snapshot = new RegistrySnapshot([
  entry({ modelVersion: 'v0.9.0', isBaseline: true, status: 'active' }),
  entry({
    modelVersion: 'v1.0.0',
    modelId: 'ft:gpt-4o-mini-2024-07-18:acme:rekindle:abc',
    status: 'testing',
    trafficPercentage: 10,
  }),
]);

describe('RegistrySnapshot', () => {
  it('sends 10 % ± 1.5 % of 5,000 distinct leads to a 10 % variant', () => {
    let variant = 0;
    for (let lead = 0; lead < 5_000; lead += 1) {
      const assignment = snapshot.assign('outreach', `lead-${lead}`);
      if (assignment?.entry.modelVersion === 'v1.0.0') {
        variant += 1;
      }
    }
    expect(variant / 5_000).toBeGreaterThanOrEqual(0.085);
    expect(variant / 5_000).toBeLessThanOrEqual(0.115);
  });

  it('gives the same lead the same variant, whatever order the registry rows arrive in', () => {
    const reordered = new RegistrySnapshot([...snapshot.entries].reverse());
    for (let lead = 0; lead < 500; lead += 1) {
      const key = `lead-${lead}`;
      expect(reordered.assign('outreach', key)?.entry.modelVersion).toBe(
        snapshot.assign('outreach', key)?.entry.modelVersion,
      );
    }
  });

  it('names the variant by its A/B group, the baseline as baseline', () => {
    const grouped = new RegistrySnapshot([
      entry({ modelVersion: 'v0', isBaseline: true }),
      entry({
        modelVersion: 'v1',
        status: 'testing',
        trafficPercentage: 100,
        abTestGroup: 'group-b',
      }),
    ]);
    expect(grouped.assign('outreach', 'anyone')?.variant).toBe('group-b');
    expect(snapshot.assign('outreach', 'lead-1')?.variant).toMatch(/^(baseline|v1\.0\.0)$/);
  });

  it('reports configured traffic shares with the baseline taking the rest', () => {
    expect(snapshot.trafficShares('outreach')).toEqual([
      { modelVersion: 'v0.9.0', share: 0.9 },
      { modelVersion: 'v1.0.0', share: 0.1 },
    ]);
  });

  it('hashes into [0, 10000) deterministically', () => {
    const bucket = assignmentBucket('outreach', 'lead-42');
    expect(bucket).toBe(assignmentBucket('outreach', 'lead-42'));
    expect(bucket).toBeGreaterThanOrEqual(0);
    expect(bucket).toBeLessThan(10_000);
    expect(assignmentBucket('other-route', 'lead-42')).not.toBe(bucket);
  });

  it('has no opinion on routes without registry rows', () => {
    expect(snapshot.assign('sentiment', 'lead-1')).toBeUndefined();
  });
});
