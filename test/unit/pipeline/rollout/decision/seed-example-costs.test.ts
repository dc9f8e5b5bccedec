import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  defaultDecisionOptions,
  evaluateExperiment,
  parseExperimentFile,
} from '../../../../../src/pipeline/rollout/index.ts';

/**
 * Issue 16, item 10: the shipped seed example made the variant 88 % cheaper than the guide says.
 * With the guide's own $0.002 → $0.003 a message, the cost per meeting rises 22.9 % and the
 * verdict is ROLLBACK; docs/experiments.md shows that table and reason.
 */
describe('docs/examples/seed-experiment.json carries the guide’s costs', () => {
  const file = JSON.parse(readFileSync('docs/examples/seed-experiment.json', 'utf8'));
  const snapshot = parseExperimentFile(file, {
    now: new Date(file.as_of),
    windows: defaultDecisionOptions.windows,
  });
  const evaluation = evaluateExperiment(
    snapshot.aggregates,
    defaultDecisionOptions,
    new Date(file.as_of),
  );
  const variant = evaluation.variants[0];

  it('$0.002 a message for the baseline, $0.003 for the variant', () => {
    const [baseline, tuned] = file.arms;
    expect(baseline.cost_usd.sum / baseline.messages_sent).toBeCloseTo(0.002, 9);
    expect(tuned.cost_usd.sum / tuned.messages_sent).toBeCloseTo(0.003, 9);
  });

  it('rolls the variant back: cost per meeting +22.9 %, significantly higher', () => {
    expect(evaluation.decision).toBe('rollback');
    const cost = variant?.comparisons.find((row) => row.metric === 'cost_per_meeting');
    expect(cost?.lift).toBeCloseTo(0.229, 3);
    expect(
      variant?.harm_tests.find((test) => test.metric === 'cost_per_meeting')?.significantly_worse,
    ).toBe(true);
    expect(variant?.reasons).toEqual([
      expect.stringMatching(/^cost per meeting significantly higher than the baseline/),
    ]);
  });

  it('docs/experiments.md shows that verdict and its reason', () => {
    const doc = readFileSync('docs/experiments.md', 'utf8');
    expect(doc).toContain('Decision: ROLLBACK v1.0.0');
    expect(doc).toMatch(/Cost per meeting {4}\$0\.0400 .*\$0\.0492 .*\+22\.9%/);
    expect(doc).toContain(variant?.reasons[0]);
  });
});
