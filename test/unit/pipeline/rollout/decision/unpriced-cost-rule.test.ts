import { describe, expect, it } from 'vitest';
import {
  defaultDecisionOptions,
  evaluateExperiment,
} from '../../../../../src/pipeline/rollout/index.ts';
import { seedBaselineRates, seedVariantRates, steadyPair } from '../arm-builder.ts';

/**
 * Issue 16, item 9: a variant on an unpriced model (a Together fine-tune before it had a price)
 * recorded no cost at all. The cost rule answers "unknown" for it, never "not higher" or cheaper.
 */
const now = new Date('2026-11-28T00:00:00Z');
const longAgo = new Date(now.getTime() - 120 * 86_400_000);

describe('the cost rule with an unpriced arm', () => {
  const evaluation = evaluateExperiment(
    {
      route: 'outreach',
      arms: steadyPair(1_000_000, { ...seedVariantRates, costPerMessage: 0, costSd: 0 }, longAgo),
    },
    defaultDecisionOptions,
    now,
  );
  const variant = evaluation.variants[0];
  const cost = variant?.harm_tests.find((test) => test.metric === 'cost_per_meeting');

  it('is not tested, and says the cost is unknown', () => {
    expect(cost).toMatchObject({ tested: false, significantly_worse: false });
    expect(cost?.not_tested_because).toMatch(/^cost unknown: no cost is recorded for v1\.0\.0/);
  });

  it('never reads as cheaper: no cost-per-meeting lift, and the reasons of the promotion say unknown', () => {
    expect(variant?.decision).toBe('promote');
    const row = variant?.comparisons.find((item) => item.metric === 'cost_per_meeting');
    expect(row?.lift).toBeNull();
    const reasons = variant?.reasons.join(' ') ?? '';
    expect(reasons).not.toMatch(/cost per meeting not higher/);
    expect(reasons).toMatch(/cost unknown/);
  });

  it('a priced pair is judged as before', () => {
    const priced = evaluateExperiment(
      { route: 'outreach', arms: steadyPair(100_000, seedBaselineRates, longAgo) },
      defaultDecisionOptions,
      now,
    ).variants[0]?.harm_tests.find((test) => test.metric === 'cost_per_meeting');
    expect(priced?.tested).toBe(true);
  });
});
