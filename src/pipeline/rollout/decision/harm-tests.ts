import {
  holmBonferroni,
  oneSidedAnytimePValue,
  oneSidedMixtureTime,
  twoProportionZTest,
} from '../statistics/index.ts';
import type { ArmAggregates } from './arm-aggregates.ts';
import {
  cohortMessages,
  costMoments,
  costPerMeetingLogVariance,
  type RateMetricName,
  rateMetric,
} from './arm-metrics.ts';
import type { DecisionOptions } from './decision-options.ts';

type HarmMetric =
  | 'reply_rate'
  | 'close_rate'
  | 'negative_sentiment_rate'
  | 'bounce_rate'
  | 'spam_rate'
  | 'unsubscribe_rate'
  | 'error_rate'
  | 'cost_per_meeting';

/** goal: a promotion metric got worse; guardrail: harm to recipients or the sending domain. */
type HarmKind = 'goal' | 'guardrail' | 'cost';

/**
 * The fixed family of "significantly worse" hypotheses. It never changes size, so Holm over
 * anytime-valid p-values controls the family-wise error over every look (an untestable member
 * counts with p = 1).
 */
const harmFamily: readonly { metric: HarmMetric; kind: HarmKind }[] = [
  { metric: 'reply_rate', kind: 'goal' },
  { metric: 'close_rate', kind: 'goal' },
  { metric: 'negative_sentiment_rate', kind: 'guardrail' },
  { metric: 'bounce_rate', kind: 'guardrail' },
  { metric: 'spam_rate', kind: 'guardrail' },
  { metric: 'unsubscribe_rate', kind: 'guardrail' },
  { metric: 'error_rate', kind: 'guardrail' },
  { metric: 'cost_per_meeting', kind: 'cost' },
];

export interface HarmTest {
  readonly metric: HarmMetric;
  readonly kind: HarmKind;
  readonly worse_when: 'higher' | 'lower';
  readonly tested: boolean;
  readonly not_tested_because: string | null;
  /** Standardized difference in the harmful direction (pooled z; log-ratio z for cost). */
  readonly z: number | null;
  /** Messages in the cohort (both arms): the sequence's sample-size clock. */
  readonly units: number;
  readonly anytime_p_value: number;
  readonly holm_threshold: number;
  readonly holm_adjusted_p_value: number;
  readonly significantly_worse: boolean;
}

interface RawHarmTest {
  readonly z: number | null;
  readonly units: number;
  readonly notTestedBecause: string | null;
}

/** One-sided anytime-valid tests of "variant worse than baseline", Holm-adjusted at α_harm. */
export function runHarmTests(
  baseline: ArmAggregates,
  variant: ArmAggregates,
  alphaHarm: number,
  options: DecisionOptions,
): HarmTest[] {
  const familySize = harmFamily.length;
  // ρ is fixed in advance, tuned for the first (strictest) Holm step.
  const tuningAlpha = alphaHarm / familySize;
  const raw = harmFamily.map(({ metric }) =>
    metric === 'cost_per_meeting'
      ? costPerMeetingHarm(baseline, variant, options)
      : rateHarm(metric, baseline, variant, options),
  );
  const pValues = raw.map((test) =>
    test.z === null
      ? 1
      : oneSidedAnytimePValue(
          test.z,
          oneSidedMixtureTime(test.units, options.plannedTotalMessages, tuningAlpha),
        ),
  );
  const adjusted = holmBonferroni(pValues, alphaHarm);
  return harmFamily.map(({ metric, kind }, index) => {
    const test = raw[index] as RawHarmTest;
    const holm = adjusted[index];
    return {
      metric,
      kind,
      worse_when: metric === 'reply_rate' || metric === 'close_rate' ? 'lower' : 'higher',
      tested: test.z !== null,
      not_tested_because: test.notTestedBecause,
      z: test.z,
      units: test.units,
      anytime_p_value: pValues[index] ?? 1,
      holm_threshold: holm?.threshold ?? alphaHarm / familySize,
      holm_adjusted_p_value: holm?.adjustedPValue ?? 1,
      significantly_worse: test.z !== null && (holm?.rejected ?? false),
    };
  });
}

function rateHarm(
  metric: Exclude<HarmMetric, 'cost_per_meeting'>,
  baseline: ArmAggregates,
  variant: ArmAggregates,
  options: DecisionOptions,
): RawHarmTest {
  const spec = rateMetric(metric as RateMetricName);
  const units = cohortMessages(baseline, spec.cohort) + cohortMessages(variant, spec.cohort);
  const baselineTrials = spec.trials(baseline);
  const variantTrials = spec.trials(variant);
  const events = spec.successes(baseline) + spec.successes(variant);
  if (Math.min(baselineTrials, variantTrials) < options.minSamplesPerArm) {
    return {
      z: null,
      units,
      notTestedBecause: `fewer than ${options.minSamplesPerArm} ${denominatorName(metric)} in an arm`,
    };
  }
  if (events < options.minHarmEvents) {
    return {
      z: null,
      units,
      notTestedBecause: `fewer than ${options.minHarmEvents} events across both arms`,
    };
  }
  const test = twoProportionZTest(
    spec.successes(baseline),
    baselineTrials,
    spec.successes(variant),
    variantTrials,
  );
  return { z: spec.worseWhen === 'higher' ? test.z : -test.z, units, notTestedBecause: null };
}

function costPerMeetingHarm(
  baseline: ArmAggregates,
  variant: ArmAggregates,
  options: DecisionOptions,
): RawHarmTest {
  const units = baseline.meeting.messages + variant.meeting.messages;
  // An arm that sent messages but recorded no cost ran an unpriced model (its cost is null, not
  // zero): its cost per meeting is unknown, and the rule must not read that as cheaper.
  const unpriced = [variant, baseline].find((arm) => arm.messagesSent > 0 && arm.cost.sum <= 0);
  if (unpriced !== undefined) {
    return { z: null, units, notTestedBecause: costUnknownBecause(unpriced.modelVersion) };
  }
  if (Math.min(baseline.meeting.messages, variant.meeting.messages) < options.minSamplesPerArm) {
    return {
      z: null,
      units,
      notTestedBecause: `fewer than ${options.minSamplesPerArm} messages with a closed meeting window in an arm`,
    };
  }
  if (Math.min(baseline.meeting.meetings, variant.meeting.meetings) < options.minHarmEvents) {
    return {
      z: null,
      units,
      notTestedBecause: `fewer than ${options.minHarmEvents} meetings in an arm`,
    };
  }
  const baselineVariance = costPerMeetingLogVariance(baseline);
  const variantVariance = costPerMeetingLogVariance(variant);
  if (baselineVariance === null || variantVariance === null) {
    return { z: null, units, notTestedBecause: 'no cost recorded' };
  }
  const logRatio =
    Math.log(costMoments(variant).mean) -
    Math.log(variant.meeting.meetings / variant.meeting.messages) -
    (Math.log(costMoments(baseline).mean) -
      Math.log(baseline.meeting.meetings / baseline.meeting.messages));
  const standardError = Math.sqrt(baselineVariance + variantVariance);
  return {
    z: standardError > 0 ? logRatio / standardError : null,
    units,
    notTestedBecause: standardError > 0 ? null : 'no variation to test',
  };
}

/** The cost rule's answer when an arm has no recorded cost; `noHarmReason` repeats it. */
function costUnknownBecause(modelVersion: string): string {
  return `cost unknown: no cost is recorded for ${modelVersion} (a model without a price in the catalog), so cost per meeting is neither cheaper nor dearer`;
}

function denominatorName(metric: HarmMetric): string {
  if (metric === 'negative_sentiment_rate') {
    return 'replies';
  }
  if (metric === 'error_rate') {
    return 'requests';
  }
  return 'messages with a closed window';
}
