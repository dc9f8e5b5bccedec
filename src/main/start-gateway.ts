import type { GatewayConfig } from '../config/index.ts';
import type { RunningServer } from '../gateway/index.ts';
import { createLogger, createMetrics, type GatewayMetrics, type Logger } from '../metrics/index.ts';
import type { RegistryService, TrackingBuffer, TrainingOrchestrator } from '../pipeline/index.ts';
import type { ChatRouter } from '../router/index.ts';
import type { Store } from '../store/index.ts';
import { type BuildContext, createStopList } from './build-context.ts';
import { buildHttp } from './build-http.ts';
import { buildPipeline } from './build-pipeline.ts';
import { buildRouting } from './build-routing.ts';
import { buildStore } from './build-store.ts';

export interface StartGatewayOptions {
  config: GatewayConfig;
  logger?: Logger;
  metrics?: GatewayMetrics;
  /** An already open store (tests share one; the caller closes it); else opened from `config.store`. */
  store?: Store;
  /**
   * Milliseconds since the epoch (default Date.now): stamps tracked messages, checks webhook
   * timestamps, judges experiments and drives training runs. The demo runs on a simulated clock.
   */
  now?: () => number;
}

export interface RunningGateway {
  readonly url: string;
  readonly server: RunningServer;
  readonly router: ChatRouter;
  readonly metrics: GatewayMetrics;
  readonly store: Store;
  readonly registry: RegistryService;
  readonly tracking: TrackingBuffer;
  readonly training: TrainingOrchestrator;
  /** Drain (up to the configured grace), flush tracking, close the store and upstream pools. */
  shutdown(): Promise<void>;
}

/**
 * The composition root: store → routing → pipeline → http, each step in its own file. What a
 * step starts it registers a stop for; if a later step fails, everything started so far is
 * stopped (newest first, an owned store last) before the error is rethrown.
 */
export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const { config } = options;
  const logger = options.logger ?? createLogger({ level: config.server.log_level });
  const stops = createStopList(logger);
  const context: BuildContext = {
    config,
    logger,
    metrics: options.metrics ?? createMetrics(),
    now: options.now ?? Date.now,
    onStop: (stop) => stops.push(stop),
  };
  try {
    const store = await buildStore(context, options.store);
    const routing = await buildRouting(context, store.store);
    const pipeline = await buildPipeline(context, store.store, routing);
    const server = await buildHttp(context, { store, routing, pipeline });
    let shuttingDown: Promise<void> | undefined;
    return {
      url: server.url,
      server,
      router: routing.router,
      metrics: context.metrics,
      store: store.store,
      registry: routing.registry,
      tracking: pipeline.tracking,
      training: pipeline.training,
      shutdown() {
        shuttingDown ??= (async () => {
          const { drained, abandoned } = await server.drain(config.server.shutdown_grace_ms);
          logger.info('drained', { drained, abandoned });
          await stops.run();
        })();
        return shuttingDown;
      },
    };
  } catch (error) {
    await stops.run();
    throw error;
  }
}
