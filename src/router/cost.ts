import type { Usage } from '../providers/index.ts';
import type { ModelTarget } from './model-target.ts';

/**
 * USD for one call from its usage and the target's price; null when the price or usage is unknown.
 * Streamed and non-streamed calls are priced the same way, from the upstream's own usage.
 */
export function costUsd(target: ModelTarget, usage: Usage): number | null {
  if (!target.pricing || usage.promptTokens === null || usage.completionTokens === null) {
    return null;
  }
  return (
    (usage.promptTokens * target.pricing.input + usage.completionTokens * target.pricing.output) /
    1_000_000
  );
}
