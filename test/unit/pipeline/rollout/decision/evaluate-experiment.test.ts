import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type ArmAggregates,
  defaultDecisionOptions,
  evaluateExperiment,
  parseExperimentFile,
  type VariantEvaluation,
} from '../../../../../src/pipeline/rollout/index.ts';
import {
  type ArmRates,
  armFromRates,
  seedBaselineRates,
  seedVariantRates,
  steadyPair,
} from '../arm-builder.ts';

const dayMs = 86_400_000;
const now = new Date('2026-11-28T00:00:00Z');
const longAgo = new Date(now.getTime() - 120 * dayMs);
const options = defaultDecisionOptions;

function onlyVariant(arms: ArmAggregates[], at: Date = now): VariantEvaluation {
  const evaluation = evaluateExperiment({ route: 'outreach', arms }, options, at);
  const [variant] = evaluation.variants;
  if (!variant) {
    throw new Error('no variant evaluated');
  }
  return variant;
}

function check(variant: VariantEvaluation, metric: 'reply_rate' | 'close_rate') {
  const found = variant.promotion_checks.find((item) => item.metric === metric);
  if (!found) {
    throw new Error(`no ${metric} check`);
  }
  return found;
}

describe('evaluateExperiment on the seed example', () => {
  const file = JSON.parse(
    readFileSync('test/fixtures/seed-experiment-cheaper-variant.json', 'utf8'),
  );
  const snapshot = parseExperimentFile(file, { now, windows: options.windows });
  const evaluation = evaluateExperiment(
    snapshot.aggregates,
    { ...options, weeklyVolume: 20_000 },
    snapshot.asOf ?? now,
  );
  const variant = evaluation.variants[0] as VariantEvaluation;

  it('promotes v1.0.0 with the numbers that led there', () => {
    expect(evaluation.decision).toBe('promote');
    expect(evaluation.promoted_variant).toBe('v1.0.0');
    expect(variant.decision).toBe('promote');
    // Lifts straight from the file's counts.
    expect(check(variant, 'reply_rate').lift).toBeCloseTo(6645 / 43714 / (48392 / 393429) - 1, 12);
    expect(check(variant, 'close_rate').lift).toBeCloseTo(760 / 20000 / (5580 / 180000) - 1, 12);
    for (const metric of ['reply_rate', 'close_rate'] as const) {
      const item = check(variant, metric);
      expect(item.met).toBe(true);
      expect(item.anytime_interval?.lower).toBeGreaterThanOrEqual(item.threshold);
      expect(item.anytime_p_value).toBeLessThanOrEqual(variant.alpha.promote);
      // Anytime-valid bounds are wider than the one-look 95 % interval.
      const fixed = variant.comparisons.find((row) => row.metric === metric)?.lift_interval_fixed;
      expect(item.anytime_interval?.lower).toBeLessThan(fixed?.lower ?? Number.NaN);
    }
    expect(variant.harm_tests.every((test) => test.tested && !test.significantly_worse)).toBe(true);
    expect(variant.estimate).toBeNull();
  });

  it('checks the split against 90/10 with a χ² computed by hand', () => {
    const baselineRequests = 411429 + 825;
    const variantRequests = 45714 + 92;
    const total = baselineRequests + variantRequests;
    const chiSquare =
      (baselineRequests - 0.9 * total) ** 2 / (0.9 * total) +
      (variantRequests - 0.1 * total) ** 2 / (0.1 * total);
    expect(evaluation.sample_ratio_mismatch.chi_square).toBeCloseTo(chiSquare, 9);
    expect(evaluation.sample_ratio_mismatch.ok).toBe(true);
  });

  it('splits α: half to promotion, half to harm', () => {
    expect(variant.alpha).toEqual({ variant: 0.05, promote: 0.025, harm: 0.025 });
  });

  it('is deterministic', () => {
    const again = evaluateExperiment(
      snapshot.aggregates,
      { ...options, weeklyVolume: 20_000 },
      now,
    );
    expect(again).toEqual(evaluation);
  });
});

describe('keep_testing and its estimate', () => {
  const perDay = 20_000 / 7;
  const deployedAt = new Date('2026-06-21T00:00:00Z');
  // Cohorts as windows close: runtime D days, reply window 7, meeting 21, close 90 days.
  const arms = (days: number, extraSent = 0) =>
    (
      [
        ['baseline', true, 0.9, seedBaselineRates],
        ['v1.0.0', false, 0.1, seedVariantRates],
      ] as const
    ).map(([name, isBaseline, share, rates]) =>
      armFromRates(
        {
          modelVersion: name,
          isBaseline,
          trafficPercentage: share * 100,
          deployedAt,
          sent: Math.round(share * (perDay * days + extraSent)),
          replyMessages: Math.round(share * perDay * (days - 7)),
          meetingMessages: Math.round(share * perDay * (days - 21)),
          closeMessages: Math.round(share * perDay * Math.max(0, days - 90)),
        },
        rates as ArmRates,
      ),
    );

  it('says how much longer, and the projection holds when that data arrives', () => {
    const at = new Date(deployedAt.getTime() + 102 * dayMs);
    const evaluation = evaluateExperiment(
      { route: 'outreach', arms: arms(102) },
      { ...options, weeklyVolume: 20_000 },
      at,
    );
    const variant = evaluation.variants[0] as VariantEvaluation;
    expect(variant.decision).toBe('keep_testing');
    expect(check(variant, 'reply_rate').met).toBe(true);
    expect(check(variant, 'close_rate').met).toBe(false);
    const estimate = variant.estimate;
    expect(estimate?.reachable).toBe(true);
    expect(estimate?.limiting_metric).toBe('close_rate');
    // Everything needed is already sent: only the 90-day windows must close.
    expect(estimate?.additional_messages_to_send).toBe(0);
    const days = estimate?.days_needed ?? Number.NaN;
    expect(days).toBeGreaterThan(0);
    expect(days).toBeLessThan(90);
    // Same rates, `days` later: the close cohort has grown as projected and the variant is promoted.
    const later = Math.ceil(102 + days);
    const laterEvaluation = evaluateExperiment(
      { route: 'outreach', arms: arms(later) },
      { ...options, weeklyVolume: 20_000 },
      new Date(deployedAt.getTime() + later * dayMs),
    );
    expect(laterEvaluation.variants[0]?.decision).toBe('promote');
  });

  it('reports an unreachable target when the lift is real but below the threshold', () => {
    const variant = onlyVariant(
      steadyPair(
        3_000_000,
        { ...seedBaselineRates, reply: 0.123 * 1.05, close: 0.031 * 1.02 },
        longAgo,
      ),
    );
    expect(variant.decision).toBe('keep_testing');
    expect(check(variant, 'reply_rate').anytime_interval?.lower).toBeGreaterThan(0);
    expect(variant.estimate?.reachable).toBe(false);
    expect(variant.estimate?.explanation).toMatch(/not above the \+10\.0% threshold/);
  });
});

describe('rollback', () => {
  it('on a guardrail: spam reports six times the baseline', () => {
    const variant = onlyVariant(steadyPair(200_000, { ...seedVariantRates, spam: 0.003 }, longAgo));
    expect(variant.decision).toBe('rollback');
    expect(variant.guardrail_failed).toBe(true);
    const spam = variant.harm_tests.find((test) => test.metric === 'spam_rate');
    expect(spam?.significantly_worse).toBe(true);
    expect(spam?.holm_adjusted_p_value).toBeLessThanOrEqual(variant.alpha.harm);
    expect(variant.reasons.join(' ')).toMatch(/spam rate significantly higher/);
  });

  it('on a goal metric: reply rate 10 % against 12.3 %', () => {
    const variant = onlyVariant(steadyPair(100_000, { ...seedBaselineRates, reply: 0.1 }, longAgo));
    expect(variant.decision).toBe('rollback');
    expect(variant.guardrail_failed).toBe(false);
    expect(variant.reasons.join(' ')).toMatch(/reply rate significantly lower/);
  });

  it('on cost per meeting', () => {
    const variant = onlyVariant(
      steadyPair(100_000, { ...seedBaselineRates, costPerMessage: 0.008 }, longAgo),
    );
    expect(variant.decision).toBe('rollback');
    const cost = variant.harm_tests.find((test) => test.metric === 'cost_per_meeting');
    expect(cost?.kind).toBe('cost');
    expect(cost?.significantly_worse).toBe(true);
    expect(variant.guardrail_failed).toBe(false);
  });
});

describe('invalid', () => {
  it('on a sample-ratio mismatch', () => {
    const rates = { ...seedBaselineRates, error: 0 };
    const shape = (modelVersion: string, isBaseline: boolean, share: number, sent: number) => ({
      modelVersion,
      isBaseline,
      trafficPercentage: share,
      deployedAt: longAgo,
      sent,
      replyMessages: sent,
      meetingMessages: sent,
      closeMessages: sent,
    });
    const evaluation = evaluateExperiment(
      {
        route: 'outreach',
        arms: [
          armFromRates(shape('baseline', true, 90, 88_800), rates),
          armFromRates(shape('v1.0.0', false, 10, 11_200), rates),
        ],
      },
      options,
      now,
    );
    // 1,200 too many on the 10 % arm: χ² = 1200²/90000 + 1200²/10000 = 160.
    expect(evaluation.sample_ratio_mismatch.chi_square).toBeCloseTo(160, 9);
    expect(evaluation.decision).toBe('invalid');
    expect(evaluation.variants[0]?.decision).toBe('invalid');
    expect(evaluation.reasons[0]).toMatch(/sample-ratio mismatch/);
  });

  it('with too little runtime and data, and still estimates what is missing', () => {
    const threeDaysAgo = new Date(now.getTime() - 3 * dayMs);
    const variant = onlyVariant(steadyPair(3_000, seedVariantRates, threeDaysAgo));
    expect(variant.decision).toBe('invalid');
    expect(variant.reasons[0]).toMatch(/running 3\.0 days \(< 7\)/);
    expect(variant.reasons.join(' ')).toMatch(/deals \(< 30\)/);
    expect(variant.estimate?.reachable).toBe(true);
  });

  it('declines to project from a handful of events', () => {
    const yesterday = new Date(now.getTime() - dayMs);
    const variant = onlyVariant(steadyPair(100, seedVariantRates, yesterday));
    expect(variant.decision).toBe('invalid');
    expect(variant.estimate?.reachable).toBe(false);
    expect(variant.estimate?.too_early).toBe(true);
  });
});

describe('several variants', () => {
  it('splits α across variants and names the promoted one', () => {
    const arm = (modelVersion: string, share: number, rates: ArmRates) => {
      const messages = 500_000 * share;
      return armFromRates(
        {
          modelVersion,
          isBaseline: modelVersion === 'baseline',
          trafficPercentage: share * 100,
          deployedAt: longAgo,
          sent: messages,
          replyMessages: messages,
          meetingMessages: messages,
          closeMessages: messages,
        },
        rates,
      );
    };
    const evaluation = evaluateExperiment(
      {
        route: 'outreach',
        arms: [
          arm('baseline', 0.8, seedBaselineRates),
          arm('v1.0.0', 0.1, seedVariantRates),
          arm('v1.1.0', 0.1, seedBaselineRates),
        ],
      },
      options,
      now,
    );
    expect(evaluation.variants.map((variant) => variant.alpha.promote)).toEqual([0.0125, 0.0125]);
    expect(evaluation.variants.map((variant) => variant.decision)).toEqual([
      'promote',
      'keep_testing',
    ]);
    expect(evaluation.decision).toBe('promote');
    expect(evaluation.promoted_variant).toBe('v1.0.0');
  });
});

describe('routes that cannot be judged answer invalid, never an error', () => {
  const [baselineArm, variantArm] = steadyPair(10_000, seedVariantRates, longAgo) as [
    ArmAggregates,
    ArmAggregates,
  ];
  const judge = (arms: ArmAggregates[]) =>
    evaluateExperiment({ route: 'outreach', arms }, options, now);

  it('a fresh install (nothing deployed, nothing sent) is invalid: no baseline', () => {
    const evaluation = judge([]);
    expect(evaluation).toMatchObject({
      route: 'outreach',
      evaluated_at: now.toISOString(),
      baseline: null,
      decision: 'invalid',
      promoted_variant: null,
      arms: [],
      variants: [],
      sample_ratio_mismatch: { checked: false, ok: true },
    });
    expect(evaluation.reasons).toHaveLength(1);
    expect(evaluation.reasons[0]).toMatch(/^no baseline: nothing is deployed on route "outreach"/);
    expect(evaluation.reasons[0]).toMatch(/rekindle models set-baseline --route outreach/);
    expect(evaluation.method.min_reply_lift).toBe(options.minReplyLift);
    // One JSON object with every field, like any other decision.
    expect(JSON.parse(JSON.stringify(evaluation))).toEqual(evaluation);
    // Its table: test/unit/cli/format/format-decision-table.test.ts.
  });

  it('versions sent without a registry baseline are invalid too, and named', () => {
    const unregistered = [
      { ...baselineArm, isBaseline: false, trafficPercentage: 0 },
      { ...variantArm, trafficPercentage: 0 },
    ];
    const evaluation = judge(unregistered);
    expect(evaluation).toMatchObject({ baseline: null, decision: 'invalid', variants: [] });
    expect(evaluation.reasons[0]).toMatch(
      /^no baseline: route "outreach" has no active baseline .*versions seen: baseline, v1\.0\.0/,
    );
    expect(evaluation.arms.map((arm) => arm.messages_sent)).toEqual([9000, 1000]);
  });

  it('two baselines, or a split without traffic, are invalid with the reason', () => {
    const twoBaselines = judge([baselineArm, { ...variantArm, isBaseline: true }]);
    expect(twoBaselines).toMatchObject({ baseline: null, decision: 'invalid', variants: [] });
    expect(twoBaselines.reasons[0]).toMatch(/has 2 baseline arms \(baseline, v1\.0\.0\)/);
    const noTraffic = judge([{ ...baselineArm, trafficPercentage: 0 }]);
    expect(noTraffic).toMatchObject({ baseline: 'baseline', decision: 'invalid', variants: [] });
    expect(noTraffic.reasons[0]).toMatch(/add up to 0/);
  });

  it('a baseline alone has nothing to decide (the table: test/unit/cli/format)', () => {
    const evaluation = judge([baselineArm]);
    expect(evaluation).toMatchObject({
      baseline: 'baseline',
      decision: 'invalid',
      reasons: ['no variant runs beside the baseline'],
    });
  });
});
