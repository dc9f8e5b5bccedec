import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliCommand } from '../../../src/cli/cli-command.ts';
import { createTrainCommands } from '../../../src/cli/commands/train.ts';
import { runCli } from '../../../src/cli/run-cli.ts';
import { readEnv } from '../../../src/config/index.ts';
import { type Store, storeOverTransport } from '../../../src/store/create-store.ts';
import { type RunningFineTuningFake, startFineTuningFake } from '../../fakes/fine-tuning-fake.ts';
import { closeSharedPglite, sharedPglite } from '../../helpers/pglite.ts';

/**
 * `rekindle train`, `train status`, `train cancel` over the store (no gateway): the CLI drives the
 * run itself while it waits; --json prints exactly one object and no progress; without --json the
 * progress goes to stderr.
 */
describe('rekindle train over the store', () => {
  let store: Store;
  let fake: RunningFineTuningFake<'openai'>;
  let commands: CliCommand[];
  const directory = mkdtempSync(join(tmpdir(), 'rekindle-train-cli-'));
  const configPath = join(directory, 'rekindle.config.json');
  writeFileSync(configPath, JSON.stringify({ training: { poll_interval_ms: 20 } }));
  const env = () => ({
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: fake.url,
    REKINDLE_CONFIG: configPath,
  });

  beforeAll(async () => {
    const transport = await sharedPglite();
    // The commands close what they open; this store is the file's, so keep it open.
    store = { ...storeOverTransport(transport, transport.executor), close: async () => {} };
    fake = await startFineTuningFake({ vendor: 'openai' });
    const outcomes = store.outcomes;
    for (let index = 0; index < 60; index += 1) {
      const sent = await outcomes.recordMessageSent('org_cli', {
        lead_id: `cli-lead-${index}`,
        message_body: `Hello again, a note numbered ${index}.`,
        prompt_messages: [{ role: 'user', content: `Write note ${index}.` }],
      });
      await outcomes.recordMeeting('org_cli', sent.id, { meeting_time: '2026-12-01T10:00:00Z' });
    }
    commands = createTrainCommands({ openStore: async () => store });
  }, 60_000);

  afterAll(async () => {
    await fake?.close();
    await closeSharedPglite();
    rmSync(directory, { recursive: true, force: true });
  });

  async function cli(argv: string[]) {
    let stdout = '';
    let stderr = '';
    const exitCode = await runCli(argv, readEnv(env()), commands, {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
    });
    return { exitCode, stdout, stderr };
  }

  it('train --wait --json drives the run to registered and prints one JSON object', async () => {
    const result = await cli([
      'train',
      '--provider',
      'openai',
      '--organization-id',
      'org_cli',
      '--wait',
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const run = JSON.parse(lines[0] ?? '');
    expect(run).toMatchObject({
      status: 'registered',
      model_version: 'v1.0.0',
      provider: 'openai',
      triggered_by: 'cli',
      stats: { written: { total: 60 } },
    });
    expect(run.fine_tuned_model).toMatch(/^ft:gpt-4o-mini-2024-07-18:/);
    expect(run.events.map((event: { to_status: string }) => event.to_status)).toEqual([
      'exporting',
      'uploading',
      'queued',
      'running',
      'succeeded',
      'registered',
    ]);
  });

  it('train without --wait hands the job to the vendor, shows progress, and status --wait finishes it', async () => {
    const started = await cli(['train', '--provider', 'openai', '--organization-id', 'org_cli']);
    expect(started.exitCode).toBe(0);
    expect(started.stderr).toMatch(/training run [0-9a-f-]{36} \(v1\.1\.0 on openai\) started/);
    expect(started.stderr).toMatch(/\[00:0\d\] v1\.1\.0 (exporting|uploading|queued)/);
    expect(started.stdout).toMatch(/status {6}(queued|running) \(openai: /);
    expect(started.stdout).toMatch(/Follow it with `rekindle train status [0-9a-f-]{36}` --wait/);
    const runId = /Training run ([0-9a-f-]{36})/.exec(started.stdout)?.[1] ?? '';

    const finished = await cli(['train', 'status', runId, '--wait', '--json']);
    expect(finished.exitCode).toBe(0);
    expect(JSON.parse(finished.stdout)).toMatchObject({ id: runId, status: 'registered' });

    const listed = await cli(['train', 'status', '--json']);
    const list = JSON.parse(listed.stdout);
    expect(list.object).toBe('list');
    expect(list.data.map((run: { model_version: string }) => run.model_version)).toEqual([
      'v1.1.0',
      'v1.0.0',
    ]);
    const text = await cli(['train', 'status', 'v1.1.0']);
    expect(text.stdout).toMatch(/history\n.*exporting/s);
  });

  it('train cancel stops a run in progress and refuses a finished one', async () => {
    fake.routes.holdNextJob();
    const started = await cli([
      'train',
      '--provider',
      'openai',
      '--organization-id',
      'org_cli',
      '--json',
    ]);
    const run = JSON.parse(started.stdout);
    expect(run.status).toBe('queued');
    const cancelled = await cli([
      'train',
      'cancel',
      run.id,
      '--reason',
      'testing cancel',
      '--json',
    ]);
    expect(cancelled.exitCode).toBe(0);
    expect(JSON.parse(cancelled.stdout)).toMatchObject({
      status: 'cancelled',
      provider_status: 'cancelled',
      error: { code: 'cancelled', message: 'testing cancel' },
    });
    expect(fake.routes.jobs.get(run.provider_job_id)?.job.status).toBe('cancelled');

    const refused = await cli(['train', 'cancel', 'v1.0.0']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/already finished \(status registered\)/);
    const unknown = await cli(['train', 'status', 'v9.9.9']);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toMatch(/No training run v9\.9\.9/);
  });

  it('train status --wait finishes a run a killed process left leased in the embedded store', async () => {
    const runs = store.trainingRuns;
    const { run } = await runs.create({
      provider: 'openai',
      baseModel: 'gpt-4o-mini-2024-07-18',
      organizationId: 'org_cli',
      modelVersion: 'v4.0.0',
    });
    await runs.claim('killed-gateway', 3_600_000, new Date(), run.id);
    const resumed = await cli(['train', 'status', run.id, '--wait', '--json']);
    expect(resumed.exitCode).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ id: run.id, status: 'registered' });
  });

  it('a run that fails exits non-zero with the reason; bad flags exit 2', async () => {
    const failed = await cli([
      'train',
      '--provider',
      'openai',
      '--organization-id',
      'org_empty',
      '--wait',
      '--json',
    ]);
    expect(failed.exitCode).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({
      status: 'failed',
      error: { code: 'insufficient_training_data' },
    });
    expect((await cli(['train', '--json'])).exitCode).toBe(2);
    const traffic = await cli(['train', '--provider', 'openai', '--ab-test-traffic', '10']);
    expect(traffic.exitCode).toBe(2);
    expect(traffic.stderr).toMatch(/--ab-test-traffic needs --deploy-immediately/);
    expect(
      (await cli(['train', '--provider', 'openai', '--min-quality-score', '2'])).exitCode,
    ).toBe(2);
  });
});
