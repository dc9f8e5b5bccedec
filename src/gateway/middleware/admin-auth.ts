import { createMiddleware } from 'hono/factory';
import { GatewayError } from '../../errors/index.ts';
import type { GatewayMetrics } from '../../metrics/index.ts';
import type { GatewayEnv } from '../gateway-dependencies.ts';
import { bearerToken, constantTimeEqual } from './bearer.ts';

/** `/admin` needs `Authorization: Bearer $REKINDLE_ADMIN_TOKEN`; without a token it is closed. */
export function adminAuth(options: { token: string | undefined; metrics: GatewayMetrics }) {
  return createMiddleware<GatewayEnv>(async function authenticateAdmin(context, next) {
    if (!options.token) {
      throw new GatewayError(
        'admin_disabled',
        'The admin API is disabled: set REKINDLE_ADMIN_TOKEN to enable it.',
      );
    }
    const given = bearerToken(context.req.header('authorization'));
    if (!given || !constantTimeEqual(given, options.token)) {
      options.metrics.authFailuresTotal.inc({ scope: 'admin' });
      throw new GatewayError('invalid_api_key', 'Send `Authorization: Bearer <admin token>`.');
    }
    await next();
  });
}
