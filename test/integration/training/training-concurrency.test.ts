import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type GatewayConfig, loadConfig, readEnv } from '../../../src/config/index.ts';
import { TrainingOrchestrator } from '../../../src/pipeline/training/index.ts';
import { type Store, storeOverTransport } from '../../../src/store/create-store.ts';
import { migrate } from '../../../src/store/migrate.ts';
import type { TrainingRunsStore } from '../../../src/store/training-runs-store.ts';
import { PostgresTransport } from '../../../src/store/transports/postgres-transport.ts';
import { type RunningFineTuningFake, startFineTuningFake } from '../../fakes/fine-tuning-fake.ts';
import { type PostgresServer, startPostgresServer } from '../../helpers/postgres-server.ts';
import { describeWithServices, postgresService } from '../../helpers/services.ts';

/**
 * Two orchestrators (two connection pools, as two gateway instances would have) over one
 * PostgreSQL never advance the same run twice: each run gets one vendor job, enters each status
 * once, and is registered once, while both workers share the work. Leases and the
 * compare-and-set are checked on their own too.
 */
const postgres = postgresService();
const organizationId = 'org_training_concurrency';

describeWithServices([postgres], 'training runs under two orchestrators (PostgreSQL)', () => {
  let server: PostgresServer;
  /** Two stores, each over its own pool, as two gateway instances have. */
  let stores: [Store, Store];
  let fake: RunningFineTuningFake<'openai'>;
  let config: GatewayConfig;
  const directories: string[] = [];

  beforeAll(async () => {
    server = await startPostgresServer();
    const url = await server.database('training_concurrency');
    const pool = () => new PostgresTransport({ connectionString: url, maxConnections: 6 });
    const transports = [pool(), pool()] as const;
    stores = [
      storeOverTransport(transports[0], transports[0].executor),
      storeOverTransport(transports[1], transports[1].executor),
    ];
    await migrate(transports[0].executor);
    fake = await startFineTuningFake({ vendor: 'openai' });
    config = loadConfig({
      env: readEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.url }),
      file: { training: { poll_interval_ms: 10, min_examples: 10, validation_fraction: 0 } },
    });
    const outcomes = stores[0].outcomes;
    for (let index = 0; index < 24; index += 1) {
      const sent = await outcomes.recordMessageSent(organizationId, {
        lead_id: `lead-${index}`,
        message_body: `Hi there, following up on note ${index}.`,
        prompt_messages: [{ role: 'user', content: `Write follow-up number ${index}.` }],
      });
      await outcomes.recordDeal(organizationId, sent.id, { deal_value: 1_000 });
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all((stores ?? []).map((store) => store.close()));
    await fake?.close();
    await server?.stop();
    for (const directory of directories) {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  function orchestrator(index: number, overrides: Partial<GatewayConfig['training']> = {}) {
    const store = stores[index] as Store;
    const workDir = mkdtempSync(join(tmpdir(), `rekindle-worker-${index}-`));
    directories.push(workDir);
    return new TrainingOrchestrator({
      config: { ...config, training: { ...config.training, ...overrides } },
      runs: store.trainingRuns,
      outcomes: store.outcomes,
      registry: store.registry,
      workerId: `worker-${index}`,
      concurrency: 3,
      // Separate temp dirs: a run exported by one worker and uploaded by the other is exported again.
      workDir,
    });
  }

  it('two orchestrators finish eight runs: one job, one registry row, each status once per run', async () => {
    const [first, second] = [orchestrator(0), orchestrator(1)];
    const created = [];
    for (let count = 0; count < 8; count += 1) {
      created.push((await first.runTrainingCycle({ provider: 'openai', organizationId })).run);
    }
    expect(created.map((run) => run.model_version)).toEqual([
      'v1.0.0',
      'v1.1.0',
      'v1.2.0',
      'v1.3.0',
      'v1.4.0',
      'v1.5.0',
      'v1.6.0',
      'v1.7.0',
    ]);
    const runs = stores[0].trainingRuns;
    const deadline = Date.now() + 60_000;
    while ((await runs.list({ status: 'active' })).length > 0) {
      expect(Date.now()).toBeLessThan(deadline);
      await Promise.all([first.tick(), second.tick(), first.tick(), second.tick()]);
    }

    const workers = new Set<string>();
    for (const run of created) {
      const detail = await runs.get(run.id);
      expect(detail).toMatchObject({ status: 'registered', error: null });
      const entered = detail?.events.map((event) => event.to_status) ?? [];
      expect(entered).toEqual([
        'exporting',
        'uploading',
        'queued',
        'running',
        'succeeded',
        'registered',
      ]);
      for (const event of detail?.events ?? []) {
        if (event.worker) {
          workers.add(event.worker);
        }
      }
    }
    expect([...workers].sort()).toEqual(['worker-0', 'worker-1']);
    expect(fake.routes.jobs.size).toBe(8);
    const jobFiles = [...fake.routes.jobs.values()].map((record) => record.job.training_file);
    expect(new Set(jobFiles).size).toBe(8);
    const registry = await stores[1].registry.list('outreach');
    expect(registry.map((row) => row.model_version).sort()).toEqual(
      created.map((run) => run.model_version).sort(),
    );
    expect(new Set(registry.map((row) => row.training_run_id)).size).toBe(8);
  }, 90_000);

  it('of 20 concurrent claims on one due run exactly one wins', async () => {
    const runs = stores.map((store) => store.trainingRuns);
    const { run } = await (runs[0] as TrainingRunsStore).create({
      provider: 'openai',
      baseModel: 'gpt-4o-mini-2024-07-18',
      route: 'claims',
    });
    const now = new Date();
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        (runs[index % 2] as TrainingRunsStore).claim(`claimer-${index}`, 30_000, now, run.id),
      ),
    );
    const winners = claims.filter((claimed) => claimed !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]?.locked_by).toMatch(/^claimer-\d+$/);
  });

  it('a worker whose lease was taken over can no longer move the run', async () => {
    const runs = stores[0].trainingRuns;
    const { run } = await runs.create({
      provider: 'openai',
      baseModel: 'gpt-4o-mini-2024-07-18',
      route: 'leases',
    });
    const start = new Date();
    expect(await runs.claim('stalled', 1_000, start, run.id)).not.toBeNull();
    // Within the lease nobody else gets it; after it ran out, another worker does.
    expect(await runs.claim('other', 1_000, new Date(start.getTime() + 500), run.id)).toBeNull();
    const later = new Date(start.getTime() + 2_000);
    expect(await runs.claim('other', 30_000, later, run.id)).toMatchObject({ locked_by: 'other' });
    expect(await runs.renewLease(run.id, 'stalled', 30_000, later)).toBe(false);
    expect(
      await runs.advance(run.id, 'stalled', 'exporting', 'uploading', {}, { now: later }),
    ).toBeNull();
    expect(
      await runs.advance(run.id, 'other', 'exporting', 'uploading', {}, { now: later }),
    ).toMatchObject({
      status: 'uploading',
    });
    // A compare-and-set from a status the run already left fails as well.
    expect(
      await runs.advance(run.id, 'other', 'exporting', 'failed', {}, { now: later }),
    ).toBeNull();
  });

  it('a scheduled firing seen by both instances starts one run', async () => {
    const schedule = {
      cron: '0 3 * * 1',
      provider: 'openai' as const,
      deployImmediately: false,
      abTestTraffic: null,
    };
    const instances = [0, 1].map((index) => {
      const store = stores[index] as Store;
      return new TrainingOrchestrator({
        config: { ...config, training: { ...config.training, route: 'scheduled' } },
        runs: store.trainingRuns,
        outcomes: store.outcomes,
        registry: store.registry,
        workerId: `scheduler-${index}`,
        schedule,
      });
    });
    const firing = new Date('2026-11-30T03:00:00.000Z');
    const started = await Promise.all(
      instances.map((instance) => instance.runScheduledCycle(firing)),
    );
    expect(started.filter((run) => run !== null)).toHaveLength(1);
    const runs = await stores[0].trainingRuns.list({
      route: 'scheduled',
    });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      triggered_by: 'schedule',
      schedule_slot: 'scheduled@2026-11-30T03:00:00.000Z',
    });
    // The next firing is skipped while that run is still in progress.
    const next = await (instances[1] as TrainingOrchestrator).runScheduledCycle(
      new Date('2026-12-07T03:00:00.000Z'),
    );
    expect(next).toBeNull();
  });
});
