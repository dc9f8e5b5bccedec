import { describe, expect, it } from 'vitest';
import { defaultDecisionOptions } from '../../../../../src/pipeline/rollout/index.ts';
import { seedBaseline, simulateExperiment } from '../experiment-simulation.ts';
import { createRandomSource } from '../random-source.ts';

// A/A calibration (issue 7, "Must show" 2): 2,000 experiments where variant and baseline share the
// seed's true rates (reply 12.3 %, meeting 5 %, close 3.1 %; guardrails equal too), 10 % of traffic
// to the variant, 20,000 messages a week, looked at weekly for 8 weeks on cumulative data. A promote
// or rollback at any look ends the run and counts as wrong.
// Thousands of simulated experiments: seconds alone, far longer on a shared, busy machine.
describe('A/A calibration', { timeout: 300_000 }, () => {
  it('wrongly promotes or rolls back in at most 5 % of 2,000 experiments over 8 weekly looks', () => {
    const random = createRandomSource(20_261_128);
    const experiments = 2000;
    let promoted = 0;
    let rolledBack = 0;
    const triggers = new Map<string, number>();
    for (let run = 0; run < experiments; run += 1) {
      const outcome = simulateExperiment(
        random,
        { baseline: seedBaseline, variant: seedBaseline, variantShare: 0.1, weeklyVolume: 20_000 },
        8,
        defaultDecisionOptions,
      );
      if (outcome.decision === 'promote') {
        promoted += 1;
      }
      if (outcome.decision === 'rollback') {
        rolledBack += 1;
        for (const test of outcome.evaluation.variants[0]?.harm_tests ?? []) {
          if (test.significantly_worse) {
            triggers.set(test.metric, (triggers.get(test.metric) ?? 0) + 1);
          }
        }
      }
    }
    const wrongShare = (promoted + rolledBack) / experiments;
    console.info(
      `A/A: ${promoted} promoted, ${rolledBack} rolled back of ${experiments} ` +
        `(${(wrongShare * 100).toFixed(2)} % wrong; budget 5 %); rollback triggers: ${JSON.stringify(Object.fromEntries(triggers))}`,
    );
    expect(wrongShare).toBeLessThanOrEqual(0.05);
    // The guarantee is per side too: α/2 for promotion, α/2 for harm.
    expect(promoted / experiments).toBeLessThanOrEqual(0.025);
    expect(rolledBack / experiments).toBeLessThanOrEqual(0.025);
  });

  it('promotes a variant sitting exactly on the +10 % reply threshold at most α/2 of the time', () => {
    // The hardest null for the promotion test: reply lift exactly +10 %, close clearly above +5 %.
    const random = createRandomSource(7_100);
    const experiments = 500;
    let promoted = 0;
    for (let run = 0; run < experiments; run += 1) {
      const outcome = simulateExperiment(
        random,
        {
          baseline: seedBaseline,
          variant: { ...seedBaseline, reply: 0.123 * 1.1, meeting: 0.055, close: 0.031 * 1.6 },
          variantShare: 0.1,
          weeklyVolume: 100_000,
        },
        8,
        defaultDecisionOptions,
      );
      promoted += outcome.decision === 'promote' ? 1 : 0;
    }
    console.info(`reply lift exactly +10 %: ${promoted} of ${experiments} promoted (bound 2.5 %)`);
    expect(promoted / experiments).toBeLessThanOrEqual(0.025);
  });
});
