import type { RouteConfig, RouteRule } from '../config/index.ts';
import type { ModelTarget } from './model-target.ts';
import { assignmentBucket, bucketCount } from './registry-snapshot.ts';
import type { RequestNeeds } from './request-needs.ts';

/** What the planner may look at; built once per request by the gateway. */
export interface RequestFeatures {
  readonly metadata: Readonly<Record<string, string>>;
  readonly promptTokens: number;
  readonly stream: boolean;
  readonly hasTools: boolean;
  /** Lead id, else campaign id, else request id: the unit of sticky assignment. */
  readonly assignmentKey: string;
  /** What the body asks of the model (deriveRequestNeeds); absent: nothing special. */
  readonly needs?: RequestNeeds;
}

export function ruleMatches(rule: RouteRule, features: RequestFeatures): boolean {
  const { match } = rule;
  if (match.metadata) {
    for (const [key, expected] of Object.entries(match.metadata)) {
      const actual = features.metadata[key];
      if (actual === undefined) {
        return false;
      }
      if (Array.isArray(expected) ? !expected.includes(actual) : expected !== actual) {
        return false;
      }
    }
  }
  if (match.min_prompt_tokens !== undefined && features.promptTokens < match.min_prompt_tokens) {
    return false;
  }
  if (match.max_prompt_tokens !== undefined && features.promptTokens > match.max_prompt_tokens) {
    return false;
  }
  if (match.stream !== undefined && match.stream !== features.stream) {
    return false;
  }
  if (match.has_tools !== undefined && match.has_tools !== features.hasTools) {
    return false;
  }
  return true;
}

/** USD per 1k tokens, input and output weighted equally; null when the price is unknown. */
export function blendedPricePer1k(target: ModelTarget): number | null {
  return target.pricing ? (target.pricing.input + target.pricing.output) / 2 / 1000 : null;
}

/** Sticky weighted choice: the key's bucket picks the first model; the rest keep their order. */
export function weightedOrder(
  targets: ModelTarget[],
  route: RouteConfig,
  key: string,
): ModelTarget[] {
  const weights = targets.map((target) => route.weights[target.name] ?? 1);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (total <= 0 || targets.length < 2) {
    return targets;
  }
  const point = (assignmentBucket('weighted', key) / bucketCount) * total;
  let cumulative = 0;
  const index = weights.findIndex((weight) => {
    cumulative += weight;
    return point < cumulative;
  });
  const chosen = index >= 0 ? index : targets.length - 1;
  return [targets[chosen] as ModelTarget, ...targets.filter((_, i) => i !== chosen)];
}
