/**
 * What the decision engine consumes: per arm (model version) of one route, the counts of the
 * experiment period — only time since the current traffic split took effect, so arms are compared
 * on concurrent traffic. Every outcome count belongs to the cohort of messages whose outcome window
 * has closed for that metric (reply 7 days, meeting 21, close 90 by default); counting younger
 * messages would favour whichever arm has older traffic (right-censoring).
 */

export interface SumAndSquares {
  readonly sum: number;
  readonly sumOfSquares: number;
}

/** Messages whose reply window has closed, and their engagement outcomes. */
interface ReplyCohort {
  readonly messages: number;
  readonly replies: number;
  readonly positiveReplies: number;
  readonly negativeReplies: number;
  readonly bounces: number;
  readonly spamReports: number;
  readonly unsubscribes: number;
}

/** Messages whose meeting window has closed, and the meetings they led to. */
interface MeetingCohort {
  readonly messages: number;
  readonly meetings: number;
}

/** Messages whose close window has closed, the deals they led to and the revenue (USD). */
interface CloseCohort {
  readonly messages: number;
  readonly deals: number;
  readonly revenue: SumAndSquares;
}

export interface ArmAggregates {
  readonly modelVersion: string;
  readonly isBaseline: boolean;
  /** Configured share of traffic, in percent (weights need not sum to 100; they are normalized). */
  readonly trafficPercentage: number;
  readonly deployedAt: Date | null;
  /** Messages generated for this arm in the experiment period, windows open or not. */
  readonly messagesSent: number;
  /** Requests assigned to this arm that failed (no message). */
  readonly errors: number;
  /** Generation cost (USD) of the `messagesSent` messages. */
  readonly cost: SumAndSquares;
  readonly reply: ReplyCohort;
  readonly meeting: MeetingCohort;
  readonly close: CloseCohort;
  /**
   * Messages of this version that a fallback model generated (the store source knows; files do
   * not). They say nothing about the version's model, so they are left out of the message and
   * outcome counts; the store source counts them in `errors` (the assigned model failed).
   */
  readonly fallbackMessages?: number;
}

export interface RouteAggregates {
  readonly route: string;
  readonly arms: readonly ArmAggregates[];
}
