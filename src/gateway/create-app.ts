import { Hono } from 'hono';
import { notFound, renderError } from './error-handler.ts';
import type { GatewayEnv } from './gateway-dependencies.ts';
import type { GatewayServices } from './gateway-services.ts';
import { registerRoutes } from './register-routes.ts';
import type { HealthState } from './routes/health.ts';

export interface GatewayApp {
  readonly app: Hono<GatewayEnv>;
  readonly health: HealthState;
}

/** Builds the HTTP app over explicit services; nothing here reads the environment. */
export function createApp(services: GatewayServices): GatewayApp {
  const health: HealthState = { draining: false };
  const app = new Hono<GatewayEnv>();
  registerRoutes(app, services, health);
  app.onError((error, context) => renderError(context, error, services.logger));
  app.notFound(notFound);
  return { app, health };
}
