import { createMiddleware } from 'hono/factory';
import type { GatewayMetrics } from '../../metrics/index.ts';
import { AuthenticationError, RateLimitError } from '../errors.ts';
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
      throw new AuthenticationError();
    }
    context.set('tenant', tenant);
    if (rateLimiter) {
      const decision = await rateLimiter.check(tenant);
      if (!decision.allowed) {
        metrics.rateLimitedTotal.inc();
        throw new RateLimitError(
          `Rate limit reached for organization ${tenant.organizationId}; retry after the time in Retry-After.`,
          decision.headers,
        );
      }
      addResponseHeaders(context, decision.headers);
    }
    await next();
  });
}
