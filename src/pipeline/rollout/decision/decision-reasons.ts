import type { DecisionOptions } from './decision-options.ts';
import type { RemainingEstimate } from './estimate-remaining.ts';
import { signedPercent } from './estimate-remaining.ts';
import type { HarmTest } from './harm-tests.ts';
import type { PromotionCheck } from './promotion-checks.ts';
import type { SampleRatioReport } from './sample-ratio-check.ts';

/** The sentences behind a decision, and the description of the method, for JSON and the table. */

export function checkReason(check: PromotionCheck): string {
  const name = check.metric.replace('_', ' ');
  const lower = check.anytime_interval?.lower;
  if (check.lift === null || lower === undefined) {
    return `${name}: no lift yet`;
  }
  const relation = check.met ? '≥' : '<';
  return `${name} lift ${signedPercent(check.lift)}, anytime-valid lower bound ${signedPercent(lower)} ${relation} ${signedPercent(check.threshold)} required`;
}

export function noHarmReason(tests: readonly HarmTest[]): string {
  const untested = tests.filter((test) => !test.tested).map((test) => test.metric);
  const costUnknown = tests.find(
    (test) =>
      test.metric === 'cost_per_meeting' && test.not_tested_because?.startsWith('cost unknown'),
  );
  const cost = costUnknown ? `; ${costUnknown.not_tested_because}` : '';
  return untested.length === 0
    ? 'no guardrail, goal or cost metric significantly worse (negative sentiment and cost per meeting not higher)'
    : `no tested metric significantly worse; not testable yet: ${untested.join(', ')}${cost}`;
}

export function remainingReason(estimate: RemainingEstimate): string {
  if (!estimate.reachable || estimate.weeks_needed === null) {
    return estimate.explanation;
  }
  const volume =
    estimate.weekly_volume === null
      ? ''
      : ` at ${Math.round(estimate.weekly_volume)} messages/week (${estimate.weekly_volume_source})`;
  const power = `${Math.round(estimate.target_power * 100)} % power at the current rates`;
  const limiting = (estimate.limiting_metric ?? '').replace('_', ' ');
  if (estimate.additional_messages_to_send === 0) {
    return `the messages already sent suffice once their windows close: about ${estimate.weeks_needed} weeks (limited by ${limiting}) for ${power}`;
  }
  return `about ${estimate.additional_messages_to_send} more messages (${estimate.additional_variant_messages} to this variant) and ${estimate.weeks_needed} weeks${volume} (limited by ${limiting}) for ${power}`;
}

export function srmReason(srm: SampleRatioReport): string {
  const observed = srm.arms.map((arm) => arm.observed).join(' / ');
  const expected = srm.arms.map((arm) => Math.round(arm.expected)).join(' / ');
  return `sample-ratio mismatch: observed ${observed} vs expected ${expected} (χ² = ${srm.chi_square?.toFixed(1)}, p = ${formatP(srm.p_value ?? 0)} < ${srm.threshold}); fix assignment or logging before judging`;
}

export function formatP(value: number): string {
  if (value === 0) {
    return '0';
  }
  return value < 0.0001 ? value.toExponential(1) : value.toPrecision(2);
}

export function describeMethod(
  options: DecisionOptions,
  alphaVariant: number,
): Record<string, unknown> {
  return {
    name: 'anytime-valid one-sided normal-mixture tests (asymptotic confidence sequences, Waudby-Smith et al.)',
    promote_rule:
      'promote when the anytime-valid lower bound of the reply-rate lift ≥ min_reply_lift and of the close-rate lift ≥ min_close_lift, and no goal, guardrail or cost metric is significantly worse',
    rollback_rule:
      'rollback when any of reply rate, close rate (lower) or negative sentiment, bounce, spam, unsubscribe, error rate, cost per meeting (higher) is significantly worse, Holm-adjusted',
    alpha: options.alpha,
    alpha_per_variant: alphaVariant,
    alpha_promote: alphaVariant / 2,
    alpha_harm: alphaVariant / 2,
    min_reply_lift: options.minReplyLift,
    min_close_lift: options.minCloseLift,
    min_samples_per_arm: options.minSamplesPerArm,
    min_events_per_arm: options.minEventsPerArm,
    min_harm_events: options.minHarmEvents,
    min_runtime_days: options.minRuntimeDays,
    srm_threshold: options.srmThreshold,
    planned_total_messages: options.plannedTotalMessages,
    power: options.power,
    windows_days: {
      reply: options.windows.replyDays,
      meeting: options.windows.meetingDays,
      close: options.windows.closeDays,
    },
  };
}
