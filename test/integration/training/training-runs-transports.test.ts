import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Store } from '../../../src/store/create-store.ts';
import type { TrainingRunsStore } from '../../../src/store/training-runs-store.ts';
import { describeWithServices } from '../../helpers/services.ts';
import { stopTransportServices, transportCases } from '../store/store-transports.ts';

afterAll(stopTransportServices);

/**
 * The training run functions behave the same over the three transports (PGlite, pg, and
 * supabase-js rpc through the PostgREST-compatible fake): dates, jsonb fields, NULL for "not
 * found" / "lost the compare-and-set", SQLSTATEs mapped to 400/409.
 */
for (const transportCase of transportCases()) {
  describeWithServices(transportCase.services, `training runs over ${transportCase.name}`, () => {
    let store: Store;
    let runs: TrainingRunsStore;
    const route = `transports-${transportCase.name}`;

    beforeAll(async () => {
      store = await transportCase.open();
      runs = store.trainingRuns;
    }, 120_000);

    it('creates, leases, advances, cancels, reads and counts runs', async () => {
      const now = new Date('2026-11-30T10:00:00.000Z');
      const { run, created } = await runs.create({
        provider: 'together',
        baseModel: 'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference',
        route,
        deployImmediately: true,
        hyperparameters: { n_epochs: 2, learning_rate: 0.00002 },
        now,
      });
      expect(created).toBe(true);
      expect(run).toMatchObject({
        status: 'exporting',
        model_version: 'v1.0.0',
        ab_test_traffic: 10,
        hyperparameters: { n_epochs: 2, learning_rate: 0.00002 },
      });
      expect(Date.parse(run.created_at)).toBe(now.getTime());

      const claimed = await runs.claim('worker-a', 30_000, now, run.id);
      expect(claimed?.locked_by).toBe('worker-a');
      expect(Date.parse(claimed?.locked_until ?? '')).toBe(now.getTime() + 30_000);
      expect(await runs.claim('worker-b', 30_000, now, run.id)).toBeNull();

      const pollAt = new Date(now.getTime() + 5_000).toISOString();
      const uploading = await runs.advance(
        run.id,
        'worker-a',
        'exporting',
        'uploading',
        { stats: { written: { total: 12 } }, training_file_id: 'file-abc', next_poll_at: pollAt },
        { now },
      );
      expect(uploading).toMatchObject({
        status: 'uploading',
        stats: { written: { total: 12 } },
        training_file_id: 'file-abc',
      });
      expect(Date.parse(uploading?.next_poll_at ?? '')).toBe(Date.parse(pollAt));
      expect(await runs.advance(run.id, 'worker-b', 'uploading', 'queued', {}, { now })).toBeNull();
      await runs.release(run.id, 'worker-a');
      // Not due before next_poll_at; due after.
      expect(await runs.claim('worker-b', 30_000, now, run.id)).toBeNull();
      expect(
        await runs.claim('worker-b', 30_000, new Date(now.getTime() + 5_000), run.id),
      ).toMatchObject({ locked_by: 'worker-b' });

      const cancelled = await runs.cancel(run.id, { reason: 'stop', actor: 'tester', now });
      expect(cancelled).toMatchObject({
        status: 'cancelled',
        locked_by: null,
        error: { message: 'stop' },
      });
      const detail = await runs.get(run.id);
      expect(
        detail?.events.map((event) => [event.from_status, event.to_status, event.worker]),
      ).toEqual([
        [null, 'exporting', null],
        ['exporting', 'uploading', 'worker-a'],
        ['uploading', 'cancelled', 'tester'],
      ]);
      expect(await runs.get('00000000-0000-4000-8000-000000000000')).toBeNull();
      expect((await runs.list({ route })).map((row) => row.id)).toEqual([run.id]);
      expect((await runs.countByStatus()).cancelled).toBeGreaterThanOrEqual(1);

      const again = await runs.create({
        provider: 'openai',
        baseModel: 'gpt-4o-mini-2024-07-18',
        route,
      });
      expect(again.run.model_version).toBe('v1.0.0');
      await expect(
        runs.create({
          provider: 'openai',
          baseModel: 'gpt-4o-mini-2024-07-18',
          route,
          modelVersion: 'v1.0.0',
        }),
      ).rejects.toMatchObject({ status: 409, code: 'training_run_conflict' });
      await expect(
        runs.create({ provider: 'openai', baseModel: 'gpt', route, abTestTraffic: 150 }),
      ).rejects.toMatchObject({ status: 400, code: 'invalid_training_run' });
    });
  });
}
