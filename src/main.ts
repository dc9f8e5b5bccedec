import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import {
  ConfigError,
  type GatewayConfig,
  loadConfig,
  rawEnvironment,
  readEnv,
} from './config/index.ts';
import {
  createApp,
  createTenantAuthenticator,
  isLoopback,
  type RunningServer,
  startServer,
} from './gateway/index.ts';
import { createRouterClassifier } from './gateway/router-sentiment-classifier.ts';
import { registerAdminExperiments } from './gateway/routes/admin-experiments.ts';
import { registerAdminKeys } from './gateway/routes/admin-keys.ts';
import { registerAdminModels } from './gateway/routes/admin-models.ts';
import { registerAdminTraining } from './gateway/routes/admin-training.ts';
import { cachedCheck } from './gateway/routes/health.ts';
import { registerOutcomes } from './gateway/routes/outcomes.ts';
import { registerWebhooks } from './gateway/routes/webhooks.ts';
import { createLogger, createMetrics, type GatewayMetrics, type Logger } from './metrics/index.ts';
import { OutcomeTracker } from './pipeline/outcomes/outcome-tracker.ts';
import { createSentimentAnalyzer } from './pipeline/outcomes/sentiment/index.ts';
import { startWebhookReconciliation } from './pipeline/outcomes/stage-metrics.ts';
import { TrackingBuffer } from './pipeline/outcomes/tracking-buffer.ts';
import { createRolloutExperiments } from './pipeline/rollout/index.ts';
import { RegistryService, snapshotOfRegistry } from './pipeline/rollout/registry/index.ts';
import {
  scheduleFromConfig,
  TrainingOrchestrator,
} from './pipeline/training/orchestrator/index.ts';
import { createProviders } from './providers/index.ts';
import { ChatRouter, startRedisBreakerBroadcast } from './router/index.ts';
import {
  ApiKeyCache,
  createRateLimiter,
  createStore,
  createTenantRateLimit,
  type Store,
} from './store/index.ts';
import { ownsDataDirLock, recordGatewayInDataDir } from './store/transports/data-dir-lock.ts';

export interface StartGatewayOptions {
  config: GatewayConfig;
  logger?: Logger;
  metrics?: GatewayMetrics;
  /** An already open store (tests share one); otherwise opened from `config.store`. */
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

/** The composition root: builds every part from the config, wires them, starts the server. */
export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const { config } = options;
  const logger = options.logger ?? createLogger({ level: config.server.log_level });
  const metrics = options.metrics ?? createMetrics();
  const ownsStore = options.store === undefined;
  const store = options.store ?? (await createStore(config.store, { logger }));
  const cleanups: Array<() => Promise<unknown>> = [];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) {
      await step().catch((error: unknown) => logger.warn('shutdown step failed', { error }));
    }
  };
  try {
    const now = options.now ?? Date.now;
    return await compose({ config, logger, metrics, store, ownsStore, now, cleanups, cleanup });
  } catch (error) {
    await cleanup();
    if (ownsStore) {
      await store.close();
    }
    throw error;
  }
}

async function compose(parts: {
  config: GatewayConfig;
  logger: Logger;
  metrics: GatewayMetrics;
  store: Store;
  ownsStore: boolean;
  now: () => number;
  cleanups: Array<() => Promise<unknown>>;
  cleanup: () => Promise<void>;
}): Promise<RunningGateway> {
  const { config, logger, metrics, store, now, cleanups } = parts;
  if (parts.ownsStore) {
    cleanups.push(() => store.close());
  }
  const providers = createProviders(config);
  cleanups.push(() => providers.close());
  // With Redis, an open breaker is announced to every replica (counting stays local, off the hot path).
  const breakerBroadcast = config.store.redis_url
    ? await startRedisBreakerBroadcast({ url: config.store.redis_url, logger })
    : undefined;
  if (breakerBroadcast) {
    cleanups.push(() => breakerBroadcast.close());
  }
  const router = new ChatRouter({
    config,
    providers,
    metrics,
    ...(breakerBroadcast ? { breakerBroadcast } : {}),
  });

  const keys = new ApiKeyCache({ apiKeys: store.apiKeys, notifications: store, logger });
  await keys.start();
  cleanups.push(() => keys.stop());
  const loopback = isLoopback(config.server.host);
  if (!keys.hasKeys()) {
    if (!loopback) {
      throw new ConfigError([
        `server.host: ${config.server.host} is not a loopback address and no API keys exist; create one with \`rekindle keys create --org ORG\` first`,
      ]);
    }
    logger.warn('no API keys exist: accepting requests as organization "default" (loopback only)');
  }
  const auth = createTenantAuthenticator({ keys, allowOpen: loopback });

  const limiter = createRateLimiter({
    redisUrl: config.store.redis_url,
    logger,
    failOpenCounter: metrics.rateLimitFailOpenTotal,
  });
  cleanups.push(() => limiter.close());

  const tracking = new TrackingBuffer({
    store: store.outcomes,
    capacity: config.tracking.buffer_size,
    batchSize: config.tracking.batch_size,
    flushIntervalMs: config.tracking.flush_interval_ms,
    metrics,
    logger,
  }).start();
  cleanups.push(() => tracking.close());

  const registry = new RegistryService({
    store: store.registry,
    notifications: store,
    logger,
    metrics,
    onChange: (rows) => router.setRegistry(snapshotOfRegistry(rows)),
  });
  await registry.start();
  cleanups.push(() => registry.stop());

  // Leaderboard, decisions and the guarded automation loop (gauges; auto promote / rollback).
  const rollout = createRolloutExperiments({
    config,
    store,
    registry,
    metrics,
    logger,
    clock: () => new Date(now()),
  });
  rollout.automation.start();
  cleanups.push(() => rollout.automation.stop());

  // Durable training runs: resumes unfinished ones, runs the weekly schedule when configured;
  // PGlite has one owner, so leases left in its data dir by a killed process are stale.
  const training = new TrainingOrchestrator({
    config,
    runs: store.trainingRuns,
    outcomes: store.outcomes,
    registry,
    metrics,
    logger,
    releaseStaleLocksOnStart: store.kind === 'pglite',
    clock: now,
    schedule: scheduleFromConfig(config),
  });
  await training.start();
  cleanups.push(() => training.stop());

  const sentiment = createSentimentAnalyzer({
    classify: config.sentiment.route
      ? createRouterClassifier(router, config.sentiment.route)
      : undefined,
    timeoutMs: config.sentiment.timeout_ms,
    onFallback: (reason, error) =>
      logger.debug('sentiment fell back to the local classifier', { reason, error }),
  });
  const tracker = new OutcomeTracker({
    outcomes: store.outcomes,
    organizationId: 'default',
    analyzeReply: (reply, original) => sentiment.analyzeReply(reply, original),
    logger,
  });
  const webhookEvents = store.webhookEvents;
  const reconciliation = startWebhookReconciliation({
    store: webhookEvents,
    metrics,
    logger,
    intervalMs: config.webhooks.reconcile_interval_ms,
  });
  cleanups.push(async () => reconciliation.stop());

  // A CLI on this machine that finds the PGlite data dir locked goes through this gateway: its URL
  // goes into the lock after listen, with — on a loopback bind without REKINDLE_ADMIN_TOKEN — an
  // admin token made for this start, readable only by who can read the database files anyway.
  const dataDir =
    store.kind === 'pglite' && ownsDataDirLock(config.store.data_dir)
      ? config.store.data_dir
      : null;
  const localAdminToken =
    dataDir && loopback && !config.server.admin_token
      ? randomBytes(24).toString('base64url')
      : undefined;
  // Readiness asks the store itself (a real round trip), at most once a second however often
  // /readyz is called.
  const storeReachable = cachedCheck(() => store.ping());
  const gateway = createApp({
    config: localAdminToken
      ? { ...config, server: { ...config.server, admin_token: localAdminToken } }
      : config,
    router,
    metrics,
    logger,
    auth,
    rateLimiter: createTenantRateLimit(limiter, { defaultRpm: config.rate_limit.default_rpm }),
    tracking,
    now,
    readiness: {
      ready: async () => {
        const checks = {
          registry: registry.isLoaded,
          api_keys: keys.loaded,
          store: await storeReachable(),
        };
        return { ready: checks.registry && checks.api_keys && checks.store, checks };
      },
    },
    mount: [
      (app) => registerOutcomes(app, { tracker, metrics }),
      (app) => registerWebhooks(app, { config, store: webhookEvents, metrics, logger, now }),
      (app) => registerAdminModels(app, { registry, router, defaultRoute: config.default_route }),
      (app) => registerAdminExperiments(app, rollout),
      (app) => registerAdminTraining(app, { training, outcomes: store.outcomes, config }),
      (app) =>
        registerAdminKeys(app, {
          apiKeys: store.apiKeys,
          keys,
          defaultRpm: config.rate_limit.default_rpm,
          logger,
        }),
    ],
  });
  const server = await startServer({
    gateway,
    host: config.server.host,
    port: config.server.port,
    logger,
  });
  if (
    dataDir &&
    !recordGatewayInDataDir(dataDir, { url: localUrl(server.url), adminToken: localAdminToken })
  ) {
    logger.warn(
      'could not record the URL in the data directory lock; the CLI needs REKINDLE_GATEWAY_URL',
    );
  }
  logger.info('rekindle gateway listening', {
    url: server.url,
    store: store.kind,
    providers: Object.keys(config.providers).filter((id) => config.providers[id]?.enabled),
    default_route: config.default_route,
  });

  let shuttingDown: Promise<void> | undefined;
  return {
    url: server.url,
    server,
    router,
    metrics,
    store,
    registry,
    tracking,
    training,
    shutdown() {
      shuttingDown ??= (async () => {
        const { drained, abandoned } = await server.drain(config.server.shutdown_grace_ms);
        logger.info('drained', { drained, abandoned });
        await parts.cleanup();
      })();
      return shuttingDown;
    },
  };
}

/** The URL a client on this machine uses: a wildcard bind is reached on loopback. */
function localUrl(url: string): string {
  return url.replace('//0.0.0.0:', '//127.0.0.1:').replace('//[::]:', '//[::1]:');
}

async function main(): Promise<void> {
  const env = readEnv();
  let config: GatewayConfig;
  try {
    config = loadConfig({ env, rawEnv: rawEnvironment() });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`rekindle: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const gateway = await startGateway({ config });
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      process.stderr.write(`rekindle: second ${signal}, exiting now\n`);
      process.exit(1);
    }
    gateway.shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`rekindle: shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  main().catch((error: unknown) => {
    process.stderr.write(`rekindle: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
