import {
  type Interval,
  oneSidedMixtureBoundary,
  oneSidedMixtureTime,
  proportionMoments,
  relativeLift,
} from '../statistics/index.ts';
import type { ArmAggregates } from './arm-aggregates.ts';
import {
  cohortMessages,
  costMoments,
  costPerMeetingLogVariance,
  estimateCostPerMeeting,
  estimateMean,
  estimateRate,
  type RateMetricName,
  rateMetric,
  revenueMoments,
  type ValueEstimate,
} from './arm-metrics.ts';
import type { DecisionOptions } from './decision-options.ts';

export type ComparedMetric =
  | RateMetricName
  | 'messages_sent'
  | 'cost_per_meeting'
  | 'cost_per_message'
  | 'revenue_per_message';

export interface ArmValue {
  readonly value: number | null;
  /** 95 % interval (Wilson for rates, Student t for means, log-scale delta for cost per meeting). */
  readonly interval: Interval | null;
  readonly numerator?: number;
  readonly denominator?: number;
}

export interface MetricComparison {
  readonly metric: ComparedMetric;
  readonly label: string;
  readonly baseline: ArmValue;
  readonly variant: ArmValue;
  /** Relative change of the variant against the baseline. */
  readonly lift: number | null;
  /** Fixed-horizon 95 % interval of the lift (valid for one look only; shown for reference). */
  readonly lift_interval_fixed: Interval | null;
  /** Anytime-valid interval: each end a one-sided bound at α_promote, valid at every look. */
  readonly lift_interval_anytime: Interval | null;
}

const rateRows: readonly RateMetricName[] = [
  'reply_rate',
  'positive_reply_rate',
  'meeting_rate',
  'close_rate',
  'negative_sentiment_rate',
  'bounce_rate',
  'spam_rate',
  'unsubscribe_rate',
  'error_rate',
];

export function compareMetrics(
  baseline: ArmAggregates,
  variant: ArmAggregates,
  alphaPromote: number,
  options: DecisionOptions,
): MetricComparison[] {
  // Rows on the same cohort share a sample size, hence a boundary: solve each once.
  const boundaries = new Map<number, number>();
  const boundaryAt = (units: number) => {
    let boundary = boundaries.get(units);
    if (boundary === undefined) {
      boundary = oneSidedMixtureBoundary(
        oneSidedMixtureTime(Math.max(units, 1), options.plannedTotalMessages, alphaPromote),
        alphaPromote,
      );
      boundaries.set(units, boundary);
    }
    return boundary;
  };
  const rows: MetricComparison[] = [
    {
      metric: 'messages_sent',
      label: 'Messages sent',
      baseline: { value: baseline.messagesSent, interval: null },
      variant: { value: variant.messagesSent, interval: null },
      lift: null,
      lift_interval_fixed: null,
      lift_interval_anytime: null,
    },
  ];
  for (const name of rateRows) {
    const spec = rateMetric(name);
    const lift = relativeLift(
      proportionMoments(spec.successes(baseline), spec.trials(baseline)),
      proportionMoments(spec.successes(variant), spec.trials(variant)),
    );
    const units = cohortMessages(baseline, spec.cohort) + cohortMessages(variant, spec.cohort);
    rows.push({
      metric: name,
      label: spec.label,
      baseline: estimateRate(spec, baseline),
      variant: estimateRate(spec, variant),
      ...liftFields(lift.lift, lift.standardError, lift.interval, boundaryAt(units)),
    });
  }
  rows.push(costPerMeetingRow(baseline, variant, boundaryAt));
  for (const [metric, label, moments, cohort] of [
    ['revenue_per_message', 'Revenue per message', revenueMoments, 'close'],
    ['cost_per_message', 'Cost per message', costMoments, 'sent'],
  ] as const) {
    const lift = relativeLift(moments(baseline), moments(variant));
    const units = cohortMessages(baseline, cohort) + cohortMessages(variant, cohort);
    rows.push({
      metric,
      label,
      baseline: valueOnly(estimateMean(moments(baseline))),
      variant: valueOnly(estimateMean(moments(variant))),
      ...liftFields(lift.lift, lift.standardError, lift.interval, boundaryAt(units)),
    });
  }
  return rows;
}

function costPerMeetingRow(
  baseline: ArmAggregates,
  variant: ArmAggregates,
  boundaryAt: (units: number) => number,
): MetricComparison {
  const baselineValue = estimateCostPerMeeting(baseline);
  const variantValue = estimateCostPerMeeting(variant);
  const baselineVariance = costPerMeetingLogVariance(baseline);
  const variantVariance = costPerMeetingLogVariance(variant);
  const row = {
    metric: 'cost_per_meeting' as const,
    label: 'Cost per meeting',
    baseline: valueOnly(baselineValue),
    variant: valueOnly(variantValue),
  };
  if (
    baselineValue.value === null ||
    variantValue.value === null ||
    baselineVariance === null ||
    variantVariance === null
  ) {
    return { ...row, lift: null, lift_interval_fixed: null, lift_interval_anytime: null };
  }
  // On the log scale, where the ratio of two positive quantities is close to normal.
  const logRatio = Math.log(variantValue.value / baselineValue.value);
  const standardError = Math.sqrt(baselineVariance + variantVariance);
  const ratioInterval = (multiplier: number) => ({
    lower: Math.exp(logRatio - multiplier * standardError) - 1,
    upper: Math.exp(logRatio + multiplier * standardError) - 1,
  });
  return {
    ...row,
    lift: Math.exp(logRatio) - 1,
    lift_interval_fixed: ratioInterval(1.959963984540054),
    lift_interval_anytime: ratioInterval(
      boundaryAt(baseline.meeting.messages + variant.meeting.messages),
    ),
  };
}

function liftFields(
  lift: number,
  standardError: number,
  fixed: Interval,
  boundary: number,
): Pick<MetricComparison, 'lift' | 'lift_interval_fixed' | 'lift_interval_anytime'> {
  if (!Number.isFinite(lift) || !Number.isFinite(standardError)) {
    return { lift: null, lift_interval_fixed: null, lift_interval_anytime: null };
  }
  return {
    lift,
    lift_interval_fixed: fixed,
    lift_interval_anytime: {
      lower: lift - boundary * standardError,
      upper: lift + boundary * standardError,
    },
  };
}

function valueOnly(estimate: ValueEstimate): ArmValue {
  return { value: estimate.value, interval: estimate.interval };
}
