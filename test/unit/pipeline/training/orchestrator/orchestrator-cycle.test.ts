import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PgliteTransport } from '../../../../../src/store/transports/pglite-transport.ts';
import {
  type RunningFineTuningFake,
  startFineTuningFake,
} from '../../../../fakes/fine-tuning-fake.ts';
import { closeSharedPglite, sharedPglite } from '../../../../helpers/pglite.ts';
import { harness, openAIConfig, seedDeals } from './orchestrator-harness.ts';

/** Versions, polling with backoff, registering and deploying, the gauge. */
describe('training cycles', () => {
  let transport: PgliteTransport;
  let fake: RunningFineTuningFake<'openai'>;

  beforeAll(async () => {
    // Jobs move one status per 4 polls, so polls that see no change can be counted.
    [transport, fake] = await Promise.all([
      sharedPglite(),
      startFineTuningFake({ vendor: 'openai', advance: { mode: 'poll', pollsPerStep: 4 } }),
    ]);
    await seedDeals(transport, 'org_cycle', 15);
  }, 60_000);

  afterAll(async () => {
    await fake?.close();
    await closeSharedPglite();
  });

  it('names versions by the seed scheme: v1.0.0, then a minor bump; failed runs give theirs back', async () => {
    const test = harness(transport, openAIConfig(fake));
    const create = (modelVersion?: string) =>
      test.runs.create({
        provider: 'openai',
        baseModel: 'gpt-4o-mini-2024-07-18',
        route: 'versions',
        ...(modelVersion ? { modelVersion } : {}),
      });
    expect((await create()).run.model_version).toBe('v1.0.0');
    const second = (await create()).run;
    expect(second.model_version).toBe('v1.1.0');
    expect((await create('v2.0.0')).run.model_version).toBe('v2.0.0');
    expect((await create()).run.model_version).toBe('v2.1.0');
    await expect(create('v2.0.0')).rejects.toMatchObject({
      status: 409,
      code: 'training_run_conflict',
    });
    await expect(create('not a version!')).rejects.toMatchObject({ status: 400 });

    // A registered model counts too (e.g. one registered by hand).
    await test.registry.register({
      route: 'versions',
      model_id: 'ft:gpt-4o-mini-2024-07-18:acme::manual01',
      provider: 'openai',
      model_version: 'v3.4.1',
    });
    const next = (await create()).run;
    expect(next.model_version).toBe('v3.5.0');
    await test.runs.cancel(next.id, { now: new Date() });
    expect((await create()).run.model_version).toBe('v3.5.0');
    test.close();
  });

  it('polls with backoff, registers the vendor model with its stats and deploys at the asked share', async () => {
    const test = harness(transport, openAIConfig(fake, { poll_interval_ms: 1_000 }), {
      maxPollIntervalMs: 3_000,
    });
    const { run } = await test.orchestrator.runTrainingCycle({
      provider: 'openai',
      organizationId: 'org_cycle',
      route: 'cycle',
      deployImmediately: true,
      abTestTraffic: 25,
    });
    await test.orchestrator.tick(run.id);
    const delays: number[] = [];
    for (let poll = 0; poll < 40; poll += 1) {
      const current = await test.runs.get(run.id);
      if (!current || current.status === 'deployed' || current.status === 'failed') {
        break;
      }
      const due = Date.parse(current.next_poll_at ?? '') - test.now();
      delays.push(due);
      test.advance(due);
      await test.orchestrator.tick(run.id);
    }
    // Unchanged polls back off (1 s, 1.5 s, 2.25 s, capped at 3 s); a status change resets it.
    expect(delays).toEqual([
      1_000, 1_500, 2_250, 3_000, 1_000, 1_500, 2_250, 3_000, 1_000, 1_500, 2_250, 3_000,
    ]);
    const deployed = await test.runs.get(run.id);
    expect(deployed).toMatchObject({
      status: 'deployed',
      error: null,
      provider_status: 'succeeded',
    });
    expect(deployed?.trained_tokens).toBeGreaterThan(0);
    const [row] = await test.registry.list('cycle');
    expect(row).toMatchObject({
      id: deployed?.registry_id,
      model_id: deployed?.fine_tuned_model,
      model_version: 'v1.0.0',
      base_model: 'gpt-4o-mini-2024-07-18',
      status: 'testing',
      traffic_percentage: 25,
      training_run_id: run.id,
      training_stats: {
        provider: 'openai',
        provider_job_id: deployed?.provider_job_id,
        trained_tokens: deployed?.trained_tokens,
        examples: { total: 15, train: 15, validation: 0 },
        average_quality_score: 1,
      },
    });
    const events = await test.registry.events('cycle');
    expect(events.map((event) => [event.action, event.automatic, event.actor])).toEqual([
      ['deploy', true, 'training'],
      ['register', false, 'training'],
    ]);
    test.close();
  });

  it('keeps a registered model when its deploy is refused, with the reason on the run', async () => {
    const test = harness(transport, openAIConfig(fake, { poll_interval_ms: 10 }));
    await test.registry.register({
      route: 'crowded',
      model_id: 'gpt-4o-mini',
      provider: 'openai',
      model_version: 'other',
    });
    await test.registry.deploy('crowded', 'other', 95, null);
    const { run } = await test.orchestrator.runTrainingCycle({
      provider: 'openai',
      organizationId: 'org_cycle',
      route: 'crowded',
      deployImmediately: true,
      abTestTraffic: 10,
    });
    const finished = await test.orchestrator.driveRun(run.id, {
      onProgress: () => test.advance(1_000),
    });
    expect(finished).toMatchObject({ status: 'registered', error: { code: 'deploy_failed' } });
    expect(finished.error?.message).toMatch(/at most 100/);
    expect((await test.registry.list('crowded')).map((row) => row.model_version)).toContain(
      'v1.0.0',
    );
    test.close();
  });

  it('skips a scheduled firing while there are fewer training-ready outcomes than min_examples', async () => {
    const test = harness(transport, openAIConfig(fake, { min_examples: 10_000, route: 'weekly' }), {
      schedule: {
        cron: '0 3 * * 1',
        provider: 'openai',
        deployImmediately: false,
        abTestTraffic: null,
      },
    });
    expect(await test.orchestrator.runScheduledCycle(new Date('2026-11-30T03:00:00Z'))).toBeNull();
    expect(await test.runs.list({ route: 'weekly' })).toEqual([]);
    test.close();
  });

  it('reports every status in rekindle_training_runs, zero for none', async () => {
    const test = harness(transport, openAIConfig(fake));
    await test.orchestrator.refreshGauge();
    const values = (await test.metrics.trainingRuns.get()).values;
    const byStatus = Object.fromEntries(values.map((value) => [value.labels.status, value.value]));
    const counts = await test.runs.countByStatus();
    expect(Object.keys(byStatus).sort()).toEqual([
      'cancelled',
      'deployed',
      'exporting',
      'failed',
      'queued',
      'registered',
      'running',
      'succeeded',
      'uploading',
    ]);
    for (const [status, value] of Object.entries(byStatus)) {
      expect(value).toBe(counts[status as keyof typeof counts] ?? 0);
    }
    expect(byStatus.deployed).toBeGreaterThanOrEqual(1);
    expect(byStatus.running).toBe(0);
    test.close();
  });
});
