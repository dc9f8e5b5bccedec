import {
  type ArmAggregates,
  costMoments,
  estimateCostPerMeeting,
  estimateMean,
  estimateRate,
  type RateMetricName,
  type RouteAggregates,
  rateMetrics,
  revenueMoments,
  type ValueEstimate,
} from '../decision/index.ts';
import { proportionMoments, relativeLift } from '../statistics/index.ts';

type Pair = readonly [number, number] | null;

/**
 * One leaderboard row per model version. Names follow the `model_leaderboard` view
 * (`model_version, total_messages_sent, reply_rate, close_rate, reply_rate_vs_baseline,
 * close_rate_vs_baseline, deployed_at`); every estimate has a `_ci95` sibling [lower, upper]
 * (Wilson for rates, Student t for means, delta method for lifts; fixed-horizon, descriptive).
 */
export interface LeaderboardRow {
  readonly route: string;
  readonly model_version: string;
  readonly is_baseline: boolean;
  readonly traffic_percentage: number;
  readonly deployed_at: string | null;
  readonly total_messages_sent: number;
  readonly errors: number;
  /** Messages whose window has closed, per window. */
  readonly matured_messages: {
    readonly reply: number;
    readonly meeting: number;
    readonly close: number;
  };
  readonly [metric: string]: unknown;
}

export interface Leaderboard {
  readonly route: string;
  readonly as_of: string;
  readonly baseline: string | null;
  readonly rows: readonly LeaderboardRow[];
}

const liftMetrics: readonly RateMetricName[] = ['reply_rate', 'close_rate', 'meeting_rate'];

export function buildLeaderboard(aggregates: RouteAggregates, asOf: Date): Leaderboard {
  const baseline = aggregates.arms.find((arm) => arm.isBaseline) ?? null;
  const rows = [...aggregates.arms]
    .sort((left, right) => Number(right.isBaseline) - Number(left.isBaseline))
    .map((arm) => buildRow(aggregates.route, arm, baseline));
  return {
    route: aggregates.route,
    as_of: asOf.toISOString(),
    baseline: baseline?.modelVersion ?? null,
    rows,
  };
}

function buildRow(
  route: string,
  arm: ArmAggregates,
  baseline: ArmAggregates | null,
): LeaderboardRow {
  const metrics: Record<string, unknown> = {};
  for (const spec of rateMetrics) {
    const estimate = estimateRate(spec, arm);
    metrics[spec.name] = estimate.value;
    metrics[`${spec.name}_ci95`] = pair(estimate.interval);
  }
  addValue(metrics, 'revenue_per_message', estimateMean(revenueMoments(arm)));
  addValue(metrics, 'cost_per_message', estimateMean(costMoments(arm)));
  addValue(metrics, 'cost_per_meeting', estimateCostPerMeeting(arm));
  for (const name of liftMetrics) {
    const spec = rateMetrics.find((metric) => metric.name === name);
    if (!spec || !baseline || arm === baseline) {
      metrics[`${name}_vs_baseline`] = null;
      metrics[`${name}_vs_baseline_ci95`] = null;
      continue;
    }
    const lift = relativeLift(
      proportionMoments(spec.successes(baseline), spec.trials(baseline)),
      proportionMoments(spec.successes(arm), spec.trials(arm)),
    );
    const usable = Number.isFinite(lift.lift) && Number.isFinite(lift.standardError);
    metrics[`${name}_vs_baseline`] = usable ? lift.lift : null;
    metrics[`${name}_vs_baseline_ci95`] = usable ? pair(lift.interval) : null;
  }
  return {
    route,
    model_version: arm.modelVersion,
    is_baseline: arm.isBaseline,
    traffic_percentage: arm.trafficPercentage,
    deployed_at: arm.deployedAt?.toISOString() ?? null,
    total_messages_sent: arm.messagesSent,
    errors: arm.errors,
    matured_messages: {
      reply: arm.reply.messages,
      meeting: arm.meeting.messages,
      close: arm.close.messages,
    },
    ...(arm.fallbackMessages === undefined ? {} : { fallback_messages: arm.fallbackMessages }),
    ...metrics,
  };
}

function addValue(target: Record<string, unknown>, name: string, estimate: ValueEstimate): void {
  target[name] = estimate.value;
  target[`${name}_ci95`] = pair(estimate.interval);
}

function pair(interval: { lower: number; upper: number } | null): Pair {
  return interval === null ? null : [interval.lower, interval.upper];
}
