import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import type { SqlExecutor } from '../../../src/store/sql-executor.ts';
import { type OpenAIFake, startOpenAIFake } from '../../fakes/openai-fake.ts';
import { closeSharedPglite, sharedPglite } from '../../helpers/pglite.ts';
import { sharedStore, startTestGateway } from '../../helpers/test-gateway.ts';

/**
 * Issue 15, finding 6 (failed streams): a stream's outcome id leaves with its headers, before the
 * stream ends. Whatever ends it — an error frame after the first byte, the upstream cut, the
 * client going away — the id handed out has its row, with how the generation ended.
 */
let fake: OpenAIFake;
let gateway: RunningGateway;
let sql: SqlExecutor;

beforeAll(async () => {
  fake = await startOpenAIFake();
  const store = await sharedStore();
  sql = (await sharedPglite()).executor;
  gateway = await startTestGateway({
    store,
    env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.url },
    file: {
      routes: { outreach: { models: ['gpt-4o-mini'], retry: { max_attempts: 1 } } },
      tracking: { flush_interval_ms: 50 },
    },
  });
}, 120_000);

afterAll(async () => {
  await gateway?.shutdown();
  await fake?.close();
  await closeSharedPglite();
});

async function trackedStream(lead: string): Promise<{ outcomeId: string | null; body: string }> {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-rekindle-lead-id': lead },
    body: JSON.stringify({
      model: 'outreach',
      stream: true,
      messages: [{ role: 'user', content: `Write to ${lead}.` }],
    }),
  });
  expect(response.status).toBe(200);
  return { outcomeId: response.headers.get('x-rekindle-outcome-id'), body: await response.text() };
}

async function statusOf(outcomeId: string): Promise<string | undefined> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const [row] = await sql.query<{ generation_status: string }>(
      'select generation_status from outcome_labels where id = $1',
      [outcomeId],
    );
    if (row !== undefined) {
      return row.generation_status;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}

describe('a tracked stream that does not finish', () => {
  it('writes the row of an error after the first byte as failed', async () => {
    fake.enqueue({ kind: 'error-frame', afterFrames: 2 });
    const { outcomeId, body } = await trackedStream('lead-error-frame');
    expect(body).toContain('"error"');
    expect(body).not.toContain('[DONE]');
    expect(outcomeId).toBeTruthy();
    expect(await statusOf(outcomeId ?? '')).toBe('failed');
  });

  it('writes the row of a stream the upstream cut as failed', async () => {
    fake.enqueue({ kind: 'reset-after-first-chunk' });
    const { outcomeId } = await trackedStream('lead-reset');
    expect(outcomeId).toBeTruthy();
    expect(await statusOf(outcomeId ?? '')).toBe('failed');
  });

  it('writes a finished stream as completed', async () => {
    const { outcomeId, body } = await trackedStream('lead-complete');
    expect(body).toContain('[DONE]');
    expect(await statusOf(outcomeId ?? '')).toBe('completed');
  });
});
