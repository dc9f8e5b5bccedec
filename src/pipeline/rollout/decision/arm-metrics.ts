import {
  type Interval,
  momentsFromSums,
  normalQuantile,
  type SampleMoments,
  studentTQuantile,
  wilsonInterval,
} from '../statistics/index.ts';
import type { ArmAggregates } from './arm-aggregates.ts';

export type Cohort = 'reply' | 'meeting' | 'close' | 'sent';

export type RateMetricName =
  | 'reply_rate'
  | 'positive_reply_rate'
  | 'meeting_rate'
  | 'close_rate'
  | 'negative_sentiment_rate'
  | 'bounce_rate'
  | 'spam_rate'
  | 'unsubscribe_rate'
  | 'error_rate';

export interface RateMetricSpec {
  readonly name: RateMetricName;
  readonly label: string;
  readonly cohort: Cohort;
  /** Which direction hurts: a guardrail rising, or a goal metric falling. */
  readonly worseWhen: 'higher' | 'lower';
  successes(arm: ArmAggregates): number;
  trials(arm: ArmAggregates): number;
}

export const rateMetrics: readonly RateMetricSpec[] = [
  {
    name: 'reply_rate',
    label: 'Reply rate',
    cohort: 'reply',
    worseWhen: 'lower',
    successes: (arm) => arm.reply.replies,
    trials: (arm) => arm.reply.messages,
  },
  {
    name: 'positive_reply_rate',
    label: 'Positive-reply rate',
    cohort: 'reply',
    worseWhen: 'lower',
    successes: (arm) => arm.reply.positiveReplies,
    trials: (arm) => arm.reply.messages,
  },
  {
    name: 'meeting_rate',
    label: 'Meeting rate',
    cohort: 'meeting',
    worseWhen: 'lower',
    successes: (arm) => arm.meeting.meetings,
    trials: (arm) => arm.meeting.messages,
  },
  {
    name: 'close_rate',
    label: 'Close rate',
    cohort: 'close',
    worseWhen: 'lower',
    successes: (arm) => arm.close.deals,
    trials: (arm) => arm.close.messages,
  },
  {
    // Share of replies that are negative: a variant that earns more replies is not blamed for the
    // negative ones that come with them.
    name: 'negative_sentiment_rate',
    label: 'Negative sentiment',
    cohort: 'reply',
    worseWhen: 'higher',
    successes: (arm) => arm.reply.negativeReplies,
    trials: (arm) => arm.reply.replies,
  },
  {
    name: 'bounce_rate',
    label: 'Bounce rate',
    cohort: 'reply',
    worseWhen: 'higher',
    successes: (arm) => arm.reply.bounces,
    trials: (arm) => arm.reply.messages,
  },
  {
    name: 'spam_rate',
    label: 'Spam-report rate',
    cohort: 'reply',
    worseWhen: 'higher',
    successes: (arm) => arm.reply.spamReports,
    trials: (arm) => arm.reply.messages,
  },
  {
    name: 'unsubscribe_rate',
    label: 'Unsubscribe rate',
    cohort: 'reply',
    worseWhen: 'higher',
    successes: (arm) => arm.reply.unsubscribes,
    trials: (arm) => arm.reply.messages,
  },
  {
    name: 'error_rate',
    label: 'Error rate',
    cohort: 'sent',
    worseWhen: 'higher',
    successes: (arm) => arm.errors,
    trials: (arm) => arm.messagesSent + arm.errors,
  },
];

export function rateMetric(name: RateMetricName): RateMetricSpec {
  const spec = rateMetrics.find((metric) => metric.name === name);
  if (!spec) {
    throw new RangeError(`unknown rate metric ${name}`);
  }
  return spec;
}

/** Messages in a cohort: the experiment's sample size ("time") for metrics measured on it. */
export function cohortMessages(arm: ArmAggregates, cohort: Cohort): number {
  switch (cohort) {
    case 'reply':
      return arm.reply.messages;
    case 'meeting':
      return arm.meeting.messages;
    case 'close':
      return arm.close.messages;
    case 'sent':
      return arm.messagesSent + arm.errors;
  }
}

export interface RateEstimate {
  readonly value: number | null;
  /** Wilson 95 % interval. */
  readonly interval: Interval | null;
  readonly numerator: number;
  readonly denominator: number;
}

export interface ValueEstimate {
  readonly value: number | null;
  /** 95 % interval (Student t for means; delta method on the log scale for cost per meeting). */
  readonly interval: Interval | null;
}

export function estimateRate(spec: RateMetricSpec, arm: ArmAggregates): RateEstimate {
  const numerator = spec.successes(arm);
  const denominator = spec.trials(arm);
  if (denominator <= 0) {
    return { value: null, interval: null, numerator, denominator };
  }
  return {
    value: numerator / denominator,
    interval: wilsonInterval(numerator, denominator),
    numerator,
    denominator,
  };
}

export function costMoments(arm: ArmAggregates): SampleMoments {
  return momentsFromSums(arm.messagesSent, arm.cost.sum, arm.cost.sumOfSquares);
}

export function revenueMoments(arm: ArmAggregates): SampleMoments {
  return momentsFromSums(arm.close.messages, arm.close.revenue.sum, arm.close.revenue.sumOfSquares);
}

/** Mean with a Student t 95 % interval. */
export function estimateMean(moments: SampleMoments): ValueEstimate {
  if (moments.count <= 0) {
    return { value: null, interval: null };
  }
  if (moments.count < 2) {
    return { value: moments.mean, interval: null };
  }
  const halfWidth =
    studentTQuantile(0.975, moments.count - 1) * Math.sqrt(moments.variance / moments.count);
  return {
    value: moments.mean,
    interval: { lower: moments.mean - halfWidth, upper: moments.mean + halfWidth },
  };
}

/**
 * Cost per meeting = mean cost per message / meeting rate. Cost is incurred at generation, before
 * any outcome, so the two are treated as independent; on the log scale
 * var = s_c² / (n c̄²) + (1 − m) / (n_m m).
 */
export function costPerMeetingLogVariance(arm: ArmAggregates): number | null {
  const cost = costMoments(arm);
  const meetings = arm.meeting.meetings;
  const messages = arm.meeting.messages;
  if (cost.count <= 0 || cost.mean <= 0 || meetings <= 0 || messages <= 0) {
    return null;
  }
  const rate = meetings / messages;
  return cost.variance / (cost.count * cost.mean * cost.mean) + (1 - rate) / (messages * rate);
}

export function estimateCostPerMeeting(arm: ArmAggregates): ValueEstimate {
  const cost = costMoments(arm);
  const variance = costPerMeetingLogVariance(arm);
  if (variance === null) {
    return { value: null, interval: null };
  }
  const value = cost.mean / (arm.meeting.meetings / arm.meeting.messages);
  const halfWidth = normalQuantile(0.975) * Math.sqrt(variance);
  return {
    value,
    interval: { lower: value * Math.exp(-halfWidth), upper: value * Math.exp(halfWidth) },
  };
}
