import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import { sharedStore, startTestGateway } from '../../helpers/test-gateway.ts';

/** Issue 3, Must show 2: no key → 401; a key → 200; past its limit → 429 with Retry-After. */
let gateway: RunningGateway;
let limitedKey: string;
let otherKey: string;

beforeAll(async () => {
  const store = await sharedStore();
  limitedKey = (await store.apiKeys.create({ organizationId: 'acme', rpmLimit: 5 })).key;
  otherKey = (await store.apiKeys.create({ organizationId: 'globex' })).key;
  gateway = await startTestGateway({ store });
});

afterAll(async () => {
  await gateway?.shutdown();
});

const body = JSON.stringify({ model: 'outreach', messages: [{ role: 'user', content: 'hello' }] });

function chat(authorization?: string) {
  return fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(authorization ? { authorization } : {}),
    },
    body,
  });
}

describe('tenant keys and rate limits', () => {
  it('refuses a request without a key, or with an unknown or malformed one, with 401', async () => {
    for (const authorization of [
      undefined,
      'Bearer rk_not-a-real-key-0000000000000000',
      'Basic abc',
    ]) {
      const response = await chat(authorization);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({
        error: { type: 'invalid_request_error', code: 'invalid_api_key' },
      });
    }
    const models = await fetch(`${gateway.url}/v1/models`);
    expect(models.status).toBe(401);
  });

  it('serves a request with a valid key, through the official SDK too', async () => {
    const response = await chat(`Bearer ${otherKey}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('100');
    const client = new OpenAI({ apiKey: otherKey, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: 'outreach',
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect(completion.choices[0]?.message.content).toBeTruthy();
  });

  it('answers 429 with Retry-After and rate-limit headers past the key’s limit', async () => {
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < 8; i += 1) {
      const response = await chat(`Bearer ${limitedKey}`);
      statuses.push(response.status);
      if (response.status === 429) {
        refused = response;
      } else {
        await response.arrayBuffer();
      }
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused?.headers.get('ratelimit-policy')).toBe('"rpm";q=5;w=60');
    expect(refused?.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(await refused?.json()).toMatchObject({
      error: { type: 'rate_limit_error', code: 'rate_limit_exceeded' },
    });
    // Another organization's budget is untouched.
    expect((await chat(`Bearer ${otherKey}`)).status).toBe(200);
  });

  it('the SDK sees the 429 as a RateLimitError', async () => {
    const client = new OpenAI({ apiKey: limitedKey, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    await expect(
      client.chat.completions.create({
        model: 'outreach',
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ).rejects.toBeInstanceOf(OpenAI.RateLimitError);
  });

  it('a revoked key stops working at once on this instance', async () => {
    const store = await sharedStore();
    const created = await store.apiKeys.create({ organizationId: 'initech' });
    expect((await chat(`Bearer ${created.key}`)).status).toBe(200);
    await store.apiKeys.revoke(created.record.id);
    // NOTIFY reaches the key cache; give it a moment rather than a fixed sleep.
    let status = 200;
    for (let attempt = 0; attempt < 50 && status === 200; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      status = (await chat(`Bearer ${created.key}`)).status;
    }
    expect(status).toBe(401);
  });
});
