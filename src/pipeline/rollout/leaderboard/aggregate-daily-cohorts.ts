import type { ArmAggregates, OutcomeWindows } from '../decision/index.ts';

/** Messages sent on one UTC day by one arm, and the outcomes they led to within their windows. */
export interface DailyCohort {
  /** UTC day, YYYY-MM-DD. */
  readonly date: string;
  readonly messagesSent: number;
  readonly errors: number;
  readonly costSum: number;
  readonly costSumOfSquares: number;
  readonly replies: number;
  readonly positiveReplies: number;
  readonly negativeReplies: number;
  readonly bounces: number;
  readonly spamReports: number;
  readonly unsubscribes: number;
  readonly meetings: number;
  readonly deals: number;
  readonly revenueSum: number;
  readonly revenueSumOfSquares: number;
}

export interface ArmDescription {
  readonly modelVersion: string;
  readonly isBaseline: boolean;
  readonly trafficPercentage: number;
  readonly deployedAt: Date | null;
}

const dayMs = 86_400_000;

/**
 * Sums daily cohorts into arm aggregates as of `now`: only whole days on or after `experimentStart`
 * (when the current split took effect) count, and each metric counts a day only once its window
 * has closed for every message of that day (day end + window ≤ now).
 */
export function aggregateDailyCohorts(
  arm: ArmDescription,
  cohorts: readonly DailyCohort[],
  options: { now: Date; windows: OutcomeWindows; experimentStart: Date | null },
): ArmAggregates {
  const now = options.now.getTime();
  const start = options.experimentStart?.getTime() ?? Number.NEGATIVE_INFINITY;
  const totals = {
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
  const closed = (dayEnd: number, windowDays: number) => dayEnd + windowDays * dayMs <= now;
  for (const cohort of cohorts) {
    const dayStart = Date.parse(`${cohort.date}T00:00:00Z`);
    const dayEnd = dayStart + dayMs;
    if (dayStart < start || dayStart >= now) {
      continue;
    }
    totals.messagesSent += cohort.messagesSent;
    totals.errors += cohort.errors;
    totals.cost.sum += cohort.costSum;
    totals.cost.sumOfSquares += cohort.costSumOfSquares;
    if (closed(dayEnd, options.windows.replyDays)) {
      totals.reply.messages += cohort.messagesSent;
      totals.reply.replies += cohort.replies;
      totals.reply.positiveReplies += cohort.positiveReplies;
      totals.reply.negativeReplies += cohort.negativeReplies;
      totals.reply.bounces += cohort.bounces;
      totals.reply.spamReports += cohort.spamReports;
      totals.reply.unsubscribes += cohort.unsubscribes;
    }
    if (closed(dayEnd, options.windows.meetingDays)) {
      totals.meeting.messages += cohort.messagesSent;
      totals.meeting.meetings += cohort.meetings;
    }
    if (closed(dayEnd, options.windows.closeDays)) {
      totals.close.messages += cohort.messagesSent;
      totals.close.deals += cohort.deals;
      totals.close.revenue.sum += cohort.revenueSum;
      totals.close.revenue.sumOfSquares += cohort.revenueSumOfSquares;
    }
  }
  return { ...arm, ...totals };
}
