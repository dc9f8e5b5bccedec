import type { Hono } from 'hono';
import { AuthenticationError } from '../errors.ts';
import type { GatewayDependencies, GatewayEnv } from '../gateway-dependencies.ts';
import { bearerToken, constantTimeEqual } from '../middleware/bearer.ts';

export function registerMetrics(app: Hono<GatewayEnv>, deps: GatewayDependencies): void {
  const token = deps.config.server.metrics_token;
  app.get('/metrics', async (context) => {
    if (token) {
      const given = bearerToken(context.req.header('authorization'));
      if (!given || !constantTimeEqual(given, token)) {
        throw new AuthenticationError('Send `Authorization: Bearer <metrics token>`.');
      }
    }
    const body = await deps.metrics.registry.metrics();
    return context.body(body, 200, { 'content-type': deps.metrics.registry.contentType });
  });
}
