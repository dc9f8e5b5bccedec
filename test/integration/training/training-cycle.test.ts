import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrainCommands } from '../../../src/cli/commands/train.ts';
import { runCli } from '../../../src/cli/run-cli.ts';
import { loadConfig, readEnv } from '../../../src/config/index.ts';
import { type RunningGateway, startGateway } from '../../../src/main/index.ts';
import { silentLogger } from '../../../src/metrics/index.ts';
import { assignmentBucket } from '../../../src/router/registry-snapshot.ts';
import {
  adminJson,
  adminToken,
  leadInBuckets,
  piiOf,
  type SeededOutcome,
  seedOutcomes,
  startVendorFakes,
  type VendorFakes,
  waitForRun,
} from './training-fixtures.ts';

/**
 * Issue 6, Must show 2: a full cycle against each vendor fake through a real gateway — run →
 * registered model with the vendor's model id → deployed at 10 % → a chat request (official
 * `openai` SDK, route `outreach`) for a lead in that 10 % is served by the new model at the fake.
 */
describe('training cycle through the gateway (OpenAI and Together fakes)', () => {
  let fakes: VendorFakes;
  let gateway: RunningGateway;
  let seeded: SeededOutcome[];
  let client: OpenAI;

  beforeAll(async () => {
    fakes = await startVendorFakes();
    const config = loadConfig({
      env: readEnv({
        OPENAI_API_KEY: 'sk-openai-test',
        OPENAI_BASE_URL: fakes.openai.url,
        TOGETHER_API_KEY: 'together-test',
        TOGETHER_BASE_URL: fakes.together.url,
        REKINDLE_ADMIN_TOKEN: adminToken,
      }),
      file: {
        server: { port: 0 },
        store: { data_dir: 'memory://' },
        training: { poll_interval_ms: 20, min_examples: 20 },
        rate_limit: { default_rpm: 100_000 },
      },
    });
    gateway = await startGateway({ config, logger: silentLogger });
    seeded = await seedOutcomes(gateway.url, { count: 48 });
    client = new OpenAI({
      baseURL: `${gateway.url}/v1`,
      apiKey: 'unused-on-loopback',
      maxRetries: 0,
    });
  }, 120_000);

  afterAll(async () => {
    await gateway?.shutdown();
    await fakes?.close();
  });

  const ready = () => seeded.filter((outcome) => outcome.stage.quality >= 0.6);

  async function chatAs(leadId: string) {
    const { data, response } = await client.chat.completions
      .create(
        {
          model: 'outreach',
          messages: [{ role: 'user', content: `Write a follow-up to ${leadId}.` }],
        },
        { headers: { 'x-rekindle-lead-id': leadId } },
      )
      .withResponse();
    return { completion: data, headers: response.headers };
  }

  it('OpenAI: exports, fine-tunes, registers ft:gpt-4o-mini-…, deploys at 10 % and serves that 10 %', async () => {
    const started = await adminJson(gateway.url, 'POST', '/admin/training/runs', {
      provider: 'openai',
      deploy_immediately: true,
      ab_test_traffic: 10,
    });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ status: 'exporting', model_version: 'v1.0.0' });
    const run = await waitForRun(gateway.url, String(started.body.id), (r) =>
      ['deployed', 'failed', 'cancelled'].includes(String(r.status)),
    );
    expect(run.error).toBeNull();
    expect(run.status).toBe('deployed');
    expect(run.fine_tuned_model).toMatch(
      /^ft:gpt-4o-mini-2024-07-18:rekindle-test:rekindle:[A-Za-z0-9]{8}$/,
    );
    expect(run.stats).toMatchObject({ written: { total: ready().length } });
    expect((run.events as Array<{ to_status: string }>).map((event) => event.to_status)).toEqual(
      expect.arrayContaining(['exporting', 'uploading', 'succeeded', 'registered', 'deployed']),
    );

    // One job at the vendor, on the file this run uploaded; no lead PII in what was uploaded.
    expect(fakes.openaiTuning.jobs.size).toBe(1);
    const [job] = [...fakes.openaiTuning.jobs.values()];
    expect(job?.job.training_file).toBe(run.training_file_id);
    const uploaded = [...fakes.openaiTuning.files.values()]
      .map((file) => file.content.toString('utf8'))
      .join('\n')
      .toLowerCase();
    expect(uploaded).toContain('{{first_name}}');
    for (const outcome of ready()) {
      for (const value of piiOf(outcome.lead)) {
        expect(uploaded).not.toContain(value.toLowerCase());
      }
    }

    const models = await adminJson(gateway.url, 'GET', '/admin/models?route=outreach');
    const rows = (models.body.data as Array<Record<string, unknown>>).filter(
      (row) => row.model_version === 'v1.0.0',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      model_id: run.fine_tuned_model,
      provider: 'openai',
      status: 'testing',
      traffic_percentage: 10,
      training_run_id: run.id,
      training_stats: { provider_job_id: run.provider_job_id, examples: { total: ready().length } },
    });

    // The variant holds buckets [0, 1000) of 10,000: a lead there gets the new model.
    const inVariant = leadInBuckets(assignmentBucket, 'outreach', 0, 1_000);
    const before = fakes.openai.chatRequests().length;
    const served = await chatAs(inVariant);
    expect(served.headers.get('x-rekindle-model-version')).toBe('v1.0.0');
    const upstream = fakes.openai.chatRequests().slice(before);
    expect(upstream.at(-1)?.body).toMatchObject({ model: run.fine_tuned_model });

    // A lead outside every variant stays on the route's configured model.
    const outside = leadInBuckets(assignmentBucket, 'outreach', 5_000, 10_000);
    await chatAs(outside);
    expect(fakes.openai.chatRequests().at(-1)?.body).toMatchObject({ model: 'gpt-4o-mini' });
  });

  it("Together: the second cycle is v1.1.0 and serves its 10 % with Together's output name", async () => {
    const started = await adminJson(gateway.url, 'POST', '/admin/training/runs', {
      provider: 'together',
      deploy_immediately: true,
      ab_test_traffic: 10,
    });
    expect(started.status).toBe(201);
    expect(started.body.model_version).toBe('v1.1.0');
    const run = await waitForRun(gateway.url, String(started.body.id), (r) =>
      ['deployed', 'failed', 'cancelled'].includes(String(r.status)),
    );
    expect(run.error).toBeNull();
    expect(run.status).toBe('deployed');
    expect(run.fine_tuned_model).toMatch(
      /^rekindle-test\/Meta-Llama-3\.1-8B-Instruct-Reference-rekindle-[0-9a-f]{8}$/,
    );
    const [job] = [...fakes.togetherTuning.jobs.values()];
    expect(job?.job).toMatchObject({
      status: 'completed',
      training_file: run.training_file_id,
      training_type: { type: 'Lora', lora_r: 8, lora_alpha: 16 },
    });

    // Variants are ordered by registration: v1.0.0 holds [0, 1000), v1.1.0 holds [1000, 2000).
    const inVariant = leadInBuckets(assignmentBucket, 'outreach', 1_000, 2_000);
    const served = await chatAs(inVariant);
    expect(served.headers.get('x-rekindle-model-version')).toBe('v1.1.0');
    expect(served.headers.get('x-rekindle-provider')).toBe('together');
    expect(fakes.together.chatRequests().at(-1)?.body).toMatchObject({
      model: run.fine_tuned_model,
    });
  });

  it("a job the vendor fails ends the run as failed with the vendor's error kept", async () => {
    fakes.openaiTuning.failNextJob({
      after: 'running',
      error: { code: 'training_diverged', message: 'Training loss diverged at step 12.' },
    });
    const started = await adminJson(gateway.url, 'POST', '/admin/training/runs', {
      provider: 'openai',
    });
    const run = await waitForRun(gateway.url, String(started.body.id), (r) =>
      ['registered', 'failed', 'cancelled'].includes(String(r.status)),
    );
    expect(run).toMatchObject({
      status: 'failed',
      model_version: 'v1.2.0',
      provider_status: 'failed',
      error: { code: 'training_diverged', message: 'Training loss diverged at step 12.' },
    });
    const models = await adminJson(gateway.url, 'GET', '/admin/models?route=outreach');
    expect(
      (models.body.data as Array<Record<string, unknown>>).map((row) => row.model_version),
    ).not.toContain('v1.2.0');
  });

  it('cancel stops the vendor job and keeps what the vendor answered', async () => {
    fakes.togetherTuning.holdNextJob();
    const started = await adminJson(gateway.url, 'POST', '/admin/training/runs', {
      provider: 'together',
    });
    const queued = await waitForRun(
      gateway.url,
      String(started.body.id),
      (r) => r.provider_job_id !== null,
    );
    // Version v1.2.0 failed above, so it is free again.
    expect(queued.model_version).toBe('v1.2.0');
    const cancelled = await adminJson(
      gateway.url,
      'POST',
      `/admin/training/runs/${String(queued.id)}/cancel`,
      { reason: 'wrong base model' },
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      provider_status: 'cancel_requested',
      error: { code: 'cancelled', message: 'wrong base model' },
    });
    const job = fakes.togetherTuning.jobs.get(String(queued.provider_job_id));
    expect(job?.job.status).toBe('cancel_requested');
    const again = await adminJson(
      gateway.url,
      'POST',
      `/admin/training/runs/${String(queued.id)}/cancel`,
    );
    expect(again.body.status).toBe('cancelled');
    const finished = await adminJson(gateway.url, 'POST', `/admin/training/runs/v1.0.0/cancel`);
    expect(finished.status).toBe(409);
    expect(finished.body).toMatchObject({ error: { code: 'training_run_finished' } });
  });

  it('lists runs, reports them in rekindle_training_runs{status}, and answers errors in the envelope', async () => {
    const list = await adminJson(gateway.url, 'GET', '/admin/training/runs');
    expect(list.status).toBe(200);
    const statuses = (list.body.data as Array<Record<string, unknown>>).map((run) => run.status);
    expect(statuses.sort()).toEqual(['cancelled', 'deployed', 'deployed', 'failed']);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toContain('rekindle_training_runs{status="deployed"} 2');
    expect(metrics).toContain('rekindle_training_runs{status="failed"} 1');
    expect(metrics).toContain('rekindle_training_runs{status="running"} 0');

    const missing = await adminJson(gateway.url, 'GET', '/admin/training/runs/v9.9.9');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({
      error: { code: 'training_run_not_found', type: 'invalid_request_error' },
    });
    const taken = await adminJson(gateway.url, 'POST', '/admin/training/runs', {
      provider: 'openai',
      model_version: 'v1.0.0',
    });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ error: { code: 'training_run_conflict' } });
    const bad = await adminJson(gateway.url, 'POST', '/admin/training/runs', {
      provider: 'anthropic',
    });
    expect(bad.status).toBe(400);
    const typo = await adminJson(gateway.url, 'POST', '/admin/training/runs', {
      provider: 'openai',
      hyperparameters: { n_epoch: 3 },
    });
    expect(typo.status).toBe(400);
    expect(typo.body).toMatchObject({
      error: { code: 'invalid_hyperparameter', param: 'hyperparameters' },
    });
    const unauthorized = await fetch(`${gateway.url}/admin/training/runs`);
    expect(unauthorized.status).toBe(401);
  });

  it('rekindle train through the gateway (REKINDLE_GATEWAY_URL): --wait shows progress, --json one object', async () => {
    const run = async (argv: string[]) => {
      let stdout = '';
      let stderr = '';
      const exitCode = await runCli(
        argv,
        readEnv({ REKINDLE_GATEWAY_URL: gateway.url, REKINDLE_ADMIN_TOKEN: adminToken }),
        createTrainCommands(),
        {
          stdout: (text) => {
            stdout += text;
          },
          stderr: (text) => {
            stderr += text;
          },
        },
      );
      return { exitCode, stdout, stderr };
    };
    const json = await run([
      'train',
      '--provider',
      'openai',
      '--model-version',
      'v7.0.0',
      '--wait',
      '--json',
    ]);
    expect(json.exitCode).toBe(0);
    expect(json.stderr).toBe('');
    expect(json.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      model_version: 'v7.0.0',
      status: 'registered',
      triggered_by: 'cli',
    });

    const text = await run(['train', '--provider', 'together', '--wait']);
    expect(text.exitCode).toBe(0);
    expect(text.stderr).toMatch(/started on the gateway/);
    expect(text.stderr).toMatch(/\] v7\.1\.0 (exporting|uploading|queued|running)/);
    expect(text.stderr).toMatch(/\] v7\.1\.0 registered/);
    expect(text.stdout).toMatch(
      /Training run [0-9a-f-]{36} — v7\.1\.0 on together, route outreach/,
    );

    const wrongToken = await runCli(
      ['train', 'status'],
      readEnv({ REKINDLE_GATEWAY_URL: gateway.url, REKINDLE_ADMIN_TOKEN: 'wrong' }),
      createTrainCommands(),
      { stdout: () => {}, stderr: () => {} },
    );
    expect(wrongToken).toBe(1);
  });
});
