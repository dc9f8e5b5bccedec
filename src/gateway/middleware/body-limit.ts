import type { IncomingMessage } from 'node:http';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { GatewayError } from '../../errors/index.ts';
import type { GatewayEnv } from '../gateway-dependencies.ts';

/**
 * The request body limit (413 past `maxSize` bytes). Hono's `bodyLimit` looks at `c.req.raw.body`,
 * which makes @hono/node-server build a full web `Request` around a web stream of the socket on
 * every POST — the largest single cost on the chat hot path. When the Node request is at hand and
 * says its length (no `Transfer-Encoding`), the limit is decided from that header alone, and the
 * route later reads the body through node-server's direct path. A chunked body, or a request that
 * did not come through node-server (`app.request()` in tests), still gets Hono's streaming check.
 */
export function limitBody(maxSize: number) {
  const streamingCheck = bodyLimit({
    maxSize,
    onError: () => {
      throw payloadTooLarge(maxSize);
    },
  });
  return createMiddleware<GatewayEnv>(async function limitRequestBody(context, next) {
    const incoming = (context.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    const headers = incoming?.headers;
    if (headers !== undefined && headers['transfer-encoding'] === undefined) {
      const length = headers['content-length'];
      // Same rule as Hono's: a declared length above the limit is refused before any byte is read.
      if (length !== undefined && Number.parseInt(length, 10) > maxSize) {
        throw payloadTooLarge(maxSize);
      }
      await next();
      return;
    }
    await streamingCheck(context, next);
  });
}

export function payloadTooLarge(limitBytes: number): GatewayError {
  return new GatewayError('request_too_large', `Request body is larger than ${limitBytes} bytes.`);
}
