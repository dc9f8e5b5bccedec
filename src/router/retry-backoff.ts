import type { GatewayError } from '../errors/index.ts';
import { ProviderError } from '../providers/index.ts';
import type { RoutePlan } from './route-plan.ts';

/** The wait before retrying the same model: the upstream's Retry-After, else jittered backoff. */
export function retryBackoff(plan: RoutePlan, tryNumber: number, error: GatewayError): number {
  const retryAfter = error instanceof ProviderError ? error.retryAfterMs : undefined;
  if (retryAfter !== undefined) {
    return Math.min(retryAfter, 60_000);
  }
  const base = plan.retry.initial_backoff_ms * 2 ** (tryNumber - 1);
  const capped = Math.min(base, plan.retry.max_backoff_ms);
  return capped / 2 + Math.random() * (capped / 2);
}
