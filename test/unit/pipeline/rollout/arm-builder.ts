import type { ArmAggregates } from '../../../../src/pipeline/rollout/index.ts';

export interface ArmRates {
  readonly reply: number;
  readonly positiveShareOfReplies: number;
  readonly negativeShareOfReplies: number;
  readonly meeting: number;
  readonly close: number;
  readonly bounce: number;
  readonly spam: number;
  readonly unsubscribe: number;
  readonly error: number;
  readonly costPerMessage: number;
  readonly costSd: number;
}

export const seedBaselineRates: ArmRates = {
  reply: 0.123,
  positiveShareOfReplies: 0.4,
  negativeShareOfReplies: 0.08,
  meeting: 0.05,
  close: 0.031,
  bounce: 0.02,
  spam: 0.0005,
  unsubscribe: 0.005,
  error: 0.002,
  costPerMessage: 0.0055,
  costSd: 0.0015,
};

/** The seed's variant: reply 12.3 % → 15.2 %, close 3.1 % → 3.8 % (meeting 5 % → 6.1 % assumed). */
export const seedVariantRates: ArmRates = {
  ...seedBaselineRates,
  reply: 0.152,
  positiveShareOfReplies: 0.45,
  negativeShareOfReplies: 0.065,
  meeting: 0.061,
  close: 0.038,
  unsubscribe: 0.0045,
  costPerMessage: 0.00066,
  costSd: 0.0002,
};

export interface ArmShape {
  readonly modelVersion: string;
  readonly isBaseline: boolean;
  readonly trafficPercentage: number;
  readonly deployedAt: Date | null;
  /** Messages sent, and messages whose reply / meeting / close windows have closed. */
  readonly sent: number;
  readonly replyMessages: number;
  readonly meetingMessages: number;
  readonly closeMessages: number;
}

/** An arm whose counts are the expected values at the given rates (rounded). */
export function armFromRates(shape: ArmShape, rates: ArmRates): ArmAggregates {
  const replies = Math.round(shape.replyMessages * rates.reply);
  const deals = Math.round(shape.closeMessages * rates.close);
  return {
    modelVersion: shape.modelVersion,
    isBaseline: shape.isBaseline,
    trafficPercentage: shape.trafficPercentage,
    deployedAt: shape.deployedAt,
    messagesSent: shape.sent,
    errors: Math.round((shape.sent * rates.error) / (1 - rates.error)),
    cost: {
      sum: shape.sent * rates.costPerMessage,
      sumOfSquares: shape.sent * (rates.costPerMessage ** 2 + rates.costSd ** 2),
    },
    reply: {
      messages: shape.replyMessages,
      replies,
      positiveReplies: Math.round(replies * rates.positiveShareOfReplies),
      negativeReplies: Math.round(replies * rates.negativeShareOfReplies),
      bounces: Math.round(shape.replyMessages * rates.bounce),
      spamReports: Math.round(shape.replyMessages * rates.spam),
      unsubscribes: Math.round(shape.replyMessages * rates.unsubscribe),
    },
    meeting: {
      messages: shape.meetingMessages,
      meetings: Math.round(shape.meetingMessages * rates.meeting),
    },
    close: {
      messages: shape.closeMessages,
      deals,
      revenue: { sum: deals * 15_000, sumOfSquares: deals * (15_000 ** 2 + 6_000 ** 2) },
    },
  };
}

/** Baseline and variant at a 90/10 split with every cohort equal to `perArmTotal` messages. */
export function steadyPair(
  total: number,
  variantRates: ArmRates,
  deployedAt: Date,
  baselineRates: ArmRates = seedBaselineRates,
): ArmAggregates[] {
  const shape = (modelVersion: string, isBaseline: boolean, share: number): ArmShape => {
    const messages = Math.round(total * share);
    return {
      modelVersion,
      isBaseline,
      trafficPercentage: share * 100,
      deployedAt,
      sent: messages,
      replyMessages: messages,
      meetingMessages: messages,
      closeMessages: messages,
    };
  };
  return [
    armFromRates(shape('baseline', true, 0.9), baselineRates),
    armFromRates(shape('v1.0.0', false, 0.1), variantRates),
  ];
}
