import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import { type OpenAIFake, startOpenAIFake } from '../../fakes/openai-fake.ts';
import { closeSharedPglite } from '../../helpers/pglite.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';
import { metricValue } from '../router/gateway-probes.ts';

/**
 * Issue 12, Must show 1 (embeddings): `client.embeddings.create` through the gateway with both
 * `encoding_format` values, on the keyless sandbox (deterministic vectors of the stated length)
 * and an OpenAI fake; metered (tokens, cost, `endpoint="embeddings"`), refused by param where the
 * model cannot honour a field.
 */
let openaiFake: OpenAIFake;
let gateway: RunningGateway;
let client: OpenAI;

beforeAll(async () => {
  openaiFake = await startOpenAIFake();
  gateway = await startTestGateway({
    env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: openaiFake.url },
  });
  client = new OpenAI({ apiKey: 'unused', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
}, 240_000);

afterAll(async () => {
  await gateway?.shutdown();
  await openaiFake?.close();
  await closeSharedPglite();
});

const cosine = (a: readonly number[], b: readonly number[]) =>
  a.reduce((sum, value, index) => sum + value * (b[index] ?? 0), 0);

describe.each([
  { where: 'the sandbox', model: 'sandbox/embedding-v1' },
  { where: 'an OpenAI fake', model: 'text-embedding-3-small' },
])('embeddings on $where', ({ model }) => {
  it('answers floats and base64 (the SDK decodes both to the same vectors)', async () => {
    const input = ['Priya runs sales at Northwind', 'Northwind sales team'];
    const floats = await client.embeddings.create({ model, input, encoding_format: 'float' });
    // The SDK asks for base64 by default and decodes it.
    const decoded = await client.embeddings.create({ model, input });
    expect(floats.data).toHaveLength(2);
    expect(floats.data[0]?.embedding).toHaveLength(1536);
    expect(floats.usage.prompt_tokens).toBeGreaterThan(0);
    const first = floats.data[0]?.embedding ?? [];
    const again = decoded.data[0]?.embedding ?? [];
    expect(again).toHaveLength(1536);
    expect(again.every((value, index) => Math.abs(value - (first[index] ?? 0)) < 1e-6)).toBe(true);
    expect(cosine(first, first)).toBeCloseTo(1, 5);

    const raw = await fetch(`${gateway.url}/v1/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, input: 'hello', encoding_format: 'base64' }),
    });
    const body = (await raw.json()) as { data: Array<{ embedding: unknown }> };
    expect(typeof body.data[0]?.embedding).toBe('string');
  });

  it('honours dimensions and token-array input', async () => {
    const short = await client.embeddings.create({
      model,
      input: [
        [1, 2, 3],
        [4, 5],
      ],
      dimensions: 256,
      encoding_format: 'float',
    });
    expect(short.data.map((entry) => entry.embedding.length)).toEqual([256, 256]);
  });
});

describe('embeddings are metered and checked', () => {
  it('counts tokens and the request under endpoint="embeddings"', async () => {
    const labels = { model: 'sandbox/embedding-v1', provider: 'sandbox' };
    const before = (await metricValue(gateway.url, 'rekindle_tokens_total', labels)) ?? 0;
    const response = await client.embeddings.create({
      model: 'sandbox/embedding-v1',
      input: 'count me',
    });
    expect(await metricValue(gateway.url, 'rekindle_tokens_total', labels)).toBe(
      before + response.usage.prompt_tokens,
    );
    expect(
      await metricValue(gateway.url, 'rekindle_requests_total', {
        ...labels,
        endpoint: 'embeddings',
        status: '200',
      }),
    ).toBeGreaterThan(0);
  });

  it('refuses dimensions on a fixed-length model with 400 and param', async () => {
    await expect(
      client.embeddings.create({ model: 'text-embedding-ada-002', input: 'x', dimensions: 64 }),
    ).rejects.toMatchObject({ status: 400, param: 'dimensions' });
  });

  it('answers 404 for an unknown model and 400 for a chat model', async () => {
    await expect(
      client.embeddings.create({ model: 'no-such-embedder', input: 'x' }),
    ).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
    await expect(
      client.embeddings.create({ model: 'gpt-4o-mini', input: 'x' }),
    ).rejects.toMatchObject({ status: 400, param: 'model' });
  });
});

describe('/v1/models lists every name the endpoints accept', () => {
  it('has provider/upstream aliases and the embedding models, each retrievable', async () => {
    const ids = (await client.models.list()).data.map((model) => model.id);
    for (const id of [
      'gpt-4o-mini',
      'openai/gpt-4o-mini',
      'sandbox/outreach-v1',
      'text-embedding-3-small',
      'sandbox/embedding-v1',
    ]) {
      expect(ids).toContain(id);
      expect((await client.models.retrieve(id)).id).toBe(id);
    }
    expect(new Set(ids).size).toBe(ids.length);
    // Together has no key here: its embedding models are not offered.
    expect(ids).not.toContain('bge-base-en-v1.5');
  });
});
