import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, readEnv } from '../../../../../src/config/index.ts';
import {
  createFineTuner,
  createTogetherFineTuner,
  type FineTuner,
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

const baseModel = 'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference';

describe('Together fine-tuner against the fake', () => {
  let fake: RunningFineTuningFake<'together'>;
  let directory: TemporaryDirectory;
  let fineTuner: FineTuner;
  let trainPath: string;
  let validationPath: string;

  beforeAll(async () => {
    fake = await startFineTuningFake({
      vendor: 'together',
      apiKey: 'tg-test',
      organization: 'acme',
    });
    directory = await temporaryDirectory();
    trainPath = await directory.write('train.jsonl', chatJsonl(12));
    validationPath = await directory.write('validation.jsonl', chatJsonl(2));
    const config = loadConfig({
      env: readEnv({ TOGETHER_API_KEY: 'tg-test', TOGETHER_BASE_URL: fake.url }),
      file: { training: { together: { n_epochs: 2, lora_r: 16, learning_rate: 0.0002 } } },
    });
    fineTuner = createFineTuner('together', config, { maxRetries: 1 });
  });

  afterAll(async () => {
    await fake.close();
    await directory.remove();
  });

  it('uploads with a plain multipart POST and polls a LoRA job through every Together status', async () => {
    const trainingFileId = await fineTuner.uploadTrainingFile({
      path: trainPath,
      filename: 'train.jsonl',
      kind: 'train',
    });
    const validationFileId = await fineTuner.uploadTrainingFile({
      path: validationPath,
      filename: 'validation.jsonl',
      kind: 'validation',
    });
    const upload = fake.routes.requests.find((request) => request.path === '/v1/files/upload');
    expect(upload?.body).toEqual({
      file: { filename: 'train.jsonl', bytes: Buffer.byteLength(chatJsonl(12)) },
      file_name: 'train.jsonl',
      purpose: 'fine-tune',
      file_type: 'jsonl',
    });

    const created = await fineTuner.createJob({ trainingFileId, validationFileId });
    expect(created).toMatchObject({
      provider: 'together',
      status: 'queued',
      vendorStatus: 'pending',
      fineTunedModel: null,
    });
    const sent = fake.routes.requests.find((request) => request.path === '/v1/fine-tunes');
    expect(sent?.body).toMatchObject({
      model: baseModel,
      training_file: trainingFileId,
      validation_file: validationFileId,
      suffix: 'rekindle',
      n_epochs: 2,
      n_evals: 2,
      learning_rate: 0.0002,
      batch_size: 'max',
      training_method: { method: 'sft', train_on_inputs: 'auto' },
      training_type: {
        type: 'Lora',
        lora_r: 16,
        lora_alpha: 16,
        lora_dropout: 0,
        lora_trainable_modules: 'all-linear',
      },
    });

    const states = await pollToEnd(() => fineTuner.getJob(created.jobId));
    expect(states.map((state) => [state.vendorStatus, state.status])).toEqual([
      ['queued', 'queued'],
      ['running', 'running'],
      ['compressing', 'running'],
      ['uploading', 'running'],
      ['completed', 'succeeded'],
    ]);
    const done = states.at(-1);
    expect(done?.fineTunedModel).toMatch(
      /^acme\/Meta-Llama-3\.1-8B-Instruct-Reference-rekindle-[0-9a-f]{8}$/,
    );
    expect(done?.trainedTokens).toBeGreaterThan(0);
    expect(done?.events?.at(-1)?.type).toBe('job_complete');

    const events = await fineTuner.listEvents(created.jobId, { limit: 3 });
    expect(events.map((event) => event.type)).toEqual([
      'model_uploading',
      'model_upload_complete',
      'job_complete',
    ]);
    expect((await fineTuner.findJobForTrainingFile(trainingFileId))?.jobId).toBe(created.jobId);
  });

  it('sends a full fine-tune when LoRA is off', async () => {
    const config = loadConfig({
      env: readEnv({ TOGETHER_API_KEY: 'tg-test', TOGETHER_BASE_URL: fake.url }),
      file: { training: { together: { lora: false } } },
    });
    const full = createFineTuner('together', config);
    const trainingFileId = await full.uploadTrainingFile({
      path: trainPath,
      filename: 'train.jsonl',
      kind: 'train',
    });
    const created = await full.createJob({ trainingFileId });
    expect(fake.routes.jobs.get(created.jobId)?.job).toMatchObject({
      training_type: { type: 'Full' },
      n_evals: 0,
      n_epochs: 3,
    });
  });

  it('fails on demand with error and user_error, keeping the vendor message', async () => {
    const trainingFileId = await fineTuner.uploadTrainingFile({
      path: trainPath,
      filename: 'train.jsonl',
      kind: 'train',
    });
    const byName = await fineTuner.createJob({
      trainingFileId,
      baseModel: 'meta-llama/error-model',
    });
    const nameStates = await pollToEnd(() => fineTuner.getJob(byName.jobId));
    expect(nameStates.map((state) => state.vendorStatus)).toEqual(['queued', 'running', 'error']);
    expect(nameStates.at(-1)?.error).toMatchObject({
      code: 'error',
      message: expect.stringContaining('internal error'),
    });

    fake.routes.failNextJob({
      status: 'user_error',
      after: 'queued',
      message: 'Sequence too long on line 4',
    });
    const scripted = await fineTuner.createJob({ trainingFileId });
    const states = await pollToEnd(() => fineTuner.getJob(scripted.jobId));
    expect(states.at(-1)).toMatchObject({
      status: 'failed',
      vendorStatus: 'user_error',
      fineTunedModel: null,
      error: { code: 'user_error', message: 'Sequence too long on line 4', param: null },
    });
  });

  it('cancels: cancel_requested, then cancelled', async () => {
    const trainingFileId = await fineTuner.uploadTrainingFile({
      path: trainPath,
      filename: 'train.jsonl',
      kind: 'train',
    });
    const created = await fineTuner.createJob({ trainingFileId });
    await fineTuner.getJob(created.jobId);
    const requested = await fineTuner.cancelJob(created.jobId);
    expect(requested).toMatchObject({ vendorStatus: 'cancel_requested', status: 'running' });
    const states = await pollToEnd(() => fineTuner.getJob(created.jobId));
    expect(states.map((state) => [state.vendorStatus, state.status])).toEqual([
      ['cancelled', 'cancelled'],
    ]);
  });

  it('refuses a job on a file that breaks the conversation rules, with the vendor message', async () => {
    const broken = `${JSON.stringify({
      messages: [
        { role: 'assistant', content: 'Hi' },
        { role: 'user', content: 'Yo' },
      ],
    })}\n`;
    const path = await directory.write('broken.jsonl', broken);
    const trainingFileId = await fineTuner.uploadTrainingFile({
      path,
      filename: 'broken.jsonl',
      kind: 'train',
    });
    const error = await fineTuner.createJob({ trainingFileId }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FineTuningError);
    expect(error).toMatchObject({
      upstreamStatus: 400,
      operation: 'create_job',
      param: 'training_file',
    });
    expect((error as Error).message).toContain('then alternate');
  });

  it('keeps upload errors and retries transient ones', async () => {
    fake.routes.injectHttpError({ status: 502, pathIncludes: '/files/upload' });
    const fileId = await fineTuner.uploadTrainingFile({
      path: trainPath,
      filename: 'train.jsonl',
      kind: 'train',
    });
    expect(fake.routes.files.has(fileId)).toBe(true);

    const noRetry = createTogetherFineTuner({
      apiKey: 'tg-wrong',
      baseURL: fake.url,
      maxRetries: 0,
      defaults: { baseModel, suffix: '', hyperparameters: {}, lora: {} },
    });
    await expect(
      noRetry.uploadTrainingFile({ path: trainPath, filename: 'train.jsonl', kind: 'train' }),
    ).rejects.toMatchObject({
      upstreamStatus: 401,
      operation: 'upload_file',
      message: 'Invalid API key provided',
    });
    await expect(noRetry.getJob('ft-missing')).rejects.toMatchObject({ upstreamStatus: 401 });
    await expect(fineTuner.getJob('ft-missing')).rejects.toMatchObject({
      upstreamStatus: 404,
      operation: 'get_job',
    });
  });
});
