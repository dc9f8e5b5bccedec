import { describe, expect, it } from 'vitest';
import { formatDecisionTable } from '../../../../src/cli/format/index.ts';
import {
  type ArmAggregates,
  defaultDecisionOptions,
  evaluateExperiment,
} from '../../../../src/pipeline/rollout/index.ts';
import { seedVariantRates, steadyPair } from '../../pipeline/rollout/arm-builder.ts';

const dayMs = 86_400_000;
const now = new Date('2026-11-28T00:00:00Z');
const longAgo = new Date(now.getTime() - 120 * dayMs);

describe('formatDecisionTable of routes that cannot be judged', () => {
  const [baselineArm] = steadyPair(10_000, seedVariantRates, longAgo) as [ArmAggregates];
  const judge = (arms: ArmAggregates[]) =>
    evaluateExperiment({ route: 'outreach', arms }, defaultDecisionOptions, now);

  it('a fresh install (nothing deployed, nothing sent): no baseline, the decision and its reason', () => {
    const table = formatDecisionTable(judge([]));
    expect(table).toMatch(/^Experiment on route "outreach"/);
    expect(table).toContain('No single baseline to compare with: nothing to decide yet.');
    expect(table).toContain('Decision: INVALID\n  - no baseline: nothing is deployed');
  });

  it('a baseline alone has nothing to decide, and the table says so with the decision', () => {
    expect(formatDecisionTable(judge([baselineArm]))).toContain(
      'Baseline baseline has no variant beside it: nothing to decide.\n\nDecision: INVALID\n  - no variant runs beside the baseline',
    );
  });
});
