/**
 * `npm run bench:console`: how long the console's pages take on the server over a store of
 * 100,000 outcomes (issue 14, must-show 5: the Overview under 500 ms). For each store — embedded
 * PGlite, and a local PostgreSQL 15 when its binaries are installed — it migrates a fresh store,
 * writes the outcomes with SQL, starts the gateway as `npm start` runs it (its own process, through
 * tsx), signs in with the admin token, loads each page a few times to warm up and then `--requests`
 * times in a row, and reads the server's own time from each answer's `Server-Timing` header (the
 * session lookup, the store's queries and the rendering; the wall time on 127.0.0.1 is shown too),
 * and the CPU time the gateway process spent per load (which other work on the machine does not
 * inflate). Exit 1 when an Overview's median server time is over the budget.
 *
 *   npm run bench:console -- [--outcomes 100000] [--requests 20] [--postgres auto|on|off]
 *                            [--budget-ms 500] [--json FILE]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createStore, type StoreSettings } from '../src/store/index.ts';
import { startGatewayProcess } from '../test/helpers/gateway-process.ts';
import { postgresBinariesAvailable, startPostgresServer } from '../test/helpers/postgres-server.ts';
import { benchOrganizations, seedOutcomes } from './console/seed-outcomes.ts';
import { type PageTiming, signInAsAdmin, type TimedPage, timePage } from './console/time-pages.ts';
import { formatNumber } from './harness/stats.ts';

const adminToken = 'console-bench-admin-token';
const log = (line: string) => process.stderr.write(`bench:console: ${line}\n`);

const pages: readonly TimedPage[] = [
  { name: 'Overview, last 30 days (the default)', path: '/console' },
  { name: 'Overview, all time', path: '/console?window=all' },
  {
    name: 'Overview, all time, one organization',
    path: `/console?window=all&org=${benchOrganizations[0].id}`,
  },
  { name: 'Outcomes, first page', path: '/console/outcomes' },
  { name: 'Outcomes, search by lead', path: '/console/outcomes?lead=lead-4242' },
];

interface StoreResult {
  readonly store: 'pglite' | 'postgres';
  readonly outcomes: number;
  readonly seedSeconds: number;
  readonly pages: PageTiming[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      outcomes: { type: 'string', default: '100000' },
      requests: { type: 'string', default: '20' },
      postgres: { type: 'string', default: 'auto' },
      'budget-ms': { type: 'string', default: '500' },
      json: { type: 'string' },
    },
  });
  const outcomes = positive(values.outcomes, 'outcomes');
  const requests = positive(values.requests, 'requests');
  const budgetMs = positive(values['budget-ms'], 'budget-ms');
  const withPostgres =
    values.postgres === 'on' || (values.postgres === 'auto' && postgresBinariesAvailable());
  const results: StoreResult[] = [await measurePglite(outcomes, requests)];
  if (withPostgres) {
    results.push(await measurePostgres(outcomes, requests));
  }
  process.stdout.write(`${table(results)}\n`);
  if (values.json) {
    writeFileSync(values.json, `${JSON.stringify({ budgetMs, results }, null, 2)}\n`);
  }
  const over = results.flatMap((result) =>
    result.pages
      .filter((page) => page.path.startsWith('/console?') || page.path === '/console')
      .filter((page) => page.serverP50Ms > budgetMs)
      .map((page) => `${result.store}: ${page.name} p50 ${formatNumber(page.serverP50Ms, 1)} ms`),
  );
  if (over.length > 0) {
    log(`over the ${budgetMs} ms budget: ${over.join('; ')}`);
    process.exitCode = 1;
  }
}

async function measurePglite(outcomes: number, requests: number): Promise<StoreResult> {
  const directory = mkdtempSync(join(tmpdir(), 'rekindle-console-bench-'));
  try {
    const dataDir = join(directory, 'pglite');
    const seedSeconds = await seed({ data_dir: dataDir }, outcomes);
    return await measure('pglite', { dataDir }, outcomes, seedSeconds, requests);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

async function measurePostgres(outcomes: number, requests: number): Promise<StoreResult> {
  const server = await startPostgresServer();
  try {
    const url = await server.database('rekindle_console_bench');
    const seedSeconds = await seed({ data_dir: '.rekindle', database_url: url }, outcomes);
    return await measure('postgres', { databaseUrl: url }, outcomes, seedSeconds, requests);
  } finally {
    await server.stop();
  }
}

/** A migrated store with the outcomes in it; resolves to the seconds the writing took. */
async function seed(settings: StoreSettings, outcomes: number): Promise<number> {
  const store = await createStore(settings, { autoMigrate: true });
  try {
    if (!store.executor) {
      throw new Error('the bench writes its outcomes with SQL: PGlite or PostgreSQL only');
    }
    log(`${store.kind}: writing ${outcomes} outcomes`);
    const started = performance.now();
    await seedOutcomes(store.executor, outcomes);
    return (performance.now() - started) / 1000;
  } finally {
    await store.close();
  }
}

async function measure(
  kind: StoreResult['store'],
  location: { dataDir: string } | { databaseUrl: string },
  outcomes: number,
  seedSeconds: number,
  requests: number,
): Promise<StoreResult> {
  const gateway = await startGatewayProcess({
    ...location,
    migrate: false,
    // A fresh start opens the store and loads the registry and keys; slow on a busy machine.
    readyTimeoutMs: 300_000,
    env: { REKINDLE_ADMIN_TOKEN: adminToken, LOG_LEVEL: 'warn' },
    config: { routes: { outreach: { models: ['sandbox/outreach-v1'] } } },
  });
  try {
    const cookie = await signInAsAdmin(gateway.url, adminToken);
    // The server times grow with whatever else runs on the machine; the CPU times do not.
    log(`${availableParallelism()} CPUs, load average ${loadavg()[0]?.toFixed(1)} (1 min)`);
    const timings: PageTiming[] = [];
    for (const page of pages) {
      log(`${kind}: ${page.name}`);
      timings.push(
        await timePage({
          baseUrl: gateway.url,
          cookie,
          page,
          pid: gateway.pid,
          requests,
          warmup: 3,
          expect: page.path.startsWith('/console/outcomes') ? 'Outcomes' : 'Progress',
        }),
      );
    }
    return { store: kind, outcomes, seedSeconds, pages: timings };
  } finally {
    await gateway.stop();
  }
}

function table(results: readonly StoreResult[]): string {
  const lines = [
    '| store | page | server p50 ms | server p95 ms | server max ms | wall p50 ms | wall p95 ms | CPU ms/load | KiB |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const result of results) {
    for (const page of result.pages) {
      lines.push(
        `| ${result.store} (${result.outcomes} outcomes) | ${page.name} | ${[
          page.serverP50Ms,
          page.serverP95Ms,
          page.serverMaxMs,
          page.wallP50Ms,
          page.wallP95Ms,
        ]
          .map((value) => formatNumber(value, 1))
          .join(' | ')} | ${formatNumber(page.cpuMsPerLoad ?? Number.NaN, 1)} | ${formatNumber(
          page.bytes / 1024,
          1,
        )} |`,
      );
    }
  }
  return lines.join('\n');
}

function positive(text: string | undefined, name: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`--${name} must be a whole number above 0`);
  }
  return value;
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
