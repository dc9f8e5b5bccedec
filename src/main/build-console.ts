import type { GatewayConfig } from '../config/index.ts';
import { type ConsoleServices, createLiveFigures } from '../console/index.ts';
import type { BuildContext } from './build-context.ts';
import type { PipelineParts } from './build-pipeline.ts';
import type { RoutingParts } from './build-routing.ts';
import type { StoreParts } from './build-store.ts';

/**
 * The console's services: the same registry, experiment service, orchestrator and key store the
 * admin API uses, the tenant keys in memory, and the live figures sampled from this process's
 * metrics (stopped on shutdown). `config` carries the admin token /admin checks.
 */
export function buildConsole(
  context: BuildContext,
  parts: { store: StoreParts; routing: RoutingParts; pipeline: PipelineParts },
  config: GatewayConfig,
): ConsoleServices {
  const { router } = parts.routing;
  const live = createLiveFigures({
    metrics: context.metrics,
    breakers: () => router.breakers.snapshot(Date.now()),
  });
  live.start();
  context.onStop(async () => live.stop());
  const { keys, auth } = parts.store;
  return {
    config,
    logger: context.logger,
    metrics: context.metrics,
    now: context.now,
    store: parts.store.store,
    registry: parts.routing.registry,
    router,
    experiments: parts.pipeline.rollout.experiments,
    rolloutEvents: (route, limit) => parts.pipeline.rollout.events(route, limit),
    training: parts.pipeline.training,
    tenants: {
      authenticateKey: (key) => keys.authenticate(key),
      isOpen: () => auth.authenticate(undefined) !== null,
    },
    keys,
    live,
  };
}
