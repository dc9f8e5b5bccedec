import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import { closeSharedPglite } from '../../helpers/pglite.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';

/**
 * Issue 13, Must show 5: every response, errors included, carries `x-request-id` — the client's
 * when it sent one, else the gateway's own request id (the same as `x-rekindle-request-id`) — and
 * the openai SDK's `withResponse().request_id` (and `_request_id`) equal it.
 */
let gateway: RunningGateway;
let client: OpenAI;
const messages = [{ role: 'user' as const, content: 'Write to Dana at Initech.' }];

beforeAll(async () => {
  gateway = await startTestGateway({ env: { REKINDLE_ADMIN_TOKEN: 'admin-token' } });
  client = new OpenAI({ apiKey: 'unused', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await gateway?.shutdown();
  await closeSharedPglite();
});

function expectRequestId(response: Response, sent?: string): string {
  const id = response.headers.get('x-request-id');
  expect(id, `${response.status} ${response.url}`).toBeTruthy();
  expect(response.headers.get('x-rekindle-request-id')).toBe(id);
  if (sent !== undefined) {
    expect(id).toBe(sent);
  }
  return id ?? '';
}

describe('x-request-id on every response', () => {
  it('the openai SDK reads it: withResponse().request_id and _request_id, streamed too', async () => {
    const { data, response, request_id } = await client.chat.completions
      .create({ model: 'outreach', messages })
      .withResponse();
    expect(request_id).toMatch(/[0-9a-f-]{36}/);
    expect(request_id).toBe(expectRequestId(response));
    // The SDK sets `_request_id` on the parsed body (not in its declared type).
    expect((data as { _request_id?: string | null })._request_id).toBe(request_id);

    const streamed = await client.chat.completions
      .create({ model: 'outreach', messages, stream: true })
      .withResponse();
    expect(streamed.request_id).toBe(expectRequestId(streamed.response));
    for await (const _chunk of streamed.data) {
      // drain
    }
  });

  it('keeps the client’s own id', async () => {
    const { request_id, response } = await client.chat.completions
      .create({ model: 'outreach', messages }, { headers: { 'x-request-id': 'client-trace-42' } })
      .withResponse();
    expect(request_id).toBe('client-trace-42');
    expectRequestId(response, 'client-trace-42');
  });

  it('is on errors too, where the SDK’s error carries it', async () => {
    for (const request of [
      client.chat.completions.create({ model: 'no-such-model', messages }),
      client.chat.completions.create({ model: 'anthropic/claude-3-5-haiku-latest', messages }),
      client.chat.completions.create({ model: 'outreach', messages: [] }),
    ]) {
      const error = await request.then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(error).toBeInstanceOf(OpenAI.APIError);
      const apiError = error as InstanceType<typeof OpenAI.APIError>;
      expect(apiError.requestID).toBeTruthy();
      expect(apiError.requestID).toBe(apiError.headers?.get('x-request-id'));
    }
  });

  it('is on every other endpoint and status, the gateway’s own routes included', async () => {
    const url = gateway.url;
    const cases: Array<[string, RequestInit | undefined]> = [
      [`${url}/v1/models`, undefined],
      [`${url}/healthz`, undefined],
      [`${url}/readyz`, undefined],
      [`${url}/metrics`, undefined],
      [`${url}/no/such/endpoint`, undefined],
      [`${url}/admin/models`, undefined],
      [`${url}/admin/models`, { headers: { authorization: 'Bearer admin-token' } }],
      [`${url}/v1/chat/completions`, { method: 'POST', body: '{not json' }],
    ];
    const statuses = new Set<number>();
    for (const [target, init] of cases) {
      const response = await fetch(target, init);
      statuses.add(response.status);
      expectRequestId(response);
      await response.arrayBuffer();
    }
    expect([...statuses].sort()).toEqual([200, 400, 401, 404]);
    const echoed = await fetch(`${url}/healthz`, { headers: { 'x-request-id': 'probe-7' } });
    expectRequestId(echoed, 'probe-7');
  });
});
