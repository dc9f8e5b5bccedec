import { z } from 'zod';
import type { ArmAggregates, OutcomeWindows, SumAndSquares } from '../decision/index.ts';
import { RolloutInputError } from '../decision/index.ts';
import { type ArmDescription, aggregateDailyCohorts } from './aggregate-daily-cohorts.ts';
import type { LeaderboardSnapshot } from './leaderboard-source.ts';

/**
 * The experiment file read by `rekindle evaluate --input FILE` (format documented in
 * docs/experiments.md). Each arm gives either windowed totals (counts already restricted to messages
 * whose outcome window has closed) or `daily` cohorts, which are windowed here with the configured
 * windows as of `as_of` (or now).
 */
const count = z.number().int().nonnegative();
const timestamp = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), 'not an ISO 8601 date-time');
const sumSchema = z
  .object({ sum: z.number().nonnegative(), sum_squares: z.number().nonnegative().optional() })
  .strict();

const armFields = {
  model_version: z.string().min(1),
  is_baseline: z.boolean().default(false),
  traffic_percentage: z.number().min(0).max(100),
  deployed_at: timestamp.nullable().default(null),
};

const totalsArmSchema = z
  .object({
    ...armFields,
    messages_sent: count,
    errors: count.default(0),
    cost_usd: sumSchema.optional(),
    reply_window: z
      .object({
        messages: count,
        replies: count,
        positive_replies: count.default(0),
        negative_replies: count.default(0),
        bounces: count.default(0),
        spam_reports: count.default(0),
        unsubscribes: count.default(0),
      })
      .strict(),
    meeting_window: z.object({ messages: count, meetings: count }).strict(),
    close_window: z
      .object({ messages: count, deals: count, revenue_usd: sumSchema.optional() })
      .strict(),
  })
  .strict();

const dailyRowSchema = z
  .object({
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'),
    messages_sent: count,
    errors: count.default(0),
    cost_usd_sum: z.number().nonnegative().default(0),
    cost_usd_sum_squares: z.number().nonnegative().optional(),
    replies: count.default(0),
    positive_replies: count.default(0),
    negative_replies: count.default(0),
    bounces: count.default(0),
    spam_reports: count.default(0),
    unsubscribes: count.default(0),
    meetings: count.default(0),
    deals: count.default(0),
    revenue_usd_sum: z.number().nonnegative().default(0),
    revenue_usd_sum_squares: z.number().nonnegative().optional(),
  })
  .strict();

const dailyArmSchema = z.object({ ...armFields, daily: z.array(dailyRowSchema) }).strict();

const experimentFileSchema = z
  .object({
    route: z.string().min(1),
    as_of: timestamp.optional(),
    weekly_volume: z.number().positive().optional(),
    planned_total_messages: z.number().positive().optional(),
    arms: z.array(z.union([totalsArmSchema, dailyArmSchema])).min(1),
  })
  .strict();

type TotalsArm = z.infer<typeof totalsArmSchema>;

/** Validates and converts a parsed experiment file into a snapshot (pure). */
export function parseExperimentFile(
  input: unknown,
  options: { now: Date; windows: OutcomeWindows; source?: string },
): LeaderboardSnapshot {
  const parsed = experimentFileSchema.safeParse(input);
  const where = options.source ? `${options.source}: ` : '';
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new RolloutInputError(`${where}invalid experiment file: ${issues}`);
  }
  const file = parsed.data;
  const asOf = file.as_of ? new Date(file.as_of) : null;
  const now = asOf ?? options.now;
  const descriptions: ArmDescription[] = file.arms.map((arm) => ({
    modelVersion: arm.model_version,
    isBaseline: arm.is_baseline,
    trafficPercentage: arm.traffic_percentage,
    deployedAt: arm.deployed_at ? new Date(arm.deployed_at) : null,
  }));
  const deployments = descriptions.flatMap((arm) => (arm.deployedAt ? [arm.deployedAt] : []));
  const experimentStart =
    deployments.length > 0
      ? new Date(Math.max(...deployments.map((date) => date.getTime())))
      : null;
  const arms = file.arms.map((arm, index): ArmAggregates => {
    const description = descriptions[index] as ArmDescription;
    if ('daily' in arm) {
      return aggregateDailyCohorts(
        description,
        arm.daily.map((row) => ({
          date: row.date,
          messagesSent: row.messages_sent,
          errors: row.errors,
          costSum: row.cost_usd_sum,
          costSumOfSquares:
            row.cost_usd_sum_squares ?? equalShares(row.cost_usd_sum, row.messages_sent),
          replies: row.replies,
          positiveReplies: row.positive_replies,
          negativeReplies: row.negative_replies,
          bounces: row.bounces,
          spamReports: row.spam_reports,
          unsubscribes: row.unsubscribes,
          meetings: row.meetings,
          deals: row.deals,
          revenueSum: row.revenue_usd_sum,
          revenueSumOfSquares:
            row.revenue_usd_sum_squares ?? equalShares(row.revenue_usd_sum, row.deals),
        })),
        { now, windows: options.windows, experimentStart },
      );
    }
    return totalsToAggregates(description, arm);
  });
  const problems = arms.flatMap(consistencyProblems);
  if (problems.length > 0) {
    throw new RolloutInputError(`${where}inconsistent experiment file: ${problems.join('; ')}`);
  }
  return {
    aggregates: { route: file.route, arms },
    asOf,
    weeklyVolume: file.weekly_volume ?? null,
    plannedTotalMessages: file.planned_total_messages ?? null,
  };
}

function totalsToAggregates(description: ArmDescription, arm: TotalsArm): ArmAggregates {
  const sums = (
    value: { sum: number; sum_squares?: number | undefined } | undefined,
    units: number,
  ): SumAndSquares => ({
    sum: value?.sum ?? 0,
    sumOfSquares: value?.sum_squares ?? equalShares(value?.sum ?? 0, units),
  });
  return {
    ...description,
    messagesSent: arm.messages_sent,
    errors: arm.errors,
    // Without sum_squares: every message cost the same; every deal was worth the same.
    cost: sums(arm.cost_usd, arm.messages_sent),
    reply: {
      messages: arm.reply_window.messages,
      replies: arm.reply_window.replies,
      positiveReplies: arm.reply_window.positive_replies,
      negativeReplies: arm.reply_window.negative_replies,
      bounces: arm.reply_window.bounces,
      spamReports: arm.reply_window.spam_reports,
      unsubscribes: arm.reply_window.unsubscribes,
    },
    meeting: { messages: arm.meeting_window.messages, meetings: arm.meeting_window.meetings },
    close: {
      messages: arm.close_window.messages,
      deals: arm.close_window.deals,
      revenue: sums(arm.close_window.revenue_usd, arm.close_window.deals),
    },
  };
}

/** Σx² when a total is split evenly over `units` items. */
function equalShares(sum: number, units: number): number {
  return units > 0 ? (sum * sum) / units : 0;
}

function consistencyProblems(arm: ArmAggregates): string[] {
  const name = arm.modelVersion;
  const checks: [boolean, string][] = [
    [arm.reply.messages <= arm.messagesSent, 'reply_window.messages exceeds messages_sent'],
    [arm.meeting.messages <= arm.messagesSent, 'meeting_window.messages exceeds messages_sent'],
    [arm.close.messages <= arm.messagesSent, 'close_window.messages exceeds messages_sent'],
    [arm.reply.replies <= arm.reply.messages, 'more replies than messages'],
    [
      arm.reply.positiveReplies + arm.reply.negativeReplies <= arm.reply.replies,
      'positive + negative replies exceed replies',
    ],
    [
      Math.max(arm.reply.bounces, arm.reply.spamReports, arm.reply.unsubscribes) <=
        arm.reply.messages,
      'more bounces, spam reports or unsubscribes than messages',
    ],
    [arm.meeting.meetings <= arm.meeting.messages, 'more meetings than messages'],
    [arm.close.deals <= arm.close.messages, 'more deals than messages'],
  ];
  return checks.filter(([ok]) => !ok).map(([, problem]) => `${name}: ${problem}`);
}
