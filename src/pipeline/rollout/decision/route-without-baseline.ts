import type { ArmAggregates, RouteAggregates } from './arm-aggregates.ts';

/**
 * Why a route's arms cannot be judged at all, or null when they can: a decision compares variants
 * with exactly one baseline over a split that gives traffic to someone. A fresh install (nothing in
 * the registry, nothing sent), messages sent with versions the registry does not know as a
 * baseline, and a broken split are ordinary states, not bad requests: they answer `invalid` with
 * this sentence as the reason.
 */
export function unjudgeableBecause(aggregates: RouteAggregates): string | null {
  const { route, arms } = aggregates;
  const baselines = arms.filter((arm) => arm.isBaseline);
  if (arms.length === 0) {
    return `no baseline: nothing is deployed on route "${route}" yet (no model in the registry, no messages sent); register a model and make it the baseline (rekindle models register --route ${route} --model-id ID --model-version V, then rekindle models set-baseline --route ${route} --model-version V)`;
  }
  if (baselines.length === 0) {
    return `no baseline: route "${route}" has no active baseline in the model registry (versions seen: ${versions(arms)}); make one the baseline (rekindle models set-baseline --route ${route} --model-version V) before variants can be judged`;
  }
  if (baselines.length > 1) {
    return `route "${route}" has ${baselines.length} baseline arms (${versions(baselines)}); a decision needs exactly one`;
  }
  const weightTotal = arms.reduce((sum, arm) => sum + arm.trafficPercentage, 0);
  if (!(weightTotal > 0)) {
    return `the traffic percentages of route "${route}" add up to 0: there is no split to judge`;
  }
  return null;
}

function versions(arms: readonly ArmAggregates[]): string {
  return arms.map((arm) => arm.modelVersion).join(', ');
}
