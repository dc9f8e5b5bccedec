import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type GatewayConfig, loadConfig, readEnv } from '../../../src/config/index.ts';
import { TrainingOrchestrator } from '../../../src/pipeline/training/index.ts';
import { type Store, storeOverTransport } from '../../../src/store/create-store.ts';
import { migrate } from '../../../src/store/migrate.ts';
import { PostgresTransport } from '../../../src/store/transports/postgres-transport.ts';
import { type RunningFineTuningFake, startFineTuningFake } from '../../fakes/fine-tuning-fake.ts';
import { type PostgresServer, startPostgresServer } from '../../helpers/postgres-server.ts';
import { describeWithServices, postgresService } from '../../helpers/services.ts';

/**
 * Issue 16 item 5: a weekly scheduled cycle that deploys at once used to add another 10 % variant
 * each week and never retire the last (four held 40 %, then deploys were refused). Three
 * instances (three pools over one PostgreSQL, as three gateway replicas have) share the schedule;
 * each policy of `training.schedule_variant_policy` is checked over three weekly firings.
 */
const postgres = postgresService();
const organizationId = 'org_scheduled_variants';
const weeks = [
  new Date('2026-11-16T03:00:00.000Z'),
  new Date('2026-11-23T03:00:00.000Z'),
  new Date('2026-11-30T03:00:00.000Z'),
];

describeWithServices(
  [postgres],
  'scheduled training variants (three instances, PostgreSQL)',
  () => {
    let server: PostgresServer;
    let stores: Store[];
    let fake: RunningFineTuningFake<'openai'>;
    let config: GatewayConfig;
    const directories: string[] = [];

    beforeAll(async () => {
      server = await startPostgresServer();
      const url = await server.database('scheduled_variants');
      const transports = [0, 1, 2].map(
        () => new PostgresTransport({ connectionString: url, maxConnections: 4 }),
      );
      stores = transports.map((transport) => storeOverTransport(transport, transport.executor));
      for (const transport of transports.slice(0, 1)) {
        await migrate(transport.executor);
      }
      fake = await startFineTuningFake({ vendor: 'openai' });
      config = loadConfig({
        env: readEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.url }),
        file: { training: { poll_interval_ms: 10, min_examples: 10, validation_fraction: 0 } },
      });
      const outcomes = (stores[0] as Store).outcomes;
      for (let index = 0; index < 16; index += 1) {
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

    function instances(
      route: string,
      policy: GatewayConfig['training']['schedule_variant_policy'],
    ) {
      return stores.map((store, index) => {
        const workDir = mkdtempSync(join(tmpdir(), `rekindle-scheduled-${index}-`));
        directories.push(workDir);
        return new TrainingOrchestrator({
          config: {
            ...config,
            training: { ...config.training, route, schedule_variant_policy: policy },
          },
          runs: store.trainingRuns,
          outcomes: store.outcomes,
          registry: store.registry,
          workerId: `${route}-${index}`,
          workDir,
          schedule: {
            cron: '0 3 * * 1',
            provider: 'openai',
            deployImmediately: true,
            abTestTraffic: 10,
          },
        });
      });
    }

    /** Fires one week on every instance, then ticks them all until no run of the route is active. */
    async function week(all: TrainingOrchestrator[], firing: Date, route: string) {
      const started = await Promise.all(all.map((instance) => instance.runScheduledCycle(firing)));
      const runs = (stores[0] as Store).trainingRuns;
      const deadline = Date.now() + 60_000;
      while ((await runs.list({ status: 'active', route })).length > 0) {
        expect(Date.now()).toBeLessThan(deadline);
        await Promise.all(all.map((instance) => instance.tick()));
      }
      return started.filter((run) => run !== null);
    }

    async function testing(route: string) {
      const rows = await (stores[1] as Store).registry.list(route);
      return rows.filter((row) => row.status === 'testing');
    }

    it('replace (the default): one scheduled variant at 10 %; the one before is rolled back with the reason', async () => {
      expect(config.training.schedule_variant_policy).toBe('replace');
      const route = 'weekly_replace';
      const all = instances(route, 'replace');
      for (const [index, firing] of weeks.entries()) {
        expect(await week(all, firing, route)).toHaveLength(1);
        const variants = await testing(route);
        expect(variants.map((row) => [row.model_version, row.traffic_percentage])).toEqual([
          [`v1.${index}.0`, 10],
        ]);
      }
      const rows = await (stores[2] as Store).registry.list(route);
      const byVersion = new Map(rows.map((row) => [row.model_version, row.status]));
      expect(byVersion.get('v1.0.0')).toBe('rolled_back');
      expect(byVersion.get('v1.1.0')).toBe('rolled_back');
      const rollbacks = (await (stores[0] as Store).registry.events(route)).filter(
        (event) => event.action === 'rollback',
      );
      expect(rollbacks).toHaveLength(2);
      for (const event of rollbacks) {
        expect(event).toMatchObject({ automatic: true, actor: 'training' });
        expect(event.reason).toMatch(/^replaced by scheduled training run .+ \(v1\.[12]\.0\)/);
      }
    });

    it('wait: no scheduled cycle starts while the last scheduled variant is still testing', async () => {
      const route = 'weekly_wait';
      const all = instances(route, 'wait');
      expect(await week(all, weeks[0] as Date, route)).toHaveLength(1);
      expect(await week(all, weeks[1] as Date, route)).toHaveLength(0);
      expect((await testing(route)).map((row) => row.model_version)).toEqual(['v1.0.0']);
      // Once it is decided (here rolled back by hand), the next firing trains and deploys again.
      await (stores[0] as Store).registry.rollback(route, 'v1.0.0', { reason: 'decided' });
      expect(await week(all, weeks[2] as Date, route)).toHaveLength(1);
      expect((await testing(route)).map((row) => row.model_version)).toEqual(['v1.1.0']);
    });

    it('stack: each scheduled variant is added beside the others (the old behaviour, on request)', async () => {
      const route = 'weekly_stack';
      const all = instances(route, 'stack');
      for (const firing of weeks) {
        await week(all, firing, route);
      }
      const variants = await testing(route);
      expect(variants.map((row) => row.traffic_percentage)).toEqual([10, 10, 10]);
    });
  },
);
