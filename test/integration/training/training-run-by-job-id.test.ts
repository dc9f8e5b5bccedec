import { afterAll, expect, it } from 'vitest';
import { closeSharedPglite, sharedStore } from '../../helpers/pglite.ts';

afterAll(closeSharedPglite);

/**
 * Issue 16, item 6: the seed's `get_fine_tuning_status(job_id)` is called with the vendor's job
 * id (`ftjob-…` on OpenAI, `ft-…` on Together). A training run is found by its own id, its model
 * version, or the provider job id it recorded.
 */
it("finds a training run by the provider's fine-tuning job id", async () => {
  const store = await sharedStore();
  const runs = store.trainingRuns;
  const now = new Date('2026-12-01T10:00:00.000Z');
  const { run } = await runs.create({
    provider: 'openai',
    baseModel: 'gpt-4o-mini-2024-07-18',
    route: 'job-ids',
    now,
  });
  expect(await runs.claim('worker-a', 30_000, now, run.id)).not.toBeNull();
  await runs.advance(run.id, 'worker-a', 'exporting', 'uploading', {}, { now });
  const queued = await runs.advance(
    run.id,
    'worker-a',
    'uploading',
    'queued',
    { provider_job_id: 'ftjob-Abc123XyZ' },
    { now },
  );
  expect(queued).toMatchObject({ provider_job_id: 'ftjob-Abc123XyZ' });
  expect(await runs.get('ftjob-Abc123XyZ')).toMatchObject({ id: run.id, status: 'queued' });
  expect(await runs.get(run.id)).toMatchObject({ id: run.id });
  expect(await runs.get('ftjob-unknown')).toBeNull();
});
