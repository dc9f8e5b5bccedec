import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type SimulatedUpstream,
  startOpenAIChatSimulator,
  startSimulatedUpstream,
} from '../../../../src/cli/simulators/index.ts';
import { chatJsonl } from '../../pipeline/training/training-test-data.ts';

/** The demo's vendors: the same simulators, with a key, outreach-writing models and slower jobs. */
const apiKey = 'sk-demo-test';
const now = Date.parse('2026-03-02T08:00:00Z');
const messages = [
  { role: 'system' as const, content: 'You are an SDR at Northwind Analytics.' },
  {
    role: 'user' as const,
    content: [
      'Lead: Maria Lopez, VP Sales at Acme Corp (fintech, maria.lopez@acmecorp.example)',
      'Signal: raised a Series B.',
      'Pain: forecasts nobody trusts.',
    ].join('\n'),
  },
];

let openaiUpstream: SimulatedUpstream;
let togetherUpstream: SimulatedUpstream;
let openai: OpenAI;

beforeAll(async () => {
  const start = (vendor: 'openai' | 'together') =>
    startSimulatedUpstream({
      vendor,
      apiKey,
      organization: 'northwind',
      seed: '42',
      now: () => now,
    });
  openaiUpstream = await start('openai');
  togetherUpstream = await start('together');
  openai = new OpenAI({ apiKey, baseURL: openaiUpstream.url, maxRetries: 0 });
});

afterAll(async () => {
  await openaiUpstream.close();
  await togetherUpstream.close();
});

const write = async (client: OpenAI, model: string) =>
  (await client.chat.completions.create({ model, messages })).choices[0]?.message.content ?? '';

describe('the demo vendors', () => {
  it('refuse any other key, on chat and on fine-tuning alike', async () => {
    const stranger = new OpenAI({ apiKey: 'sk-other', baseURL: openaiUpstream.url, maxRetries: 0 });
    await expect(write(stranger, 'gpt-4o-mini')).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    await expect(stranger.fineTuning.jobs.list()).rejects.toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
  });

  it('write by model: the base model generically, fine-tuned models shorter on signal and pain', async () => {
    const base = await write(openai, 'gpt-4o-mini');
    expect(base).toMatch(/^Subject: .+\n\nHi Maria,\n\n/);
    const fineTuned = await write(openai, 'ft:gpt-4o-mini-2024-07-18:northwind:rekindle:AbC12345');
    expect(fineTuned).toContain('Maria, saw that Acme Corp raised a Series B.');
    expect(fineTuned.length).toBeLessThan(base.length);
    const together = new OpenAI({ apiKey, baseURL: togetherUpstream.url, maxRetries: 0 });
    const question = await write(
      together,
      'northwind/Meta-Llama-3.1-8B-Instruct-Reference-rekindle-0a1b2c3d',
    );
    expect(question).toMatch(/^Subject: Forecasts nobody trusts\?/);
    expect(await write(openai, 'gpt-4o-mini')).toBe(base);
    expect(Object.fromEntries(openaiUpstream.completions)).toEqual({
      'gpt-4o-mini': 2,
      'ft:gpt-4o-mini-2024-07-18:northwind:rekindle:AbC12345': 1,
    });
  });

  it('OpenAI: a job stays running four polls, its training loss falling', async () => {
    const file = await openai.files.create({
      file: await toFile(Buffer.from(chatJsonl(12)), 'train.jsonl'),
      purpose: 'fine-tune',
    });
    const job = await openai.fineTuning.jobs.create({
      model: 'gpt-4o-mini-2024-07-18',
      training_file: file.id,
      suffix: 'rekindle',
    });
    const statuses: string[] = [];
    for (let poll = 0; poll < 6; poll += 1) {
      statuses.push((await openai.fineTuning.jobs.retrieve(job.id)).status);
    }
    expect(statuses).toEqual(['queued', 'running', 'running', 'running', 'running', 'succeeded']);
    const done = await openai.fineTuning.jobs.retrieve(job.id);
    expect(done.fine_tuned_model).toMatch(/^ft:gpt-4o-mini-2024-07-18:northwind:rekindle:/);
    const events = await openai.fineTuning.jobs.listEvents(job.id, { limit: 50 });
    const losses = events.data
      .filter((event) => event.type === 'metrics')
      .reverse()
      .map((event) => (event.data as { train_loss: number }).train_loss);
    expect(losses).toHaveLength(4);
    expect(losses).toEqual([...losses].sort((a, b) => b - a));
    expect(new Set(losses).size).toBe(4);
  });

  it('Together: a fine-tune stays running three polls, its steps advancing', async () => {
    const call = async (path: string, init: RequestInit = {}) => {
      const headers = { authorization: `Bearer ${apiKey}`, ...(init.headers ?? {}) };
      const response = await fetch(`${togetherUpstream.url}${path}`, { ...init, headers });
      return (await response.json()) as Record<string, unknown>;
    };
    const form = new FormData();
    form.append('file', new Blob([chatJsonl(12)]), 'train.jsonl');
    form.append('purpose', 'fine-tune');
    const file = await call('/files/upload', { method: 'POST', body: form });
    const job = await call('/fine-tunes', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference',
        training_file: file.id,
        batch_size: 8,
        suffix: 'rekindle',
      }),
    });
    const seen: Array<[unknown, unknown]> = [];
    for (let poll = 0; poll < 7; poll += 1) {
      const state = await call(`/fine-tunes/${job.id}`);
      seen.push([state.status, state.steps_completed]);
    }
    expect(seen).toEqual([
      ['queued', 0],
      ['running', 0],
      ['running', 4],
      ['running', 8],
      ['compressing', 8],
      ['uploading', 8],
      ['completed', 12],
    ]);
    expect(job.model_output_name).toMatch(
      /^northwind\/Meta-Llama-3\.1-8B-Instruct-Reference-rekindle-[0-9a-f]{8}$/,
    );
  });
});

describe('request recording', () => {
  it('can be turned off for long runs, while answers are still counted', async () => {
    const quiet = await startOpenAIChatSimulator({ recordRequests: false });
    try {
      const client = new OpenAI({ apiKey: 'k', baseURL: quiet.url, maxRetries: 0 });
      await write(client, 'gpt-4o-mini');
      expect(quiet.requests).toEqual([]);
      expect(quiet.completions.get('gpt-4o-mini')).toBe(1);
    } finally {
      await quiet.close();
    }
  });
});
