import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenAIFake, startOpenAIFake } from '../../fakes/openai-fake.ts';
import { type GatewayProcess, startGatewayProcess } from '../../helpers/gateway-process.ts';

/**
 * Issue 2, shutdown: SIGTERM → /readyz fails, in-flight requests and streams finish, the process exits
 * 0. The gateway is a real child process so the signal takes the same path as in production.
 */
let fake: OpenAIFake;
let gateway: GatewayProcess;

beforeAll(async () => {
  fake = await startOpenAIFake();
  gateway = await startGatewayProcess({
    env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.url },
    config: { server: { shutdown_grace_ms: 15_000 } },
  });
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await fake?.close();
});

describe('SIGTERM', () => {
  it('fails readiness, drains an open stream and a slow request, then exits 0', async () => {
    expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
    const words = Array.from({ length: 12 }, (_, index) => `word${index}`).join(' ');
    fake.enqueue({ kind: 'answer', content: words, frameDelayMs: 150 });
    fake.enqueue({ kind: 'answer', content: 'slow but fine', delayMs: 1_200 });

    const stream = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'gpt-4o-mini',
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    expect(stream.status).toBe(200);
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    const firstChunk = await reader.read();
    expect(firstChunk.done).toBe(false);
    const slow = fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    // Let the slow request reach the gateway before the signal.
    await new Promise((resolve) => setTimeout(resolve, 200));

    const exited = gateway.kill('SIGTERM');
    let readiness = 0;
    for (let attempt = 0; attempt < 40 && readiness !== 503; attempt += 1) {
      readiness = (await fetch(`${gateway.url}/readyz`).catch(() => ({ status: -1 }))).status;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(readiness).toBe(503);

    const decoder = new TextDecoder();
    let text = decoder.decode(firstChunk.value);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        break;
      }
      text += decoder.decode(value);
    }
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    const slowResponse = await slow;
    expect(slowResponse.status).toBe(200);
    expect(
      ((await slowResponse.json()) as { choices: Array<{ message: { content: string } }> })
        .choices[0]?.message.content,
    ).toBe('slow but fine');
    expect(await exited).toEqual({ code: 0, signal: null });
  }, 60_000);
});
