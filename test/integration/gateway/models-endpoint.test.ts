import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import { type OpenAIFake, startOpenAIFake } from '../../fakes/openai-fake.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';

/** `GET /v1/models` and `GET /v1/models/{id}` through the openai SDK (`models.list`/`retrieve`). */
let fake: OpenAIFake;
let gateway: RunningGateway;
let client: OpenAI;

beforeAll(async () => {
  fake = await startOpenAIFake();
  gateway = await startTestGateway({
    env: {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.url,
      TOGETHER_API_KEY: 'tg-test',
      TOGETHER_BASE_URL: fake.url,
    },
  });
  client = new OpenAI({ apiKey: 'sk-any', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await gateway?.shutdown();
  await fake?.close();
});

describe('models', () => {
  it('lists the default route first, then catalog models of enabled providers', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) {
      ids.push(model.id);
    }
    expect(ids[0]).toBe('outreach');
    expect(ids).toContain('gpt-4o-mini');
    expect(ids).toContain('llama-3.1-70b-instruct-turbo');
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('retrieves one model by id exactly as the list shows it', async () => {
    const listed: Record<string, unknown>[] = [];
    for await (const model of client.models.list()) {
      listed.push(model as unknown as Record<string, unknown>);
    }
    for (const entry of listed) {
      const retrieved = await client.models.retrieve(entry.id as string);
      expect(retrieved).toEqual(entry);
    }
    const route = await client.models.retrieve('outreach');
    expect(route).toMatchObject({ id: 'outreach', object: 'model', owned_by: 'rekindle-route' });
  });

  it('answers 404 model_not_found in the OpenAI envelope for an unknown id', async () => {
    const response = await fetch(`${gateway.url}/v1/models/no-such-model`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: {
        message: expect.stringContaining('no-such-model'),
        type: 'invalid_request_error',
        param: 'model',
        code: 'model_not_found',
      },
    });
    // An id with slashes reaches the same lookup (not the unknown-endpoint 404).
    const slashed = await fetch(`${gateway.url}/v1/models/together/meta-llama/nope`);
    expect(slashed.status).toBe(404);
    expect(((await slashed.json()) as { error: { code: string } }).error.code).toBe(
      'model_not_found',
    );
    await expect(client.models.retrieve('nope')).rejects.toMatchObject({ status: 404 });
  });
});
