import { createMiddleware } from 'hono/factory';
import type { ConsoleEnv } from '../console-env.ts';

/**
 * Scripts and styles only from the console's own files (no inline code, no inline style
 * attributes), images only from itself or data: URIs, forms only back to the gateway, no framing.
 * Pages carry tenant data, so nothing is cached or sent on as a referrer.
 */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export function securityHeaders() {
  return createMiddleware<ConsoleEnv>(async function setSecurityHeaders(context, next) {
    context.set('consoleStartedAt', performance.now());
    await next();
    const headers = context.res.headers;
    headers.set('content-security-policy', contentSecurityPolicy);
    headers.set('x-content-type-options', 'nosniff');
    headers.set('x-frame-options', 'DENY');
    headers.set('referrer-policy', 'no-referrer');
    headers.set('cross-origin-opener-policy', 'same-origin');
    headers.set('cross-origin-resource-policy', 'same-origin');
    if (!headers.has('cache-control')) {
      headers.set('cache-control', 'no-store');
    }
    const elapsed = performance.now() - context.get('consoleStartedAt');
    headers.set('server-timing', `console;dur=${elapsed.toFixed(1)}`);
  });
}
