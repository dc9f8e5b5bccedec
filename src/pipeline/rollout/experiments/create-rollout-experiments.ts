import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { GatewayConfig } from '../../../config/index.ts';
import type { GatewayMetrics, Logger } from '../../../metrics/index.ts';
import type { LeaderboardStore, RolloutEvent, Store } from '../../../store/index.ts';
import { RolloutAutomation } from '../automation/index.ts';
import { createStoreLeaderboardSource } from '../leaderboard/index.ts';
import type { RegistryService } from '../registry/index.ts';
import { outcomeWindows } from './evaluate-snapshot.ts';
import { ExperimentService } from './experiment-service.ts';

export interface RolloutExperiments {
  readonly experiments: ExperimentService;
  readonly automation: RolloutAutomation;
  readonly leaderboardStore: LeaderboardStore;
  /** The audit trail of registry changes, newest first. */
  events(route: string | undefined, limit: number): Promise<RolloutEvent[]>;
}

/**
 * The gateway's experiment parts over its store and registry service: the store-backed leaderboard
 * source, the experiment service behind /admin/leaderboard and /admin/experiments, and the
 * automation loop (started by the caller).
 */
export function createRolloutExperiments(parts: {
  config: GatewayConfig;
  store: Pick<Store, 'leaderboard' | 'registry'>;
  registry: RegistryService;
  metrics: Pick<GatewayMetrics, 'experimentRate'>;
  logger: Logger;
  instanceId?: string;
  clock?: () => Date;
}): RolloutExperiments {
  const { config, registry } = parts;
  const leaderboardStore = parts.store.leaderboard;
  const registryStore = parts.store.registry;
  const source = createStoreLeaderboardSource({
    cohorts: leaderboardStore,
    listModels: (route) => registry.list(route),
    windows: outcomeWindows(config.rollout),
  });
  const clock = parts.clock ?? (() => new Date());
  const experiments = new ExperimentService({
    source,
    rollout: config.rollout,
    knownRoutes: () => [
      config.default_route,
      ...Object.keys(config.routes),
      ...registry.current().map((row) => row.route),
    ],
    clock,
  });
  const automation = new RolloutAutomation({
    rollout: config.rollout,
    source,
    registry,
    claims: leaderboardStore,
    metrics: parts.metrics,
    logger: parts.logger,
    instanceId: parts.instanceId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    clock,
  });
  return {
    experiments,
    automation,
    leaderboardStore,
    events: (route, limit) => registryStore.events(route, limit),
  };
}
