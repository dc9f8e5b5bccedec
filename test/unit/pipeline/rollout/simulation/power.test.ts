import { describe, expect, it } from 'vitest';
import {
  defaultDecisionOptions,
  planPromotion,
} from '../../../../../src/pipeline/rollout/index.ts';
import { seedBaseline, simulateExperiment } from '../experiment-simulation.ts';
import { createRandomSource } from '../random-source.ts';

// Power (issue 7, "Must show" 3): the seed's example — reply 12.3 % → 15.2 %, close 3.1 % → 3.8 %
// (meeting 5 % → 6.1 % assumed), 10 % of traffic to the variant. Stated volume: 20,000 outreach
// messages a week on the route (a team of about 20 reps sending 1,000 personalised emails each).
const weeklyVolume = 20_000;
const seedVariant = { ...seedBaseline, reply: 0.152, meeting: 0.061, close: 0.038 };

// A thousand simulated experiments: seconds alone, far longer on a shared, busy machine.
describe('power on the seed example', { timeout: 300_000 }, () => {
  const plan = planPromotion(
    {
      baselineReplyRate: 0.123,
      variantReplyRate: 0.152,
      baselineCloseRate: 0.031,
      variantCloseRate: 0.038,
      variantShare: 0.1,
      weeklyVolume,
    },
    defaultDecisionOptions,
  );

  it('states how many weeks it takes to decide at 20,000 messages a week', () => {
    console.info(
      `Seed example at ${weeklyVolume} messages/week, 10 % to the variant: promote expected after ` +
        `${plan.weeks_of_outcomes} weeks of matured outcomes (${plan.messages_needed} messages, ` +
        `${plan.variant_messages_needed} to the variant; planned power ${(plan.power_at_weeks * 100).toFixed(1)} %). ` +
        `In calendar time add the 90-day close window: about ${plan.calendar_weeks_with_close_window} weeks from deployment.`,
    );
    expect(plan.power_at_weeks).toBeGreaterThanOrEqual(0.8);
    expect(plan.weeks_of_outcomes).toBeGreaterThan(1);
    expect(plan.weeks_of_outcomes).toBeLessThan(30);
  });

  it('decides promote in at least 80 % of simulated runs by then', () => {
    const random = createRandomSource(15_200);
    const runs = 1000;
    let promoted = 0;
    let rolledBack = 0;
    for (let run = 0; run < runs; run += 1) {
      const outcome = simulateExperiment(
        random,
        { baseline: seedBaseline, variant: seedVariant, variantShare: 0.1, weeklyVolume },
        plan.weeks_of_outcomes,
        defaultDecisionOptions,
      );
      promoted += outcome.decision === 'promote' ? 1 : 0;
      rolledBack += outcome.decision === 'rollback' ? 1 : 0;
    }
    console.info(
      `Simulated: ${promoted} of ${runs} runs promoted by week ${plan.weeks_of_outcomes} ` +
        `(${((promoted / runs) * 100).toFixed(1)} %), ${rolledBack} rolled back.`,
    );
    expect(promoted / runs).toBeGreaterThanOrEqual(0.8);
  });
});
