import type { GatewayConfig } from '../../../config/index.ts';

export interface OutcomeWindows {
  readonly replyDays: number;
  readonly meetingDays: number;
  readonly closeDays: number;
}

export interface DecisionOptions {
  /**
   * Error budget per experiment: the chance of any wrong promote or rollback over all looks and all
   * variants. Split evenly across variants (Bonferroni), then half to promotion, half to harm.
   */
  readonly alpha: number;
  /** Relative reply-rate lift the variant must be confidently above (0.1 = +10 %). */
  readonly minReplyLift: number;
  /** Relative close-rate lift the variant must be confidently above (0.05 = +5 %). */
  readonly minCloseLift: number;
  /** Messages with closed windows per arm before reply or close rate may decide anything. */
  readonly minSamplesPerArm: number;
  /** Replies and deals per arm before a promotion (normal approximation; reference §8.3). */
  readonly minEventsPerArm: number;
  /** Events across both arms before a harm test runs. */
  readonly minHarmEvents: number;
  readonly minRuntimeDays: number;
  /** SRM p-value below which the experiment is invalid (GrowthBook: 0.001). */
  readonly srmThreshold: number;
  /** Expected route messages at decision time: the anytime-valid boundaries are tightest there. */
  readonly plannedTotalMessages: number;
  /** Route messages per week for time estimates; when absent, the observed rate is used. */
  readonly weeklyVolume: number | undefined;
  /** Power the "messages still needed" estimate aims for. */
  readonly power: number;
  readonly windows: OutcomeWindows;
}

export const defaultDecisionOptions: DecisionOptions = {
  alpha: 0.05,
  minReplyLift: 0.1,
  minCloseLift: 0.05,
  minSamplesPerArm: 200,
  minEventsPerArm: 30,
  minHarmEvents: 10,
  minRuntimeDays: 7,
  srmThreshold: 0.001,
  plannedTotalMessages: 200_000,
  weeklyVolume: undefined,
  power: 0.8,
  windows: { replyDays: 7, meetingDays: 21, closeDays: 90 },
};

/** Options from `config.rollout`, with the defaults above for what the config does not carry. */
export function decisionOptionsFromConfig(
  rollout: GatewayConfig['rollout'],
  overrides: Partial<DecisionOptions> = {},
): DecisionOptions {
  return {
    ...defaultDecisionOptions,
    alpha: rollout.alpha,
    minReplyLift: rollout.min_reply_lift,
    minCloseLift: rollout.min_close_lift,
    minSamplesPerArm: rollout.min_samples_per_arm,
    minEventsPerArm: rollout.min_events_per_arm,
    minHarmEvents: rollout.min_harm_events,
    minRuntimeDays: rollout.min_runtime_days,
    srmThreshold: rollout.srm_threshold,
    plannedTotalMessages: rollout.planned_total_messages,
    weeklyVolume: rollout.weekly_volume,
    windows: {
      replyDays: rollout.reply_window_days,
      meetingDays: rollout.meeting_window_days,
      closeDays: rollout.close_window_days,
    },
    ...overrides,
  };
}
