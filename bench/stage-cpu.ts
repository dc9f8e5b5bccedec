/**
 * `npm run bench:stages`: CPU per request, stage by stage, of the gateway as production runs it
 * (compiled, API key, 10 % variant, tracked lead ids) on PostgreSQL and on PGlite. The gateway runs
 * under `--cpu-prof`; wrk loads it; the main thread's CPU time from /proc over the measured window
 * is split in the proportions its profile samples fall into the stages (bench/harness/stage-rules.ts).
 * The store's write is measured where it runs: the PostgreSQL server's processes (/proc), or
 * PGlite's worker thread inside the gateway.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { postgresBinariesAvailable, startPostgresServer } from '../test/helpers/postgres-server.ts';
import { chatRequestBody } from './harness/canned-responses.ts';
import { measureThroughput } from './harness/load.ts';
import { freePort } from './harness/processes.ts';
import { buildGateway } from './harness/run-benchmark.ts';
import {
  formatStageTable,
  measureStages,
  type StageReport,
  stageMarkdown,
} from './harness/stage-report.ts';
import { startRekindle, type TargetContext } from './harness/targets.ts';
import { startUpstream, which } from './harness/upstream.ts';

const repoDir = dirname(dirname(fileURLToPath(import.meta.url)));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      store: { type: 'string', default: 'both' },
      seconds: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '5' },
      connections: { type: 'string', default: '16' },
      tsx: { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      json: { type: 'string' },
      markdown: { type: 'string' },
    },
    strict: true,
  });
  const log = (line: string) => process.stderr.write(`stages: ${line}\n`);
  const workDir = join(repoDir, 'bench', '.work', 'stages');
  const logDir = join(workDir, 'logs');
  rmSync(join(workDir, 'profiles'), { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  const stores = values.store === 'both' ? ['postgres', 'pglite'] : [values.store];
  const wrk = await which('wrk');
  const compiledEntry = values.tsx
    ? null
    : values['no-build']
      ? join(repoDir, 'dist', 'main.js')
      : await buildGateway(repoDir, log);
  const upstream = await startUpstream({ workDir, logDir, port: await freePort(), install: false });
  const reports: StageReport[] = [];
  try {
    for (const store of stores) {
      const profileDir = join(workDir, 'profiles', String(store));
      mkdirSync(profileDir, { recursive: true });
      const context: TargetContext = {
        repoDir,
        workDir,
        logDir,
        upstream,
        gatewayNodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-interval=500'],
        gatewayCompiledEntry: compiledEntry,
        log,
      };
      const postgres =
        store === 'postgres' && postgresBinariesAvailable() ? await startPostgresServer() : null;
      if (store === 'postgres' && !postgres) {
        log('PostgreSQL binaries missing: the postgres store is skipped');
        continue;
      }
      try {
        const url = postgres ? await postgres.database('rekindle_stages') : null;
        const gateway = await startRekindle(
          context,
          url ? { kind: 'postgres', url } : { kind: 'pglite' },
        );
        const load = (seconds: number, prefix: string) =>
          measureThroughput({
            endpoint: gateway.endpoint,
            body: chatRequestBody(false),
            connections: Number(values.connections),
            durationSeconds: seconds,
            wrk,
            autocannonRunner: join(repoDir, 'bench', 'harness', 'autocannon-runner.ts'),
            workDir,
            leadPrefix: `${Date.now().toString(36)}-${prefix}`,
          });
        log(`${store}: warming up ${values.warmup} s, then ${values.seconds} s measured`);
        reports.push(
          await measureStages({
            label: store === 'postgres' ? 'PostgreSQL' : 'PGlite',
            gateway,
            postgresPort: postgres?.port ?? null,
            profileDir,
            intervalUs: 500,
            warmup: () => load(Number(values.warmup), 'warm'),
            measure: () => load(Number(values.seconds), 'stages'),
          }),
        );
      } finally {
        await postgres?.stop();
      }
    }
  } finally {
    await upstream.stop();
  }
  process.stdout.write(`${reports.map(formatStageTable).join('\n\n')}\n`);
  if (values.markdown) {
    writeFileSync(values.markdown, stageMarkdown(reports));
    log(`wrote ${values.markdown}`);
  }
  if (values.json) {
    writeFileSync(values.json, `${JSON.stringify(reports, null, 2)}\n`);
    log(`wrote ${values.json}`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `stages: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
