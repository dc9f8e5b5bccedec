import type { Hono } from 'hono';
import type { GatewayMetrics } from '../../metrics/index.ts';
import type { GatewayEnv } from '../gateway-dependencies.ts';

/** Prometheus text format of the gateway's registry (guarded by metricsAuth in the route table). */
export function registerMetrics(app: Hono<GatewayEnv>, options: { metrics: GatewayMetrics }): void {
  const { registry } = options.metrics;
  app.get('/metrics', async (context) => {
    const body = await registry.metrics();
    return context.body(body, 200, { 'content-type': registry.contentType });
  });
}
