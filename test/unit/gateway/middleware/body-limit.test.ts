import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../../../src/errors/index.ts';
import { limitBody } from '../../../../src/gateway/middleware/body-limit.ts';

const limit = 64;

function createLimitedApp() {
  const app = new Hono();
  app.post('*', limitBody(limit));
  app.post('/echo', async (context) => context.text(await context.req.text()));
  app.onError((error, context) =>
    context.json(
      { code: GatewayError.isInstance(error) ? error.code : 'other' },
      GatewayError.isInstance(error) ? (error.status as 413) : 500,
    ),
  );
  return app;
}

/** Sends a body either with Content-Length or chunked (no length), over a real socket. */
function post(
  port: number,
  body: string,
  chunked: boolean,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: '/echo',
        method: 'POST',
        headers: chunked
          ? { 'transfer-encoding': 'chunked' }
          : { 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      },
    );
    request.on('error', reject);
    if (chunked) {
      // Two writes so the body really arrives in chunks.
      request.write(body.slice(0, 10));
      request.end(body.slice(10));
    } else {
      request.end(body);
    }
  });
}

describe('limitBody', () => {
  let server: ServerType;
  let port: number;

  beforeAll(async () => {
    const app = createLimitedApp();
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

  it('passes a body within the limit, declared by Content-Length, unchanged', async () => {
    const body = 'x'.repeat(limit);
    expect(await post(port, body, false)).toEqual({ status: 200, text: body });
  });

  it('refuses a Content-Length over the limit with 413 request_too_large', async () => {
    const answer = await post(port, 'y'.repeat(limit + 1), false);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.text)).toEqual({ code: 'request_too_large' });
  });

  it('passes a chunked body within the limit unchanged', async () => {
    const body = 'z'.repeat(limit - 1);
    expect(await post(port, body, true)).toEqual({ status: 200, text: body });
  });

  it('refuses a chunked body that grows over the limit with 413', async () => {
    const answer = await post(port, 'w'.repeat(limit * 3), true);
    expect(answer.status).toBe(413);
  });

  it('applies the same limit without node-server (app.request)', async () => {
    const app = createLimitedApp();
    const over = await app.request('/echo', { method: 'POST', body: 'v'.repeat(limit + 5) });
    expect(over.status).toBe(413);
    const within = await app.request('/echo', { method: 'POST', body: 'ok' });
    expect(await within.text()).toBe('ok');
  });
});
