/**
 * Experiment, not a product entry point: Rekindle Gateway as N `node:cluster` workers on one port,
 * Prometheus metrics of all workers aggregated by the primary (prom-client AggregatorRegistry) on
 * its own port. Used by `npm run bench -- --cluster N` to measure what more processes buy.
 *
 * Each worker is a whole gateway (startGateway): its own upstream pools, tracking buffer, registry
 * snapshot (reloaded through Postgres LISTEN/poll like any replica) and in-memory rate limiter —
 * so without REDIS_URL an organization gets N× its limit. The store must be PostgreSQL: a PGlite
 * data dir belongs to one process.
 *
 * Env: as the gateway (PORT, DATABASE_URL, REKINDLE_CONFIG, …) plus CLUSTER_WORKERS,
 * CLUSTER_METRICS_PORT and REKINDLE_MAIN_MODULE (dist/main.js or src/main.ts).
 */
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { dirname, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AggregatorRegistry } from 'prom-client';

const workers = Number(process.env.CLUSTER_WORKERS ?? '2');
const mainModule =
  process.env.REKINDLE_MAIN_MODULE ?? new URL('../src/main.ts', import.meta.url).pathname;

if (cluster.isPrimary) {
  const aggregator = new AggregatorRegistry();
  for (let index = 0; index < workers; index++) {
    cluster.fork();
  }
  let stopping = false;
  cluster.on('exit', (worker, code) => {
    if (!stopping) {
      process.stderr.write(`cluster: worker ${worker.process.pid} exited (${code}); stopping\n`);
      process.exit(1);
    }
  });
  const metricsServer = createServer((request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    aggregator.clusterMetrics().then(
      (text) => response.writeHead(200, { 'content-type': aggregator.contentType }).end(text),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  });
  metricsServer.listen(Number(process.env.CLUSTER_METRICS_PORT ?? '0'), '127.0.0.1');
  const stop = () => {
    stopping = true;
    metricsServer.close();
    for (const worker of Object.values(cluster.workers ?? {})) {
      worker?.process.kill('SIGTERM');
    }
    const exited = () =>
      Object.values(cluster.workers ?? {}).every((worker) => !worker || worker.isDead());
    const timer = setInterval(() => {
      if (exited()) {
        clearInterval(timer);
        process.exit(0);
      }
    }, 50);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else {
  // Config and metrics from the same tree as the entry (dist/ or src/), so one copy of each runs.
  const sibling = (name: string) =>
    pathToFileURL(join(dirname(mainModule), name, `index${extname(mainModule)}`)).href;
  const [{ loadConfig, rawEnvironment, readEnv }, { createMetrics }, main] = await Promise.all([
    import(sibling('config')),
    import(sibling('metrics')),
    import(sibling('main')),
  ]);
  const config = loadConfig({ env: readEnv(), rawEnv: rawEnvironment() });
  const metrics = createMetrics();
  // prom-client answers the primary's requests only once an AggregatorRegistry was constructed in
  // the worker (that is where it adds its message listener).
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([metrics.registry]);
  const gateway = await main.startGateway({ config, metrics });
  const stop = () => {
    gateway.shutdown().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
