import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FineTuningError } from '../../../../../src/pipeline/training/index.ts';
import type { PgliteTransport } from '../../../../../src/store/transports/pglite-transport.ts';
import {
  type RunningFineTuningFake,
  startFineTuningFake,
} from '../../../../fakes/fine-tuning-fake.ts';
import { closeSharedPglite, sharedPglite } from '../../../../helpers/pglite.ts';
import { harness, openAIConfig, seedDeals } from './orchestrator-harness.ts';

/** Each step can be repeated after a crash or a vendor hiccup without buying anything twice. */
describe('training runs recover', () => {
  let transport: PgliteTransport;
  let fake: RunningFineTuningFake<'openai'>;

  beforeAll(async () => {
    [transport, fake] = await Promise.all([
      sharedPglite(),
      startFineTuningFake({ vendor: 'openai', advance: { mode: 'poll', pollsPerStep: 1 } }),
    ]);
  }, 60_000);

  afterAll(async () => {
    await fake?.close();
    await closeSharedPglite();
  });

  it('a job created just before a crash is found again, not created twice', async () => {
    await seedDeals(transport, 'org_crash', 12);
    let lostResponses = 1;
    const test = harness(transport, openAIConfig(fake), {
      wrapFineTuner: (fineTuner) => ({
        ...fineTuner,
        // The vendor creates the job, then the response is lost (a crash, a reset).
        async createJob(input) {
          const job = await fineTuner.createJob(input);
          if (lostResponses > 0) {
            lostResponses -= 1;
            throw new FineTuningError('connection reset', {
              provider: 'openai',
              kind: 'connection',
              operation: 'create_job',
            });
          }
          return job;
        },
      }),
    });
    const jobsBefore = fake.routes.jobs.size;
    const { run } = await test.orchestrator.runTrainingCycle({
      provider: 'openai',
      organizationId: 'org_crash',
      route: 'crash',
    });
    await test.orchestrator.tick(run.id);
    const retrying = await test.runs.get(run.id);
    expect(retrying).toMatchObject({
      status: 'uploading',
      attempts: 1,
      provider_job_id: null,
      last_error: { message: 'connection reset', operation: 'create_job' },
    });
    expect(retrying?.training_file_id).toMatch(/^file-/);
    expect(fake.routes.jobs.size).toBe(jobsBefore + 1);

    // Not due yet: the retry waits for its backoff.
    expect(await test.orchestrator.tick(run.id)).toBe(0);
    test.advance(1_000);
    expect(await test.orchestrator.tick(run.id)).toBe(1);
    const recovered = await test.runs.get(run.id);
    const created = [...fake.routes.jobs.values()].at(-1)?.job;
    expect(fake.routes.jobs.size).toBe(jobsBefore + 1);
    expect(recovered).toMatchObject({
      status: 'queued',
      provider_job_id: created?.id,
      attempts: 0,
      last_error: null,
    });
    test.close();
  });

  it('transient vendor errors while polling are retried with backoff, then the run carries on', async () => {
    await seedDeals(transport, 'org_flaky', 12);
    const test = harness(transport, openAIConfig(fake), { maxAttempts: 3 });
    const { run } = await test.orchestrator.runTrainingCycle({
      provider: 'openai',
      organizationId: 'org_flaky',
      route: 'flaky',
    });
    await test.orchestrator.tick(run.id);
    const queued = await test.runs.get(run.id);
    expect(queued?.status).toBe('queued');
    fake.routes.injectHttpError({ status: 503, method: 'GET', pathIncludes: '/fine_tuning/jobs/' });
    test.advance(1_000);
    await test.orchestrator.tick(run.id);
    const retrying = await test.runs.get(run.id);
    expect(retrying).toMatchObject({
      status: 'queued',
      attempts: 1,
      last_error: { upstream_status: 503, operation: 'get_job' },
    });
    expect(Date.parse(retrying?.next_poll_at ?? '')).toBe(test.now() + 1_000);
    test.advance(1_000);
    await test.orchestrator.tick(run.id);
    expect(await test.runs.get(run.id)).toMatchObject({ attempts: 0, last_error: null });

    // Three failures in a row (maxAttempts 3) fail the run with the last one kept.
    fake.routes.injectHttpError({
      status: 500,
      method: 'GET',
      pathIncludes: '/fine_tuning/jobs/',
      times: 3,
    });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      test.advance(10_000);
      await test.orchestrator.tick(run.id);
    }
    expect(await test.runs.get(run.id)).toMatchObject({
      status: 'failed',
      error: { upstream_status: 500, operation: 'get_job' },
    });
    test.close();
  });

  it('a worker that lost its lease stops before creating a job', async () => {
    await seedDeals(transport, 'org_stolen', 12);
    const jobsBefore = fake.routes.jobs.size;
    let test!: ReturnType<typeof harness>;
    test = harness(transport, openAIConfig(fake), {
      wrapFineTuner: (fineTuner) => ({
        ...fineTuner,
        async uploadTrainingFile(input) {
          const id = await fineTuner.uploadTrainingFile(input);
          // Meanwhile the lease ran out and another worker took the run over.
          const runs = await test.runs.list({ route: 'stolen' });
          await test.runs.claim('thief', 60_000, new Date(test.now() + 3_600_000), runs[0]?.id);
          return id;
        },
      }),
    });
    const { run } = await test.orchestrator.runTrainingCycle({
      provider: 'openai',
      organizationId: 'org_stolen',
      route: 'stolen',
    });
    await test.orchestrator.tick(run.id);
    expect(fake.routes.jobs.size).toBe(jobsBefore);
    expect(await test.runs.get(run.id)).toMatchObject({
      status: 'uploading',
      locked_by: 'thief',
      training_file_id: null,
      error: null,
    });
    test.close();
  });

  it('a run cancelled while its job was being created gets that job cancelled too', async () => {
    await seedDeals(transport, 'org_cancel_race', 12);
    let test!: ReturnType<typeof harness>;
    test = harness(transport, openAIConfig(fake), {
      wrapFineTuner: (fineTuner) => ({
        ...fineTuner,
        async createJob(input) {
          const runs = await test.runs.list({ route: 'cancel-race' });
          await test.runs.cancel(runs[0]?.id ?? '', {
            actor: 'operator',
            now: new Date(test.now()),
          });
          return fineTuner.createJob(input);
        },
      }),
    });
    const { run } = await test.orchestrator.runTrainingCycle({
      provider: 'openai',
      organizationId: 'org_cancel_race',
      route: 'cancel-race',
    });
    await test.orchestrator.tick(run.id);
    const cancelled = await test.runs.get(run.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', provider_job_id: null });
    const job = [...fake.routes.jobs.values()].at(-1)?.job;
    expect(job?.metadata).toMatchObject({ rekindle_training_run_id: run.id });
    expect(job?.status).toBe('cancelled');
    test.close();
  });

  it('too few examples fail the run at once with the stats and a clear message', async () => {
    await seedDeals(transport, 'org_small', 3);
    const test = harness(transport, openAIConfig(fake));
    const { run } = await test.orchestrator.runTrainingCycle({
      provider: 'openai',
      organizationId: 'org_small',
      route: 'small',
    });
    await test.orchestrator.tick(run.id);
    const failed = await test.runs.get(run.id);
    expect(failed).toMatchObject({
      status: 'failed',
      attempts: 0,
      error: { code: 'insufficient_training_data' },
      stats: { fetched: 3, written: { total: 3 } },
    });
    expect(failed?.error?.message).toMatch(
      /Not enough training examples: 3 written \(need at least 10\)/,
    );
    test.close();
  });

  it('leases left by a killed process are released on start when the store has one owner', async () => {
    await seedDeals(transport, 'org_stale', 12);
    const test = harness(transport, openAIConfig(fake), {
      releaseStaleLocksOnStart: true,
      tickMs: 60_000,
    });
    const { run } = await test.runs.create({
      provider: 'openai',
      baseModel: 'gpt-4o-mini-2024-07-18',
      route: 'stale',
      organizationId: 'org_stale',
    });
    await test.runs.claim('killed-process', 3_600_000, new Date(test.now()), run.id);
    expect(await test.orchestrator.tick(run.id)).toBe(0);
    // start() clears the stale lease and its first pass picks the run up.
    await test.orchestrator.start();
    const deadline = Date.now() + 10_000;
    while ((await test.runs.get(run.id))?.status === 'exporting' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await test.orchestrator.stop();
    const resumed = await test.runs.get(run.id);
    expect(resumed?.status).toBe('queued');
    expect(resumed?.events.find((event) => event.to_status === 'uploading')?.worker).toBe(
      'unit-worker',
    );
    test.close();
  });
});
