import type {
  ArmAggregates,
  Decision,
  DecisionOptions,
  ExperimentEvaluation,
  RouteAggregates,
} from '../../../../src/pipeline/rollout/index.ts';
import { evaluateExperiment } from '../../../../src/pipeline/rollout/index.ts';
import { type RandomSource, sampleBinomial, sampleGamma, sampleNormal } from './random-source.ts';

/** True per-message rates of one arm. Meetings come from replies and deals from meetings. */
export interface TrueRates {
  readonly reply: number;
  readonly positiveShareOfReplies: number;
  readonly negativeShareOfReplies: number;
  readonly meeting: number;
  readonly close: number;
  readonly bounce: number;
  readonly spam: number;
  readonly unsubscribe: number;
  readonly error: number;
  readonly costMean: number;
  readonly costSd: number;
  readonly dealMean: number;
  readonly dealSd: number;
}

/** The seed's baseline (reply 12.3 %, meeting 5 %, close 3.1 %) and plausible guardrail rates. */
export const seedBaseline: TrueRates = {
  reply: 0.123,
  positiveShareOfReplies: 0.4,
  negativeShareOfReplies: 0.08,
  meeting: 0.05,
  close: 0.031,
  bounce: 0.02,
  spam: 0.0005,
  unsubscribe: 0.005,
  error: 0.002,
  costMean: 0.0055,
  costSd: 0.0015,
  dealMean: 15_000,
  dealSd: 6_000,
};

export interface SimulationDesign {
  readonly baseline: TrueRates;
  readonly variant: TrueRates;
  readonly variantShare: number;
  /** Route requests per week whose outcome windows close that week (steady state). */
  readonly weeklyVolume: number;
}

export interface SimulationOutcome {
  /** promote or rollback end a run; otherwise the last look's decision. */
  readonly decision: Decision;
  /** Week of the look that ended it (or the last week). */
  readonly week: number;
  /** The full evaluation at that look. */
  readonly evaluation: ExperimentEvaluation;
}

const dayMs = 86_400_000;
const start = new Date('2026-01-05T00:00:00Z');

/**
 * One experiment looked at weekly: each week adds a binomially sampled week of matured messages to
 * both arms (cumulative), then the real decision engine runs. "Week" means a week's worth of
 * messages whose outcome windows have all closed — in calendar time each cohort becomes visible
 * one window after it was sent.
 */
export function simulateExperiment(
  random: RandomSource,
  design: SimulationDesign,
  weeks: number,
  options: DecisionOptions,
): SimulationOutcome {
  let baseline = emptyArm('baseline', true, 100 * (1 - design.variantShare));
  let variant = emptyArm('variant', false, 100 * design.variantShare);
  let evaluation: ExperimentEvaluation | undefined;
  for (let week = 1; week <= weeks; week += 1) {
    const variantRequests = sampleBinomial(random, design.weeklyVolume, design.variantShare);
    baseline = addWeek(random, baseline, design.baseline, design.weeklyVolume - variantRequests);
    variant = addWeek(random, variant, design.variant, variantRequests);
    const aggregates: RouteAggregates = { route: 'outreach', arms: [baseline, variant] };
    const now = new Date(start.getTime() + week * 7 * dayMs);
    evaluation = evaluateExperiment(aggregates, options, now);
    if (evaluation.decision === 'promote' || evaluation.decision === 'rollback') {
      return { decision: evaluation.decision, week, evaluation };
    }
  }
  if (!evaluation) {
    throw new RangeError('simulate at least one week');
  }
  return { decision: evaluation.decision, week: weeks, evaluation };
}

function emptyArm(name: string, isBaseline: boolean, trafficPercentage: number): ArmAggregates {
  return {
    modelVersion: name,
    isBaseline,
    trafficPercentage,
    deployedAt: start,
    messagesSent: 0,
    errors: 0,
    cost: { sum: 0, sumOfSquares: 0 },
    reply: {
      messages: 0,
      replies: 0,
      positiveReplies: 0,
      negativeReplies: 0,
      bounces: 0,
      spamReports: 0,
      unsubscribes: 0,
    },
    meeting: { messages: 0, meetings: 0 },
    close: { messages: 0, deals: 0, revenue: { sum: 0, sumOfSquares: 0 } },
  };
}

function addWeek(
  random: RandomSource,
  arm: ArmAggregates,
  rates: TrueRates,
  requests: number,
): ArmAggregates {
  const errors = sampleBinomial(random, requests, rates.error);
  const messages = requests - errors;
  const replies = sampleBinomial(random, messages, rates.reply);
  const positive = sampleBinomial(random, replies, rates.positiveShareOfReplies);
  const negative = sampleBinomial(
    random,
    replies - positive,
    rates.negativeShareOfReplies / (1 - rates.positiveShareOfReplies),
  );
  const meetings = sampleBinomial(random, replies, rates.meeting / rates.reply);
  const deals = sampleBinomial(random, meetings, rates.close / rates.meeting);
  const cost = normalSums(random, messages, rates.costMean, rates.costSd);
  const revenue = normalSums(random, deals, rates.dealMean, rates.dealSd);
  return {
    ...arm,
    messagesSent: arm.messagesSent + messages,
    errors: arm.errors + errors,
    cost: {
      sum: arm.cost.sum + cost.sum,
      sumOfSquares: arm.cost.sumOfSquares + cost.sumOfSquares,
    },
    reply: {
      messages: arm.reply.messages + messages,
      replies: arm.reply.replies + replies,
      positiveReplies: arm.reply.positiveReplies + positive,
      negativeReplies: arm.reply.negativeReplies + negative,
      bounces: arm.reply.bounces + sampleBinomial(random, messages, rates.bounce),
      spamReports: arm.reply.spamReports + sampleBinomial(random, messages, rates.spam),
      unsubscribes: arm.reply.unsubscribes + sampleBinomial(random, messages, rates.unsubscribe),
    },
    meeting: {
      messages: arm.meeting.messages + messages,
      meetings: arm.meeting.meetings + meetings,
    },
    close: {
      messages: arm.close.messages + messages,
      deals: arm.close.deals + deals,
      revenue: {
        sum: arm.close.revenue.sum + revenue.sum,
        sumOfSquares: arm.close.revenue.sumOfSquares + revenue.sumOfSquares,
      },
    },
  };
}

/**
 * Sum and sum of squares of n iid N(μ, σ²) values from their exact sampling distributions: the mean
 * is N(μ, σ²/n) and, independently, Σ(x − x̄)² is σ²·χ²(n − 1) = σ²·2·Gamma((n − 1)/2).
 */
function normalSums(
  random: RandomSource,
  count: number,
  mean: number,
  sd: number,
): { sum: number; sumOfSquares: number } {
  if (count <= 0) {
    return { sum: 0, sumOfSquares: 0 };
  }
  const sampleMean = mean + (sd / Math.sqrt(count)) * sampleNormal(random);
  const deviations = count > 1 ? sd * sd * 2 * sampleGamma(random, (count - 1) / 2) : 0;
  return { sum: count * sampleMean, sumOfSquares: deviations + count * sampleMean * sampleMean };
}
