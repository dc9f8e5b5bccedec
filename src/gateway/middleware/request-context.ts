import { randomUUID } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import type { GatewayEnv } from '../gateway-dependencies.ts';

/**
 * Every request: its id (the client's `x-request-id` when sane, else a new one), when it started,
 * and the headers every response carries (see response-headers.ts), copied onto responses that
 * did not include them already.
 */
export function requestContext(now: () => number) {
  return createMiddleware<GatewayEnv>(async function setRequestContext(context, next) {
    const incoming = context.req.header('x-request-id');
    const requestId = incoming && incoming.length <= 128 ? incoming : randomUUID();
    const responseHeaders: Record<string, string> = {
      'x-request-id': requestId,
      'x-rekindle-request-id': requestId,
    };
    context.set('requestId', requestId);
    context.set('startedAt', now());
    context.set('responseHeaders', responseHeaders);
    await next();
    if (context.get('responseHeadersIncluded') !== true) {
      for (const name in responseHeaders) {
        context.header(name, responseHeaders[name]);
      }
    }
  });
}
