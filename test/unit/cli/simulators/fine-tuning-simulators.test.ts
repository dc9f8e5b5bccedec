import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOpenAIFineTuningRoutes,
  createTogetherFineTuningRoutes,
  startFineTuningSimulator,
  startOpenAIChatSimulator,
  validateOpenAIChatFile,
  validateTogetherFile,
} from '../../../../src/cli/simulators/index.ts';
import { createOpenAIFineTuner } from '../../../../src/pipeline/training/fine-tuners/index.ts';
import {
  chatJsonl,
  pollToEnd,
  temporaryDirectory,
} from '../../pipeline/training/training-test-data.ts';

const auth = { authorization: 'Bearer test' };

async function json(
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { ...init, headers: { ...auth, ...(init.headers ?? {}) } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function upload(url: string, content: string, fields: Record<string, string>) {
  const form = new FormData();
  form.append('file', new Blob([content]), fields.file_name ?? 'train.jsonl');
  for (const [name, value] of Object.entries(fields)) {
    form.append(name, value);
  }
  return json(url, { method: 'POST', body: form });
}

describe('OpenAI file validation', () => {
  const line = (messages: unknown) => JSON.stringify({ messages });
  const tenOf = (text: string) => `${Array(10).fill(text).join('\n')}\n`;

  it('accepts chat examples and the documented fields', () => {
    expect(validateOpenAIChatFile(chatJsonl(10))).toEqual({
      valid: true,
      examples: 10,
      characters: expect.any(Number),
      format: 'chat',
    });
    const withTools = line([
      { role: 'user', content: [{ type: 'text', text: 'hi' }] },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
        weight: 0,
      },
      { role: 'tool', tool_call_id: 'c1', content: 'ok' },
      { role: 'assistant', content: 'done', weight: 1 },
    ]);
    expect(validateOpenAIChatFile(tenOf(withTools)).valid).toBe(true);
  });

  it.each([
    ['not json', 'is not valid JSON'],
    [JSON.stringify({ prompt: 'a', completion: 'b' }), 'key "messages" is missing'],
    [
      line([
        { role: 'customer', content: 'x' },
        { role: 'assistant', content: 'y' },
      ]),
      'invalid role "customer"',
    ],
    [line([{ role: 'user', content: 'x' }]), 'no assistant message to learn from'],
    [
      line([
        { role: 'user', content: 'x', weight: 1 },
        { role: 'assistant', content: 'y' },
      ]),
      'only allowed on assistant',
    ],
    [
      line([
        { role: 'user', content: 'x' },
        { role: 'assistant', content: 'y', name: 'a', extra: 1 },
      ]),
      'unrecognized key "extra"',
    ],
    [
      line([
        { role: 'user', content: 'x' },
        { role: 'assistant', content: 'y', weight: 0 },
      ]),
      'no assistant message to learn from',
    ],
  ])('rejects %s', (text, message) => {
    const result = validateOpenAIChatFile(tenOf(text));
    expect(result).toMatchObject({ valid: false, line: 1 });
    expect(result.valid ? '' : result.message).toContain(message);
  });

  it('needs at least 10 examples', () => {
    expect(validateOpenAIChatFile(chatJsonl(9))).toMatchObject({
      valid: false,
      message: 'Training file has 9 example(s), but must have at least 10 examples',
    });
  });
});

describe('Together file validation', () => {
  it('accepts each format alone and rejects mixing or broken alternation', () => {
    expect(validateTogetherFile(chatJsonl(2))).toMatchObject({
      valid: true,
      format: 'conversation',
    });
    expect(
      validateTogetherFile(`${JSON.stringify({ prompt: 'a', completion: 'b' })}\n`),
    ).toMatchObject({ valid: true, format: 'instruction' });
    expect(
      validateTogetherFile(
        `${JSON.stringify({ text: 'a' })}\n${JSON.stringify({ prompt: 'a', completion: 'b' })}`,
      ),
    ).toMatchObject({ valid: false, line: 2 });
    const twoUsers = JSON.stringify({
      messages: [
        { role: 'user', content: 'a' },
        { role: 'user', content: 'b' },
        { role: 'assistant', content: 'c' },
      ],
    });
    expect(validateTogetherFile(twoUsers)).toMatchObject({
      valid: false,
      message: expect.stringContaining('expected "assistant"'),
    });
    const lateSystem = JSON.stringify({
      messages: [
        { role: 'user', content: 'a' },
        { role: 'system', content: 'b' },
      ],
    });
    expect(validateTogetherFile(lateSystem)).toMatchObject({
      valid: false,
      message: expect.stringContaining('may only come first'),
    });
  });
});

describe('fine-tuning simulators', () => {
  let now = Date.parse('2026-11-28T12:00:00Z');
  const clock = () => now;

  it('OpenAI: with the time mode, jobs move as the injected clock advances, not as they are polled', async () => {
    const fake = await startFineTuningSimulator({
      vendor: 'openai',
      clock,
      advance: { mode: 'time', stepMs: 60_000 },
    });
    try {
      const file = await upload(`${fake.url}/files`, chatJsonl(10), { purpose: 'fine-tune' });
      const created = await json(`${fake.url}/fine_tuning/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'gpt-4o-mini-2024-07-18',
          training_file: file.body.id,
          suffix: 'x',
        }),
      });
      expect(created.body).toMatchObject({
        object: 'fine_tuning.job',
        status: 'validating_files',
        created_at: now / 1000,
      });
      const job = () => json(`${fake.url}/fine_tuning/jobs/${created.body.id}`);
      expect((await job()).body.status).toBe('validating_files');
      expect((await job()).body.status).toBe('validating_files');
      now += 60_000;
      expect((await job()).body.status).toBe('queued');
      now += 120_000;
      const done = await job();
      expect(done.body).toMatchObject({
        status: 'succeeded',
        finished_at: now / 1000,
        fine_tuned_model: expect.stringMatching(/^ft:gpt-4o-mini-2024-07-18:rekindle-test:x:/),
      });

      const page = await json(`${fake.url}/fine_tuning/jobs/${created.body.id}/events?limit=2`);
      expect(page.body).toMatchObject({ object: 'list', has_more: true });
      expect((page.body.data as Array<{ message: string }>).map((event) => event.message)).toEqual([
        'The job has successfully completed',
        expect.stringContaining('New fine-tuned model created'),
      ]);
    } finally {
      await fake.close();
    }
  });

  it('OpenAI: a held job stays where it is; the list pages newest first and filters by metadata', async () => {
    const fake = await startFineTuningSimulator({ vendor: 'openai' });
    try {
      const file = await upload(`${fake.url}/files`, chatJsonl(10), { purpose: 'fine-tune' });
      const ids: string[] = [];
      for (const run of ['a', 'b', 'c']) {
        const created = await json(`${fake.url}/fine_tuning/jobs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'gpt-4o-mini',
            training_file: file.body.id,
            metadata: { run },
          }),
        });
        ids.push(created.body.id as string);
      }
      fake.routes.hold(ids[0] ?? '');
      for (let poll = 0; poll < 5; poll += 1) {
        await json(`${fake.url}/fine_tuning/jobs/${ids[0]}`);
      }
      expect(fake.routes.jobs.get(ids[0] ?? '')?.job.status).toBe('validating_files');
      fake.routes.hold(ids[0] ?? '', false);
      expect((await json(`${fake.url}/fine_tuning/jobs/${ids[0]}`)).body.status).toBe('queued');

      const first = await json(`${fake.url}/fine_tuning/jobs?limit=2`);
      expect((first.body.data as Array<{ id: string }>).map((job) => job.id)).toEqual([
        ids[2],
        ids[1],
      ]);
      expect(first.body.has_more).toBe(true);
      const second = await json(`${fake.url}/fine_tuning/jobs?limit=2&after=${ids[1]}`);
      expect((second.body.data as Array<{ id: string }>).map((job) => job.id)).toEqual([ids[0]]);
      const filtered = await json(`${fake.url}/fine_tuning/jobs?metadata[run]=b`);
      expect((filtered.body.data as Array<{ id: string }>).map((job) => job.id)).toEqual([ids[1]]);

      const csv = new FormData();
      csv.append('purpose', 'fine-tune');
      csv.append('file', new Blob(['a,b']), 'data.csv');
      const refused = await fetch(`${fake.url}/files`, {
        method: 'POST',
        headers: auth,
        body: csv,
      });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toEqual({
        error: {
          message: 'Invalid file format for Fine-Tuning API. Must be .jsonl',
          type: 'invalid_request_error',
          param: 'file',
          code: null,
        },
      });
      expect((await fetch(`${fake.url}/files`)).status).toBe(401);
    } finally {
      await fake.close();
    }
  });
});

describe('route handlers mounted on another server', () => {
  let server: Server;
  let base: string;
  const openai = createOpenAIFineTuningRoutes();
  const together = createTogetherFineTuningRoutes({ passThrough: true });

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', async () => {
        const body = Buffer.concat(chunks);
        if (request.url === '/v1/chat/completions') {
          response
            .writeHead(200, { 'content-type': 'application/json' })
            .end('{"object":"chat.completion"}');
          return;
        }
        if (
          (await together.handle(request, response, body)) ||
          (await openai.handle(request, response, body))
        ) {
          return;
        }
        response.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('serves chat and both vendors’ fine-tuning routes on one base URL', async () => {
    expect(
      (await json(`${base}/chat/completions`, { method: 'POST', body: '{}' })).body.object,
    ).toBe('chat.completion');
    const togetherFile = await upload(`${base}/files/upload`, chatJsonl(2), {
      file_name: 'train.jsonl',
      purpose: 'fine-tune',
      file_type: 'jsonl',
    });
    const openAIFile = await upload(`${base}/files`, chatJsonl(10), { purpose: 'fine-tune' });
    expect((await json(`${base}/files/${togetherFile.body.id}`)).body).toMatchObject({
      Processed: true,
      LineCount: 2,
    });
    expect((await json(`${base}/files/${openAIFile.body.id}`)).body).toMatchObject({
      object: 'file',
      purpose: 'fine-tune',
      status: 'processed',
    });
    const job = await json(`${base}/fine-tunes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference',
        training_file: togetherFile.body.id,
        batch_size: 8,
      }),
    });
    expect(job.body).toMatchObject({ status: 'pending', batch_size: 8 });
    const missingBatch = await json(`${base}/fine-tunes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', training_file: togetherFile.body.id }),
    });
    expect(missingBatch).toMatchObject({ status: 400, body: { error: { param: 'batch_size' } } });
  });
});

describe('fine-tuning routes on the chat simulator', () => {
  it('fine-tunes and then chats with the new model id on one base URL', async () => {
    const routes = createOpenAIFineTuningRoutes();
    const fake = await startOpenAIChatSimulator({ routes: [routes.handle] });
    try {
      const fineTuner = createOpenAIFineTuner({
        apiKey: 'k',
        baseURL: fake.url,
        defaults: { baseModel: 'gpt-4o-mini-2024-07-18', suffix: 'rekindle', hyperparameters: {} },
      });
      const directory = await temporaryDirectory();
      const path = await directory.write('train.jsonl', chatJsonl(10));
      const trainingFileId = await fineTuner.uploadTrainingFile({
        path,
        filename: 'train.jsonl',
        kind: 'train',
      });
      await directory.remove();
      const job = await fineTuner.createJob({ trainingFileId });
      const states = await pollToEnd(() => fineTuner.getJob(job.jobId));
      const model = states.at(-1)?.fineTunedModel ?? '';
      expect(model).toMatch(/^ft:gpt-4o-mini-2024-07-18:/);

      const chat = await json(`${fake.url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hello' }] }),
      });
      expect(chat).toMatchObject({ status: 200, body: { model } });
      expect(fake.chatRequests()).toHaveLength(1);
    } finally {
      await fake.close();
    }
  });
});
