import type { GatewayConfig } from '../../../config/index.ts';
import {
  decisionOptionsFromConfig,
  type ExperimentEvaluation,
  evaluateExperiment,
  type OutcomeWindows,
} from '../decision/index.ts';
import type { LeaderboardSnapshot } from '../leaderboard/index.ts';

export type RolloutSettings = GatewayConfig['rollout'];

export interface EvaluateSnapshotOptions {
  /** Evaluation time; when absent, the snapshot's `as_of`, else `clockNow`. */
  readonly now?: Date | undefined;
  readonly clockNow: Date;
  /** Stated route messages per week (a flag or query parameter); beats the snapshot and config. */
  readonly weeklyVolume?: number | undefined;
}

/**
 * The decision for one snapshot under `config.rollout`. Precedence: an explicit `now` over the
 * snapshot's `as_of` over the clock; a stated weekly volume over the snapshot's over the config's;
 * the snapshot's planned total (an experiment file may set one) over the config's.
 */
export function evaluateSnapshot(
  snapshot: LeaderboardSnapshot,
  rollout: RolloutSettings,
  options: EvaluateSnapshotOptions,
): ExperimentEvaluation {
  const now = options.now ?? snapshot.asOf ?? options.clockNow;
  const weeklyVolume = options.weeklyVolume ?? snapshot.weeklyVolume ?? rollout.weekly_volume;
  const decisionOptions = decisionOptionsFromConfig(rollout, {
    weeklyVolume,
    ...(snapshot.plannedTotalMessages === null
      ? {}
      : { plannedTotalMessages: snapshot.plannedTotalMessages }),
  });
  return evaluateExperiment(snapshot.aggregates, decisionOptions, now);
}

/** The outcome windows of `config.rollout`. */
export function outcomeWindows(rollout: RolloutSettings): OutcomeWindows {
  return {
    replyDays: rollout.reply_window_days,
    meetingDays: rollout.meeting_window_days,
    closeDays: rollout.close_window_days,
  };
}
