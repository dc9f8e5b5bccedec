import { createMiddleware } from 'hono/factory';
import { GatewayError } from '../../errors/index.ts';
import type { GatewayEnv } from '../gateway-dependencies.ts';
import { bearerToken, constantTimeEqual } from './bearer.ts';

/** `/metrics` is open unless a metrics token is configured; then it needs that bearer token. */
export function metricsAuth(options: { token: string | undefined }) {
  const { token } = options;
  return createMiddleware<GatewayEnv>(async function authenticateScraper(context, next) {
    if (token) {
      const given = bearerToken(context.req.header('authorization'));
      if (!given || !constantTimeEqual(given, token)) {
        throw new GatewayError('invalid_api_key', 'Send `Authorization: Bearer <metrics token>`.');
      }
    }
    await next();
  });
}
