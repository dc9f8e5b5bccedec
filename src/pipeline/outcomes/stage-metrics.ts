import type { GatewayMetrics, Logger } from '../../metrics/index.ts';
import type { WebhookEventsStore } from '../../store/index.ts';

export interface StageReached {
  readonly route: string | null;
  readonly model_version: string | null;
  readonly stage: string;
  readonly count: number;
}

/** `rekindle_outcomes_total`: outcomes that newly reached a stage, once per outcome and stage. */
export function countStagesReached(
  metrics: Pick<GatewayMetrics, 'outcomesTotal'>,
  stages: readonly StageReached[],
): void {
  for (const reached of stages) {
    metrics.outcomesTotal.inc(
      {
        route: reached.route ?? 'direct',
        model_version: reached.model_version ?? 'unknown',
        event: reached.stage,
      },
      reached.count,
    );
  }
}

/**
 * Events that arrived before their outcome was known are matched again periodically (by message id,
 * deal or lead); what they apply is counted like any other stage reached.
 */
export function startWebhookReconciliation(options: {
  store: Pick<WebhookEventsStore, 'reconcileUnmatched'>;
  metrics: Pick<GatewayMetrics, 'outcomesTotal'>;
  logger: Logger;
  intervalMs: number;
}): { stop(): void } {
  const timer = setInterval(() => {
    options.store.reconcileUnmatched().then(
      (result) => countStagesReached(options.metrics, result.stages_by_version),
      (error: unknown) =>
        options.logger.warn('reconciling unmatched webhook events failed', { error }),
    );
  }, options.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
