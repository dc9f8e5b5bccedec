import { createMiddleware } from 'hono/factory';
import { GatewayError } from '../../errors/index.ts';
import type { GatewayMetrics } from '../../metrics/index.ts';
import type {
  GatewayEnv,
  TenantAuthenticator,
  TenantRateLimiter,
} from '../gateway-dependencies.ts';
import { addResponseHeaders } from '../response-headers.ts';

/** Tenant routes: a valid key (or the open loopback default), then the organization's rate limit. */
export function tenantAuth(options: {
  auth: TenantAuthenticator;
  rateLimiter: TenantRateLimiter | undefined;
  metrics: GatewayMetrics;
}) {
  const { auth, rateLimiter, metrics } = options;
  return createMiddleware<GatewayEnv>(async function authenticateTenant(context, next) {
    const tenant = auth.authenticate(context.req.header('authorization'));
    if (!tenant) {
      metrics.authFailuresTotal.inc({ scope: 'tenant' });
      throw new GatewayError(
        'invalid_api_key',
        'Missing or invalid API key. Send `Authorization: Bearer <key>`.',
      );
    }
    context.set('tenant', tenant);
    if (rateLimiter) {
      const decision = await rateLimiter.check(tenant);
      if (!decision.allowed) {
        metrics.rateLimitedTotal.inc();
        throw new GatewayError(
          'rate_limit_exceeded',
          `Rate limit reached for organization ${tenant.organizationId}; retry after the time in Retry-After.`,
          { isRetryable: true, headers: decision.headers },
        );
      }
      addResponseHeaders(context, decision.headers);
    }
    await next();
  });
}
