import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, expect } from 'vitest';
import { compiledBuild } from '../../helpers/compiled-build.ts';
import { type GatewayProcess, startGatewayProcess } from '../../helpers/gateway-process.ts';
import { type PostgresServer, startPostgresServer } from '../../helpers/postgres-server.ts';
import { type RedisServer, startRedisServer } from '../../helpers/redis-server.ts';
import {
  commandService,
  describeWithServices,
  itWithServices,
  postgresService,
  redisService,
} from '../../helpers/services.ts';
import { type NginxExample, startNginxExample } from './nginx-example.ts';

/**
 * Issue 18, Must show 2: two compiled replicas (`node dist/main.js`) on one PostgreSQL and one
 * Redis, behind nginx configured from deploy/nginx/rekindle.conf. Under a steady 100 req/s of
 * tracked chat requests, a rolling restart — SIGTERM replica 1, start it again, then the same for
 * replica 2 — fails no client request, and every outcome id handed out has its row.
 */
const services = [postgresService(), redisService(), commandService('nginx')];
const ratePerSecond = 100;
const temporary = mkdtempSync(join(tmpdir(), 'rekindle-rolling-'));
let postgres: PostgresServer;
let redis: RedisServer;
let replicas: GatewayProcess[] = [];
let nginx: NginxExample | undefined;
const agent = new Agent({ connections: 64, keepAliveTimeout: 30_000 });

describeWithServices(services, 'a rolling restart behind the nginx example', () => {
  beforeAll(async () => {
    const [dist, database, cache] = await Promise.all([
      compiledBuild(),
      startPostgresServer(),
      startRedisServer(),
    ]);
    postgres = database;
    redis = cache;
    const start = (migrate: boolean) =>
      startGatewayProcess({
        entry: join(dist, 'main.js'),
        databaseUrl: postgres.url,
        migrate,
        env: { REDIS_URL: redis.url },
        config: {
          providers: { sandbox: { type: 'sandbox', sandbox_latency_ms: 20 } },
          rate_limit: { default_rpm: 1_000_000 },
          server: { shutdown_grace_ms: 10_000 },
        },
      });
    // Migrate once, then the second replica starts on the migrated database.
    replicas = [await start(true)];
    replicas.push(await start(false));
    nginx = await startNginxExample(
      join(temporary, 'nginx'),
      replicas.map((replica) => `127.0.0.1:${replica.port}`),
    );
  }, 300_000);

  afterAll(async () => {
    await nginx?.stop();
    await Promise.all(replicas.map((replica) => replica.stop()));
    await agent.close();
    await redis?.stop();
    await postgres?.stop();
    rmSync(temporary, { recursive: true, force: true });
  });

  itWithServices(
    services,
    'loses no request at 100 req/s while each replica is stopped by SIGTERM and started again',
    async () => {
      const target = nginx as NginxExample;
      const results: Array<Promise<Result>> = [];
      let running = true;
      const started = performance.now();
      const load = (async () => {
        for (let index = 0; running; index += 1) {
          const due = started + (index * 1000) / ratePerSecond;
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
          results.push(trackedChat(target.url, index));
        }
      })();
      const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

      await pause(2_000);
      for (const replica of replicas) {
        expect(await replica.kill('SIGTERM')).toEqual({ code: 0, signal: null });
        expect(replica.output()).toMatch(/"msg":"drained","drained":true/);
        await replica.restart();
        await pause(1_500);
      }
      await pause(1_500);
      running = false;
      await load;
      const all = await Promise.all(results);

      const failed = all.filter((result) => result.outcomeId === null);
      expect(failed.map((result) => result.error)).toEqual([]);
      expect(all.length).toBeGreaterThan(ratePerSecond * 5);
      // nginx sends to both restarted replicas again.
      for (const replica of replicas) {
        const metrics = await (await fetch(`${replica.url}/metrics`)).text();
        expect(metrics).toMatch(/^rekindle_requests_total\{[^}]*status="200"[^}]*\} [1-9]/m);
      }
      const client = new pg.Client({ connectionString: postgres.url });
      await client.connect();
      try {
        const ids = all.map((result) => result.outcomeId);
        // Tracking is write-behind (flushed every tracking.flush_interval_ms): the last answers of
        // the run may still sit in a running replica's buffer for a moment, so wait for them.
        const storedCount = async () =>
          (
            await client.query<{ count: number }>(
              'select count(*)::int as count from outcome_labels where id = any($1::uuid[])',
              [ids],
            )
          ).rows[0]?.count;
        const deadline = performance.now() + 10_000;
        while ((await storedCount()) !== ids.length && performance.now() < deadline) {
          await pause(200);
        }
        expect(await storedCount()).toBe(ids.length);
      } finally {
        await client.end();
      }
      console.info(
        `rolling restart: ${all.length} requests in ${((performance.now() - started) / 1000).toFixed(1)} s, ${failed.length} failed`,
      );
    },
    180_000,
  );
});

interface Result {
  readonly outcomeId: string | null;
  readonly error: string;
}

async function trackedChat(url: string, index: number): Promise<Result> {
  try {
    const response = await request(`${url}/v1/chat/completions`, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json', 'x-rekindle-lead-id': `lead-${index}` },
      body: JSON.stringify({
        model: 'outreach',
        messages: [{ role: 'user', content: `Write to lead ${index}.` }],
      }),
    });
    const body = await response.body.text();
    const outcomeId = response.headers['x-rekindle-outcome-id'];
    return response.statusCode === 200 && typeof outcomeId === 'string'
      ? { outcomeId, error: '' }
      : { outcomeId: null, error: `${response.statusCode}: ${body.slice(0, 200)}` };
  } catch (error) {
    return { outcomeId: null, error: String(error) };
  }
}
