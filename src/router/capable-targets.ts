import { type Refusal, unmetNeed } from './capability-check.ts';
import type { ModelTarget } from './model-target.ts';
import type { RequestNeeds } from './request-needs.ts';

/**
 * Filters targets by what one request needs, remembering each target it left out (once) and why.
 * A plain request (the usual case) is checked against each target's table too: the checks are a
 * handful of comparisons, and the context window applies to every request.
 */
export class CapableTargets {
  readonly refused: Refusal[] = [];

  constructor(
    private readonly needs: RequestNeeds,
    private readonly promptTokens: number,
  ) {}

  keep(targets: ModelTarget[]): ModelTarget[] {
    return targets.filter((target) => {
      const need = unmetNeed(this.needs, this.promptTokens, target);
      if (need === undefined) {
        return true;
      }
      if (!this.refused.some((refusal) => refusal.target === target)) {
        this.refused.push({ target, need });
      }
      return false;
    });
  }

  any(targets: readonly ModelTarget[]): boolean {
    return targets.some((target) => unmetNeed(this.needs, this.promptTokens, target) === undefined);
  }
}
