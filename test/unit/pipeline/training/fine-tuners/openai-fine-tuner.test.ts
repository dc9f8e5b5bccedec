import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, readEnv } from '../../../../../src/config/index.ts';
import {
  createFineTuner,
  createOpenAIFineTuner,
  type FineTuner,
  FineTuningConfigError,
  FineTuningError,
} from '../../../../../src/pipeline/training/fine-tuners/index.ts';
import {
  type RunningFineTuningFake,
  startFineTuningFake,
} from '../../../../fakes/fine-tuning-fake.ts';
import {
  chatJsonl,
  pollToEnd,
  type TemporaryDirectory,
  temporaryDirectory,
} from '../training-test-data.ts';

describe('OpenAI fine-tuner against the fake', () => {
  let fake: RunningFineTuningFake<'openai'>;
  let directory: TemporaryDirectory;
  let fineTuner: FineTuner;
  let trainPath: string;

  beforeAll(async () => {
    fake = await startFineTuningFake({ vendor: 'openai', apiKey: 'sk-test' });
    directory = await temporaryDirectory();
    trainPath = await directory.write('train.jsonl', chatJsonl(12));
    const config = loadConfig({
      env: readEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.url }),
      file: { training: { openai: { hyperparameters: { n_epochs: 2 } } } },
    });
    fineTuner = createFineTuner('openai', config, { maxRetries: 1 });
  });

  afterAll(async () => {
    await fake.close();
    await directory.remove();
  });

  it('uploads, creates and polls a job through validating_files, queued and running to succeeded', async () => {
    const fileId = await fineTuner.uploadTrainingFile({
      path: trainPath,
      filename: 'train.jsonl',
      kind: 'train',
    });
    expect(fileId).toMatch(/^file-/);
    expect(fake.routes.files.get(fileId)?.content.toString()).toBe(chatJsonl(12));

    const created = await fineTuner.createJob({
      trainingFileId: fileId,
      metadata: { rekindle_run_id: 'run-1' },
    });
    expect(created).toMatchObject({
      provider: 'openai',
      status: 'queued',
      vendorStatus: 'validating_files',
      fineTunedModel: null,
    });
    const sent = fake.routes.requests.find((request) => request.path === '/v1/fine_tuning/jobs');
    expect(sent?.body).toMatchObject({
      model: 'gpt-4o-mini-2024-07-18',
      suffix: 'rekindle',
      training_file: fileId,
      metadata: { rekindle_run_id: 'run-1' },
      method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 2 } } },
    });

    const states = await pollToEnd(() => fineTuner.getJob(created.jobId));
    expect(states.map((state) => [state.vendorStatus, state.status])).toEqual([
      ['queued', 'queued'],
      ['running', 'running'],
      ['succeeded', 'succeeded'],
    ]);
    const done = states.at(-1);
    expect(done?.fineTunedModel).toMatch(
      /^ft:gpt-4o-mini-2024-07-18:rekindle-test:rekindle:[A-Za-z0-9]{8}$/,
    );
    expect(done?.trainedTokens).toBeGreaterThan(0);
    expect(done?.finishedAt).not.toBeNull();
    expect(done?.error).toBeNull();

    const events = await fineTuner.listEvents(created.jobId);
    expect(events[0]?.message).toContain('Validating training file');
    expect(events.at(-1)?.message).toBe('The job has successfully completed');
    expect(events.some((event) => event.type === 'metrics')).toBe(true);

    const found = await fineTuner.findJobForTrainingFile(fileId);
    expect(found?.jobId).toBe(created.jobId);
    expect(await fineTuner.findJobForTrainingFile('file-unknown')).toBeNull();
  });

  it('fails the job in validating_files when the file breaks OpenAI rules, keeping the vendor error', async () => {
    const fileId = await fineTuner.uploadTrainingFile({
      stream: Readable.from([Buffer.from(chatJsonl(3))]),
      filename: 'small.jsonl',
      kind: 'train',
    });
    const created = await fineTuner.createJob({ trainingFileId: fileId });
    const states = await pollToEnd(() => fineTuner.getJob(created.jobId));
    expect(states.map((state) => state.vendorStatus)).toEqual(['failed']);
    expect(states[0]?.error).toEqual({
      code: 'invalid_training_file',
      param: 'training_file',
      message: expect.stringContaining('must have at least 10 examples'),
    });
  });

  it('fails on demand: a base model named "error" and a scripted failure', async () => {
    const fileId = await fineTuner.uploadTrainingFile({
      path: trainPath,
      filename: 'train.jsonl',
      kind: 'train',
    });
    const byName = await fineTuner.createJob({
      trainingFileId: fileId,
      baseModel: 'gpt-4o-mini-error',
    });
    const nameStates = await pollToEnd(() => fineTuner.getJob(byName.jobId));
    expect(nameStates.map((state) => state.vendorStatus)).toEqual(['queued', 'running', 'failed']);

    fake.routes.failNextJob({
      after: 'queued',
      error: { code: 'quota_exceeded', message: 'Out of credits' },
    });
    const scripted = await fineTuner.createJob({ trainingFileId: fileId });
    const states = await pollToEnd(() => fineTuner.getJob(scripted.jobId));
    expect(states.at(-1)).toMatchObject({
      status: 'failed',
      fineTunedModel: null,
      error: { code: 'quota_exceeded', message: 'Out of credits', param: null },
    });
    const events = await fineTuner.listEvents(scripted.jobId);
    expect(events.at(-1)).toMatchObject({ level: 'error', message: 'Out of credits' });
  });

  it('cancels a running job', async () => {
    const fileId = await fineTuner.uploadTrainingFile({
      path: trainPath,
      filename: 'train.jsonl',
      kind: 'train',
    });
    const created = await fineTuner.createJob({ trainingFileId: fileId });
    await fineTuner.getJob(created.jobId);
    const running = await fineTuner.getJob(created.jobId);
    expect(running.vendorStatus).toBe('running');
    const cancelled = await fineTuner.cancelJob(created.jobId);
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      vendorStatus: 'cancelled',
      fineTunedModel: null,
    });
    expect((await fineTuner.getJob(created.jobId)).status).toBe('cancelled');
    await expect(fineTuner.cancelJob(created.jobId)).rejects.toMatchObject({ upstreamStatus: 400 });
  });

  it('keeps vendor errors: unknown job, refused upload, wrong key', async () => {
    const unknown = await fineTuner.getJob('ftjob-missing').catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(FineTuningError);
    expect(unknown).toMatchObject({
      provider: 'openai',
      operation: 'get_job',
      upstreamStatus: 404,
      code: 'fine_tune_not_found',
      message: 'Could not find fine tune job: ftjob-missing',
    });

    const wrongKey = createOpenAIFineTuner({
      apiKey: 'sk-wrong',
      baseURL: fake.url,
      maxRetries: 0,
      defaults: { baseModel: 'gpt-4o-mini-2024-07-18', suffix: '', hyperparameters: {} },
    });
    await expect(wrongKey.getJob('ftjob-x')).rejects.toMatchObject({
      upstreamStatus: 401,
      code: 'invalid_api_key',
    });
    await expect(
      fineTuner.createJob({ trainingFileId: 'file-x', hyperparameters: { epochs: 3 } }),
    ).rejects.toBeInstanceOf(FineTuningConfigError);
  });

  it('retries transient vendor errors on reads but never re-sends a job creation', async () => {
    const fileId = await fineTuner.uploadTrainingFile({
      path: trainPath,
      filename: 'train.jsonl',
      kind: 'train',
    });
    const created = await fineTuner.createJob({ trainingFileId: fileId });
    fake.routes.injectHttpError({
      status: 503,
      method: 'GET',
      pathIncludes: created.jobId,
      headers: { 'retry-after-ms': '10' },
    });
    expect((await fineTuner.getJob(created.jobId)).vendorStatus).toBe('queued');

    const jobsBefore = fake.routes.jobs.size;
    fake.routes.injectHttpError({ status: 500, method: 'POST', pathIncludes: '/fine_tuning/jobs' });
    await expect(fineTuner.createJob({ trainingFileId: fileId })).rejects.toMatchObject({
      upstreamStatus: 500,
      isRetryable: true,
    });
    expect(fake.routes.jobs.size).toBe(jobsBefore);
  });

  it('refuses to build without a key', () => {
    const config = loadConfig({ env: readEnv({}), file: {} });
    expect(() => createFineTuner('openai', config)).toThrow(/OPENAI_API_KEY/);
  });
});
