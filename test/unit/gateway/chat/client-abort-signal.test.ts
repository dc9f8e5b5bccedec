import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAbortSignal } from '../../../../src/gateway/chat/client-abort-signal.ts';
import type { GatewayEnv } from '../../../../src/gateway/gateway-dependencies.ts';

interface Seen {
  aborted: boolean;
  reason: unknown;
  events: number;
  /** What node-server's own signal for the same request said. */
  nodeServerReason?: unknown;
}

/** A route that hands out the signal, then answers after `delayMs` (or never, if 'hang'). */
function createApp(seen: Seen[], onSignal: (signal: AbortSignal) => void) {
  const app = new Hono<GatewayEnv>();
  app.get('/wait/:ms', async (context) => {
    const signal = clientAbortSignal(context);
    const record: Seen = { aborted: false, reason: undefined, events: 0 };
    seen.push(record);
    const own = context.req.raw.signal;
    own.addEventListener('abort', () => {
      record.nodeServerReason = own.reason;
    });
    signal.addEventListener(
      'abort',
      () => {
        record.aborted = signal.aborted;
        record.reason = signal.reason;
        record.events += 1;
      },
      { once: true },
    );
    onSignal(signal);
    await new Promise((resolve) => setTimeout(resolve, Number(context.req.param('ms'))));
    return context.text('done');
  });
  return app;
}

describe('clientAbortSignal', () => {
  const seen: Seen[] = [];
  let server: ServerType;
  let port: number;
  let lastSignal: AbortSignal | undefined;

  beforeAll(async () => {
    const app = createApp(seen, (signal) => {
      lastSignal = signal;
    });
    server = await new Promise<ServerType>((resolve) => {
      const created = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () =>
        resolve(created),
      );
    });
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('does not abort when the response finishes', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/wait/5`);
    expect(await response.text()).toBe('done');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen.at(-1)).toEqual({ aborted: false, reason: undefined, events: 0 });
    expect(lastSignal?.aborted).toBe(false);
  });

  it('aborts once when the client leaves before the answer, with node-server’s reason', async () => {
    await new Promise<void>((resolve) => {
      const request = httpRequest({ host: '127.0.0.1', port, path: '/wait/300' });
      request.on('error', () => resolve());
      request.end();
      setTimeout(() => {
        request.destroy();
        resolve();
      }, 50);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const record = seen.at(-1);
    expect(record).toMatchObject({ aborted: true, events: 1 });
    expect(record?.reason).toBeTypeOf('string');
    expect(record?.reason).toBe(record?.nodeServerReason);
    expect(() => lastSignal?.throwIfAborted()).toThrow();
  });

  it('is the request’s own AbortSignal when not served by node-server', async () => {
    let signal: AbortSignal | undefined;
    const app = createApp([], (given) => {
      signal = given;
    });
    await app.request('/wait/1');
    expect(signal).toBeInstanceOf(AbortSignal);
  });
});
