import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteTransport } from '../../../src/store/transports/pglite-transport.ts';
import { type GatewayProcess, startGatewayProcess } from '../../helpers/gateway-process.ts';

/**
 * Issue 15, finding 4 and Must show 3: SIGTERM under keep-alive load resets no client. Tracked chat
 * requests arrive at a fixed 50 req/s over a pool of kept-alive connections (the client of a
 * gateway behind a proxy, or an SDK), and keep arriving through the whole drain. Each request
 * either gets its complete answer, or is refused before it reaches the gateway (the listener is
 * closed: a load balancer retries that on another replica). None is reset, and every outcome id
 * handed out has its row once the process has exited.
 */
let gateway: GatewayProcess;
const agent = new Agent({ connections: 32, keepAliveTimeout: 30_000 });
const ratePerSecond = 50;

beforeAll(async () => {
  gateway = await startGatewayProcess({
    config: {
      // Every request is in flight for 150 ms, so a SIGTERM always finds several.
      providers: { sandbox: { type: 'sandbox', sandbox_latency_ms: 150 } },
      server: { shutdown_grace_ms: 4_000 },
      rate_limit: { default_rpm: 1_000_000 },
    },
  });
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await agent.close();
});

type Outcome =
  | { kind: 'answered'; outcomeId: string; sentAt: number; connectionClose: boolean }
  | { kind: 'refused'; sentAt: number }
  | { kind: 'failed'; sentAt: number; error: string };

async function trackedChat(index: number): Promise<Outcome> {
  const sentAt = performance.now();
  try {
    const response = await request(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json', 'x-rekindle-lead-id': `lead-${index}` },
      body: JSON.stringify({
        model: 'outreach',
        messages: [{ role: 'user', content: `Write to lead ${index}.` }],
      }),
    });
    const body = (await response.body.json()) as { choices?: unknown[] };
    const outcomeId = response.headers['x-rekindle-outcome-id'];
    if (response.statusCode !== 200 || typeof outcomeId !== 'string' || !body.choices) {
      return { kind: 'failed', sentAt, error: `status ${response.statusCode}` };
    }
    const connectionClose = String(response.headers.connection ?? '').toLowerCase() === 'close';
    return { kind: 'answered', outcomeId, sentAt, connectionClose };
  } catch (error) {
    return errorCode(error) === 'ECONNREFUSED'
      ? { kind: 'refused', sentAt }
      : { kind: 'failed', sentAt, error: `${errorCode(error)}: ${String(error)}` };
  }
}

function errorCode(error: unknown): string {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') {
      return code;
    }
  }
  return 'unknown';
}

describe('SIGTERM under keep-alive load', () => {
  it('answers or refuses every request, resets none, and stores every tracked one', async () => {
    await Promise.all(Array.from({ length: 10 }, (_, index) => trackedChat(-1 - index)));

    const outcomes: Array<Promise<Outcome>> = [];
    let exited = false;
    let signalledAt = Number.POSITIVE_INFINITY;
    let exit: Promise<unknown> = Promise.resolve();
    const started = performance.now();
    // Open loop: a request every 20 ms whatever the answers do, until the process has gone.
    for (let index = 0; !exited; index += 1) {
      const due = started + (index * 1000) / ratePerSecond;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      outcomes.push(trackedChat(index));
      if (index === ratePerSecond * 2) {
        signalledAt = performance.now();
        exit = gateway.kill('SIGTERM').then((status) => {
          exited = true;
          return status;
        });
      }
    }
    const results = await Promise.all(outcomes);
    expect(await exit).toEqual({ code: 0, signal: null });

    const failed = results.filter((outcome) => outcome.kind === 'failed');
    expect(failed.map((outcome) => outcome.error)).toEqual([]);
    const answered = results.filter((outcome) => outcome.kind === 'answered');
    // The drain served requests that arrived on kept-alive connections after the listener closed,
    // and told their clients to close those connections.
    const answeredAfter = answered.filter((outcome) => outcome.sentAt > signalledAt);
    expect(answeredAfter.some((outcome) => outcome.connectionClose)).toBe(true);
    expect(results.some((outcome) => outcome.kind === 'refused')).toBe(true);

    const transport = await PgliteTransport.open({ dataDir: gateway.dataDir as string });
    try {
      const ids = answered.map((outcome) => outcome.outcomeId);
      const stored = await transport.database.query<{ count: number }>(
        'select count(*)::int as count from outcome_labels where id = any($1::uuid[])',
        [ids],
      );
      expect(stored.rows[0]?.count).toBe(ids.length);
    } finally {
      await transport.close();
    }
  }, 120_000);
});
