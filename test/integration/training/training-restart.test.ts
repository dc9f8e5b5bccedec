import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GatewayProcess,
  runRekindleCli,
  startGatewayProcess,
} from '../../helpers/gateway-process.ts';
import {
  adminJson,
  adminToken,
  seedOutcomes,
  startVendorFakes,
  type VendorFakes,
  waitForRun,
} from './training-fixtures.ts';

/**
 * Issue 6, Must show 3: the gateway (a real `node --import tsx src/main.ts` process on PGlite in
 * a temp dir) is SIGKILLed while the vendor holds the fine-tuning job in `running`, then started
 * again: it resumes polling, and the run finishes and is registered (and deployed) exactly once.
 */
describe('a gateway killed while a fine-tuning job runs', () => {
  let fakes: VendorFakes;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    fakes = await startVendorFakes();
    gateway = await startGatewayProcess({
      env: {
        OPENAI_API_KEY: 'sk-openai-test',
        OPENAI_BASE_URL: fakes.openai.url,
        REKINDLE_ADMIN_TOKEN: adminToken,
        LOG_LEVEL: 'warn',
      },
      config: {
        training: { poll_interval_ms: 100, min_examples: 20 },
        rate_limit: { default_rpm: 100_000 },
      },
    });
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    await fakes?.close();
  });

  it('resumes after SIGKILL and registers the model once', async () => {
    await seedOutcomes(gateway.url, { count: 36 });
    fakes.openaiTuning.holdNextJob();
    const started = await adminJson(gateway.url, 'POST', '/admin/training/runs', {
      provider: 'openai',
      deploy_immediately: true,
      ab_test_traffic: 10,
    });
    expect(started.status).toBe(201);
    const runId = String(started.body.id);
    const handedOver = await waitForRun(gateway.url, runId, (run) => run.provider_job_id !== null);
    const jobId = String(handedOver.provider_job_id);

    // The vendor moves the job to `running` and keeps it there; the gateway sees it.
    fakes.openaiTuning.step(jobId);
    fakes.openaiTuning.step(jobId);
    expect(fakes.openaiTuning.jobs.get(jobId)?.job.status).toBe('running');
    const running = await waitForRun(
      gateway.url,
      runId,
      (run) => run.status === 'running' && run.provider_status === 'running',
    );
    expect(running.fine_tuned_model).toBeNull();

    const killed = await gateway.kill('SIGKILL');
    expect(killed.signal).toBe('SIGKILL');

    // While the gateway is down the job finishes at the vendor.
    fakes.openaiTuning.hold(jobId, false);
    await gateway.restart();

    const finished = await waitForRun(gateway.url, runId, (run) =>
      ['deployed', 'failed', 'cancelled'].includes(String(run.status)),
    );
    expect(finished).toMatchObject({ status: 'deployed', error: null, provider_job_id: jobId });
    expect(finished.fine_tuned_model).toMatch(/^ft:gpt-4o-mini-2024-07-18:rekindle-test:/);

    // One job at the vendor, one registry row, each status entered once.
    expect(fakes.openaiTuning.jobs.size).toBe(1);
    const models = await adminJson(gateway.url, 'GET', '/admin/models?route=outreach');
    const rows = (models.body.data as Array<Record<string, unknown>>).filter(
      (row) => row.training_run_id === runId,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      model_version: 'v1.0.0',
      model_id: finished.fine_tuned_model,
      status: 'testing',
      traffic_percentage: 10,
    });
    const entered = (finished.events as Array<{ to_status: string }>).map(
      (event) => event.to_status,
    );
    expect(entered).toEqual([
      'exporting',
      'uploading',
      'queued',
      'running',
      'succeeded',
      'registered',
      'deployed',
    ]);

    // The CLI, pointed at the restarted gateway, reports the same run (one JSON object).
    const status = await runRekindleCli(['train', 'status', runId, '--json'], {
      ...gateway.env,
      REKINDLE_GATEWAY_URL: gateway.url,
    });
    expect(status.exitCode).toBe(0);
    expect(status.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(status.stdout)).toMatchObject({ id: runId, status: 'deployed' });
  }, 120_000);
});
