import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import { type OpenAIFake, startOpenAIFake } from '../../fakes/openai-fake.ts';
import { closeSharedPglite, sharedPglite, sharedStore } from '../../helpers/pglite.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';
import { metricValue } from '../router/gateway-probes.ts';

/**
 * Issue 12, Must show 2 and 3: a Responses request with a lead id is tracked exactly once, like
 * chat, and counted under `endpoint="responses"`; it takes the same fallbacks; a stream that fails
 * after its first event ends with `response.failed` and no `response.completed`. Stored responses
 * belong to one organization: another organization's key cannot read, delete or continue from
 * them (404), and `store: false` keeps nothing. Features the gateway cannot serve are refused with
 * 400 and their `param`.
 */
let openaiFake: OpenAIFake;
let gateway: RunningGateway;
let acme: OpenAI;
let globex: OpenAI;
let acmeKey: string;

beforeAll(async () => {
  const store = await sharedStore();
  acmeKey = (await store.apiKeys.create({ organizationId: 'acme' })).key;
  const globexKey = (await store.apiKeys.create({ organizationId: 'globex' })).key;
  openaiFake = await startOpenAIFake();
  gateway = await startTestGateway({
    store,
    env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: openaiFake.url },
    file: {
      tracking: { flush_interval_ms: 20 },
      routes: {
        drafts: {
          models: ['gpt-4o-mini'],
          fallbacks: ['sandbox/outreach-v1'],
          retry: { max_attempts: 1 },
        },
      },
    },
  });
  const baseURL = `${gateway.url}/v1`;
  acme = new OpenAI({ apiKey: acmeKey, baseURL, maxRetries: 0 });
  globex = new OpenAI({ apiKey: globexKey, baseURL, maxRetries: 0 });
}, 240_000);

afterAll(async () => {
  await gateway?.shutdown();
  await openaiFake?.close();
  await closeSharedPglite();
});

async function trackedRows(outcomeId: string): Promise<Array<Record<string, unknown>>> {
  const transport = await sharedPglite();
  const deadline = Date.now() + 10_000;
  for (;;) {
    const result = await transport.database.query<Record<string, unknown>>(
      'select lead_id, message_body, model_id, provider, prompt_messages from outcome_labels where id = $1::uuid',
      [outcomeId],
    );
    if (result.rows.length > 0 || Date.now() > deadline) {
      return result.rows;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a Responses request is routed, tracked and counted like chat', () => {
  it('tracks one row for a lead id from metadata, and counts endpoint="responses"', async () => {
    const before =
      (await metricValue(gateway.url, 'rekindle_requests_total', {
        endpoint: 'responses',
        model: 'gpt-4o-mini',
        status: '200',
      })) ?? 0;
    const { data, response } = await acme.responses
      .create({
        model: 'gpt-4o-mini',
        input: 'Write to Priya.',
        metadata: { lead_id: 'lead-responses-1', campaign_id: 'q4' },
      })
      .withResponse();
    const outcomeId = response.headers.get('x-rekindle-outcome-id') ?? '';
    expect(outcomeId).not.toBe('');
    expect(response.headers.get('x-rekindle-model')).toBe('gpt-4o-mini');
    const rows = await trackedRows(outcomeId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      lead_id: 'lead-responses-1',
      message_body: data.output_text,
      model_id: 'gpt-4o-mini',
      provider: 'openai',
      prompt_messages: [{ role: 'user', content: 'Write to Priya.' }],
    });
    expect(
      await metricValue(gateway.url, 'rekindle_requests_total', {
        endpoint: 'responses',
        model: 'gpt-4o-mini',
        status: '200',
      }),
    ).toBe(before + 1);
  });

  it('tracks a streamed response from the x-rekindle-lead-id header', async () => {
    const { data: stream, response } = await acme.responses
      .create(
        { model: 'gpt-4o-mini', input: 'Write to Sam.', stream: true },
        { headers: { 'x-rekindle-lead-id': 'lead-responses-2' } },
      )
      .withResponse();
    let text = '';
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') {
        text += event.delta;
      }
    }
    const rows = await trackedRows(response.headers.get('x-rekindle-outcome-id') ?? '');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ lead_id: 'lead-responses-2', message_body: text });
  });

  it('falls back to the next model of the route when the first fails', async () => {
    openaiFake.enqueue({ kind: 'status', status: 500, body: { error: { message: 'boom' } } });
    const asked = openaiFake.chatRequests().length;
    const { data, response } = await acme.responses
      .create({ model: 'drafts', input: 'Write to Kim.' })
      .withResponse();
    expect(data.status).toBe('completed');
    expect(response.headers.get('x-rekindle-provider')).toBe('sandbox');
    expect(openaiFake.chatRequests().length).toBe(asked + 1);
  });

  it('ends a stream that fails after its first event with response.failed, no completed', async () => {
    openaiFake.enqueue({ kind: 'cut-stream', afterFrames: 2 });
    const stream = await acme.responses.create({
      model: 'gpt-4o-mini',
      input: 'Write to Lee.',
      stream: true,
    });
    const types: string[] = [];
    for await (const event of stream) {
      types.push(event.type);
    }
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.failed');
    expect(types).not.toContain('response.completed');
  });
});

describe('stored responses belong to one organization', () => {
  it("another organization's key cannot retrieve, continue from or delete a response", async () => {
    const created = await acme.responses.create({ model: 'sandbox/outreach-v1', input: 'Hello' });
    await expect(globex.responses.retrieve(created.id)).rejects.toMatchObject({ status: 404 });
    await expect(
      globex.responses.create({
        model: 'sandbox/outreach-v1',
        input: 'Go on',
        previous_response_id: created.id,
      }),
    ).rejects.toMatchObject({ status: 404, param: 'previous_response_id' });
    await expect(globex.responses.delete(created.id)).rejects.toMatchObject({ status: 404 });
    expect((await acme.responses.retrieve(created.id)).id).toBe(created.id);
    await acme.responses.delete(created.id);
    await expect(acme.responses.retrieve(created.id)).rejects.toMatchObject({ status: 404 });
  });

  it('keeps nothing with store: false; a stored response gets its row', async () => {
    const created = await acme.responses.create({
      model: 'sandbox/outreach-v1',
      input: 'Hello',
      store: false,
    });
    expect((created as unknown as { store: boolean }).store).toBe(false);
    await expect(acme.responses.retrieve(created.id)).rejects.toMatchObject({ status: 404 });
    const kept = await acme.responses.create({ model: 'sandbox/outreach-v1', input: 'Hello' });
    const transport = await sharedPglite();
    const rowsOf = async (id: string) =>
      (
        await transport.database.query<{ organization_id: string }>(
          'select organization_id from stored_responses where id = $1',
          [id],
        )
      ).rows;
    const deadline = Date.now() + 10_000;
    while ((await rowsOf(kept.id)).length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Written behind in order: once the later response is in, the earlier one would be too.
    expect(await rowsOf(kept.id)).toEqual([{ organization_id: 'acme' }]);
    expect(await rowsOf(created.id)).toEqual([]);
  });
});

describe('features the gateway cannot serve are refused with their param', () => {
  const refusals = [
    { param: 'tools[0].type', body: { tools: [{ type: 'web_search' }] } },
    { param: 'background', body: { background: true } },
    { param: 'reasoning', body: { reasoning: { effort: 'high' } } },
  ];
  it.each(refusals)('refuses $param with 400', async ({ param, body }) => {
    const response = await fetch(`${gateway.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${acmeKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', input: 'Hi', ...body }),
    });
    expect(response.status).toBe(400);
    const envelope = (await response.json()) as { error: Record<string, unknown> };
    expect(envelope.error).toMatchObject({ type: 'invalid_request_error', param });
    expect(typeof envelope.error.message).toBe('string');
  });
});
