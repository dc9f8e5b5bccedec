import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import { type OpenAIFake, startOpenAIFake } from '../../fakes/openai-fake.ts';
import { closeSharedPglite } from '../../helpers/pglite.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';
import { metricValue } from '../router/gateway-probes.ts';

/**
 * Issue 4, per-attempt and total timeouts, for streams past their first byte: an upstream that
 * sends two frames and stalls is cut by the route's total timeout (or by the idle limit between
 * chunks, per route or per provider). The client's stream ends with an error frame in the OpenAI
 * envelope and no `[DONE]`, the upstream request is closed, and the request counts as a 504 and
 * an upstream timeout.
 */
let fake: OpenAIFake;
let gateway: RunningGateway;

beforeAll(async () => {
  fake = await startOpenAIFake();
  gateway = await startTestGateway({
    env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.url },
    file: {
      providers: {
        // Same upstream under another id, with a short idle limit of its own.
        impatient: {
          type: 'openai-compatible',
          base_url: fake.url,
          api_key: 'sk-test',
          stream_idle_timeout_ms: 300,
        },
      },
      routes: {
        // The provider's idle limit (default 30 s) is far off: the total timeout must act.
        stalled: {
          models: ['gpt-4o-mini'],
          retry: { max_attempts: 1 },
          total_timeout_ms: 3_000,
        },
        'short-idle': {
          models: ['gpt-4o-mini'],
          retry: { max_attempts: 1 },
          stream_idle_timeout_ms: 300,
        },
      },
    },
  });
});

afterAll(async () => {
  await gateway?.shutdown();
  await fake?.close();
  await closeSharedPglite();
});

async function streamRaw(model: string) {
  const started = performance.now();
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model,
      stream: true,
      messages: [{ role: 'user', content: 'Write to Dana at Initech.' }],
    }),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await response.text();
  const frames = text
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: '))
    .map((frame) => frame.slice('data: '.length));
  return { response, frames, elapsedMs: performance.now() - started };
}

function lastFrameError(frames: readonly string[]) {
  const last = JSON.parse(frames.at(-1) ?? '{}') as { error?: Record<string, unknown> };
  return last.error;
}

describe('stream timeouts past the first byte', () => {
  it('the route’s total timeout (3 s) ends a stream that stalled after two frames', async () => {
    const before = {
      requests:
        (await metricValue(gateway.url, 'rekindle_requests_total', {
          route: 'stalled',
          status: '504',
        })) ?? 0,
      timeouts:
        (await metricValue(gateway.url, 'rekindle_upstream_duration_seconds_count', {
          model: 'gpt-4o-mini',
          outcome: 'timeout',
        })) ?? 0,
    };
    fake.enqueue({ kind: 'stall', afterFrames: 2 });
    const { response, frames, elapsedMs } = await streamRaw('stalled');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(elapsedMs).toBeGreaterThanOrEqual(2_900);
    expect(elapsedMs).toBeLessThan(8_000);
    // Two relayed chunks, then the error frame; never [DONE].
    expect(frames).toHaveLength(3);
    expect(JSON.parse(frames[1] ?? '{}').choices[0].delta.content).toBeTruthy();
    expect(frames).not.toContain('[DONE]');
    const error = lastFrameError(frames);
    expect(Object.keys(error ?? {}).sort()).toEqual(['code', 'message', 'param', 'type']);
    expect(error).toMatchObject({ type: 'timeout_error', code: 'upstream_timeout' });
    expect(String(error?.message)).toMatch(/total timeout/);

    // The upstream request was aborted, not left open.
    const upstream = fake.chatRequests().at(-1);
    await upstream?.clientDisconnected;
    expect(upstream?.disconnectedEarly()).toBe(true);

    expect(
      await metricValue(gateway.url, 'rekindle_requests_total', {
        route: 'stalled',
        status: '504',
      }),
    ).toBe(before.requests + 1);
    expect(
      await metricValue(gateway.url, 'rekindle_upstream_duration_seconds_count', {
        model: 'gpt-4o-mini',
        outcome: 'timeout',
      }),
    ).toBe(before.timeouts + 1);
  });

  it('a route’s stream_idle_timeout_ms ends a stall long before the total timeout', async () => {
    fake.enqueue({ kind: 'stall', afterFrames: 2 });
    const { frames, elapsedMs } = await streamRaw('short-idle');
    expect(elapsedMs).toBeGreaterThanOrEqual(280);
    expect(elapsedMs).toBeLessThan(2_500);
    expect(frames).toHaveLength(3);
    expect(frames).not.toContain('[DONE]');
    expect(lastFrameError(frames)).toMatchObject({ type: 'timeout_error' });
    expect(String(lastFrameError(frames)?.message)).toMatch(/stalled/);
  });

  it('a provider’s stream_idle_timeout_ms applies to requests naming its models directly', async () => {
    fake.enqueue({ kind: 'stall', afterFrames: 2 });
    const { frames, elapsedMs } = await streamRaw('impatient/local-model');
    expect(elapsedMs).toBeLessThan(2_500);
    expect(lastFrameError(frames)).toMatchObject({ type: 'timeout_error' });
    expect(
      await metricValue(gateway.url, 'rekindle_requests_total', {
        route: 'direct',
        model: 'impatient/local-model',
        status: '504',
      }),
    ).toBe(1);
  });

  it('a stream within its limits still ends with [DONE]', async () => {
    fake.enqueue({ kind: 'answer', content: 'Hi Dana, a quick note', frameDelayMs: 30 });
    const { frames } = await streamRaw('short-idle');
    expect(frames.at(-1)).toBe('[DONE]');
    expect(frames.some((frame) => frame.startsWith('{"error"'))).toBe(false);
  });
});
