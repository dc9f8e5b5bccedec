import type { Hono } from 'hono';
import type { GatewayDependencies, GatewayEnv } from '../gateway-dependencies.ts';

export interface HealthState {
  /** Set on SIGTERM: readiness fails so load balancers stop sending, liveness stays up. */
  draining: boolean;
}

export function registerHealth(
  app: Hono<GatewayEnv>,
  deps: GatewayDependencies,
  state: HealthState,
): void {
  app.get('/healthz', (context) => context.json({ status: 'ok' }));
  app.get('/readyz', (context) => {
    const readiness = deps.readiness.ready();
    if (state.draining) {
      return context.json({ status: 'draining', checks: readiness.checks }, 503);
    }
    return context.json(
      { status: readiness.ready ? 'ready' : 'not_ready', checks: readiness.checks },
      readiness.ready ? 200 : 503,
    );
  });
}
