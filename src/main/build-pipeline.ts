import { createRouterClassifier } from '../gateway/index.ts';
import {
  createRolloutExperiments,
  createSentimentAnalyzer,
  OutcomeTracker,
  type RolloutExperiments,
  scheduleFromConfig,
  startWebhookReconciliation,
  TrackingBuffer,
  TrainingOrchestrator,
} from '../pipeline/index.ts';
import type { ChatRouter } from '../router/index.ts';
import type { Store } from '../store/index.ts';
import type { BuildContext } from './build-context.ts';
import type { RoutingParts } from './build-routing.ts';

export interface PipelineParts {
  /** Write-behind of generated messages into outcome_labels. */
  readonly tracking: TrackingBuffer;
  /** The tracking API's outcomes (replies with sentiment, meetings, deals). */
  readonly tracker: OutcomeTracker;
  readonly rollout: RolloutExperiments;
  readonly training: TrainingOrchestrator;
}

/**
 * Step 3: the learning loop — tracking of generated messages, outcomes and their sentiment,
 * webhook reconciliation, the experiment automation (auto promote / rollback) and durable
 * training runs (resumed on start; the weekly schedule when configured).
 */
export async function buildPipeline(
  context: BuildContext,
  store: Store,
  routing: RoutingParts,
): Promise<PipelineParts> {
  const { config, logger, metrics, now } = context;
  const tracking = new TrackingBuffer({
    store: store.outcomes,
    capacity: config.tracking.buffer_size,
    batchSize: config.tracking.batch_size,
    flushIntervalMs: config.tracking.flush_interval_ms,
    metrics,
    logger,
  }).start();
  context.onStop(() => tracking.close());

  const rollout = createRolloutExperiments({
    config,
    store,
    registry: routing.registry,
    metrics,
    logger,
    clock: () => new Date(now()),
  });
  rollout.automation.start();
  context.onStop(() => rollout.automation.stop());

  // PGlite has one owner, so training leases left in its data dir by a killed process are stale.
  const training = new TrainingOrchestrator({
    config,
    runs: store.trainingRuns,
    outcomes: store.outcomes,
    registry: routing.registry,
    metrics,
    logger,
    releaseStaleLocksOnStart: store.kind === 'pglite',
    clock: now,
    schedule: scheduleFromConfig(config),
  });
  await training.start();
  context.onStop(() => training.stop());

  const tracker = createOutcomeTracker(context, store, routing.router);
  const reconciliation = startWebhookReconciliation({
    store: store.webhookEvents,
    metrics,
    logger,
    intervalMs: config.webhooks.reconcile_interval_ms,
  });
  context.onStop(async () => reconciliation.stop());
  return { tracking, tracker, rollout, training };
}

/** Replies are classified through the gateway's own router when a sentiment route is set. */
function createOutcomeTracker(
  context: BuildContext,
  store: Store,
  router: ChatRouter,
): OutcomeTracker {
  const { config, logger } = context;
  const sentiment = createSentimentAnalyzer({
    classify: config.sentiment.route
      ? createRouterClassifier(router, config.sentiment.route)
      : undefined,
    timeoutMs: config.sentiment.timeout_ms,
    onFallback: (reason, error) =>
      logger.debug('sentiment fell back to the local classifier', { reason, error }),
  });
  return new OutcomeTracker({
    outcomes: store.outcomes,
    organizationId: 'default',
    analyzeReply: (reply, original) => sentiment.analyzeReply(reply, original),
    logger,
  });
}
