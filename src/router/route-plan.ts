import type { RouteConfig } from '../config/index.ts';
import type { Refusal } from './capability-check.ts';
import type { ModelTarget } from './model-target.ts';

export interface RetryPolicy {
  readonly max_attempts: number;
  readonly initial_backoff_ms: number;
  readonly max_backoff_ms: number;
}

export interface RoutePlan {
  /** The route alias, or null when the client named a concrete model. */
  readonly route: string | null;
  /** `baseline`, an A/B group, `rule:<name>`, or `direct`. */
  readonly variant: string;
  /** Registry version when one applies, else the primary model's name. */
  readonly modelVersion: string;
  readonly registryEntryId: string | null;
  /** Attempt order: primary first, then fallbacks. Never empty; every one can serve the request. */
  readonly candidates: readonly ModelTarget[];
  /**
   * Models of the route left out because they cannot serve the request. When every candidate is
   * behind an open breaker, the client learns why these were not tried (400, with the param).
   */
  readonly refused: readonly Refusal[];
  readonly retry: RetryPolicy;
  readonly attemptTimeoutMs: number | undefined;
  /** Covers a stream until its last chunk too. */
  readonly totalTimeoutMs: number;
  /** Longest wait between two stream chunks; undefined → the provider's own setting. */
  readonly streamIdleTimeoutMs: number | undefined;
}

export const directRetry: RetryPolicy = {
  max_attempts: 2,
  initial_backoff_ms: 200,
  max_backoff_ms: 8_000,
};

/** One literal shape for every route plan (a spread of shared fields cost more than planning). */
export function routePlan(
  name: string,
  route: RouteConfig,
  variant: string,
  modelVersion: string,
  registryEntryId: string | null,
  candidates: readonly ModelTarget[],
  refused: readonly Refusal[],
): RoutePlan {
  return {
    route: name,
    variant,
    modelVersion,
    registryEntryId,
    candidates,
    refused,
    retry: route.retry,
    attemptTimeoutMs: route.attempt_timeout_ms,
    totalTimeoutMs: route.total_timeout_ms,
    streamIdleTimeoutMs: route.stream_idle_timeout_ms,
  };
}
