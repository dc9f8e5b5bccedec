import { vendorBaseUrls } from '../config/index.ts';
import { RegistryService, snapshotOfRegistry } from '../pipeline/index.ts';
import { createProviders } from '../providers/index.ts';
import { ChatRouter, startRedisBreakerBroadcast } from '../router/index.ts';
import type { Store } from '../store/index.ts';
import type { BuildContext } from './build-context.ts';

export interface RoutingParts {
  readonly router: ChatRouter;
  /** The model registry; every change (here or on another instance) reaches the router. */
  readonly registry: RegistryService;
}

/**
 * Step 2: upstream providers (their connection pools), the router over them, and the registry
 * snapshot it routes by — loaded before the first request, then kept current.
 */
export async function buildRouting(context: BuildContext, store: Store): Promise<RoutingParts> {
  const { config, logger, metrics } = context;
  const providers = createProviders(config, { vendorBaseUrls });
  context.onStop(() => providers.close());
  // With Redis, an open breaker is announced to every replica (counting stays local, off the hot path).
  const breakerBroadcast = config.store.redis_url
    ? await startRedisBreakerBroadcast({ url: config.store.redis_url, logger })
    : undefined;
  if (breakerBroadcast) {
    context.onStop(() => breakerBroadcast.close());
  }
  const router = new ChatRouter({
    config,
    providers,
    metrics,
    ...(breakerBroadcast ? { breakerBroadcast } : {}),
  });
  const registry = new RegistryService({
    store: store.registry,
    notifications: store,
    logger,
    metrics,
    onChange: (rows) => router.setRegistry(snapshotOfRegistry(rows)),
  });
  await registry.start();
  context.onStop(() => registry.stop());
  return { router, registry };
}
