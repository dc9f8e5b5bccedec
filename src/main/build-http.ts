import { randomBytes } from 'node:crypto';
// The composition root hands the gateway the CLI's text tables for `format=table`; the gateway
// itself never imports cli.
import { formatDecisionTable, formatLeaderboardTable } from '../cli/format/index.ts';
import type { GatewayConfig } from '../config/index.ts';
import {
  cachedCheck,
  createApp,
  type GatewayServices,
  type Readiness,
  type RunningServer,
  startServer,
} from '../gateway/index.ts';
import {
  createRateLimiter,
  createTenantRateLimit,
  ownsDataDirLock,
  recordGatewayInDataDir,
  runSql,
} from '../store/index.ts';
import { buildConsole } from './build-console.ts';
import type { BuildContext } from './build-context.ts';
import type { PipelineParts } from './build-pipeline.ts';
import type { RoutingParts } from './build-routing.ts';
import type { StoreParts } from './build-store.ts';

export interface HttpInputs {
  readonly store: StoreParts;
  readonly routing: RoutingParts;
  readonly pipeline: PipelineParts;
}

/**
 * Step 4: the HTTP app over every part built before (the route table is
 * src/gateway/register-routes.ts), listening on `server.host:port`.
 */
export async function buildHttp(context: BuildContext, parts: HttpInputs): Promise<RunningServer> {
  const { config, logger, metrics } = context;
  const { store } = parts.store;
  const local = localAccess(config, parts.store);
  const limiter = createRateLimiter({
    redisUrl: config.store.redis_url,
    algorithm: config.rate_limit.algorithm,
    replicas: config.rate_limit.replicas,
    logger,
    failOpenCounter: metrics.rateLimitFailOpenTotal,
    localFallbackCounter: metrics.rateLimitLocalFallbackTotal,
  });
  context.onStop(() => limiter.close());
  const gatewayConfig = local.adminToken
    ? { ...config, server: { ...config.server, admin_token: local.adminToken } }
    : config;
  const services: GatewayServices = {
    config: gatewayConfig,
    logger,
    metrics,
    now: context.now,
    router: parts.routing.router,
    readiness: readiness(parts),
    auth: parts.store.auth,
    rateLimiter: createTenantRateLimit(limiter, { defaultRpm: config.rate_limit.default_rpm }),
    tracking: parts.pipeline.tracking,
    tracker: parts.pipeline.tracker,
    responses: parts.pipeline.responses,
    webhookEvents: store.webhookEvents,
    registry: parts.routing.registry,
    experiments: {
      experiments: parts.pipeline.rollout.experiments,
      events: parts.pipeline.rollout.events,
      tables: { leaderboard: formatLeaderboardTable, decision: formatDecisionTable },
    },
    training: parts.pipeline.training,
    outcomes: store.outcomes,
    apiKeys: store.apiKeys,
    keys: parts.store.keys,
    sql: (query, options) => runSql(store.executor, query, options),
    console: buildConsole(context, parts, gatewayConfig),
  };
  const server = await startServer({
    gateway: createApp(services),
    host: config.server.host,
    port: config.server.port,
    logger,
    announceMs: config.server.shutdown_announce_ms,
  });
  if (local.dataDir && !recordGatewayInDataDir(local.dataDir, lockEntry(server, local))) {
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
  return server;
}

interface LocalAccess {
  /** The PGlite data directory this process owns, or null (another store, or not the owner). */
  readonly dataDir: string | null;
  readonly adminToken: string | undefined;
}

/**
 * A CLI on this machine that finds the PGlite data dir locked goes through this gateway: its URL
 * goes into the lock after listen, with — on a loopback bind without REKINDLE_ADMIN_TOKEN — an
 * admin token made for this start, readable only by who can read the database files anyway.
 */
function localAccess(config: GatewayConfig, parts: StoreParts): LocalAccess {
  const dataDir =
    parts.store.kind === 'pglite' && ownsDataDirLock(config.store.data_dir)
      ? config.store.data_dir
      : null;
  const adminToken =
    dataDir && parts.loopback && !config.server.admin_token
      ? randomBytes(24).toString('base64url')
      : undefined;
  return { dataDir, adminToken };
}

function lockEntry(server: RunningServer, local: LocalAccess) {
  // A client on this machine reaches a wildcard bind on loopback.
  const url = server.url.replace('//0.0.0.0:', '//127.0.0.1:').replace('//[::]:', '//[::1]:');
  return { url, adminToken: local.adminToken };
}

/**
 * /readyz: registry and keys loaded, and the store answering now — asked at most once a second
 * however often /readyz is called (a real round trip: store.ping).
 */
function readiness(parts: HttpInputs): Readiness {
  const storeReachable = cachedCheck(() => parts.store.store.ping());
  return {
    ready: async () => {
      const checks = {
        registry: parts.routing.registry.isLoaded,
        api_keys: parts.store.keys.loaded,
        store: await storeReachable(),
      };
      return { ready: checks.registry && checks.api_keys && checks.store, checks };
    },
  };
}
