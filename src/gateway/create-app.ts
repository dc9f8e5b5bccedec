import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { countRejectionIfChat } from './chat/request-metrics.ts';
import { notFound, renderError, toGatewayError } from './error-handler.ts';
import type { GatewayDependencies, GatewayEnv } from './gateway-dependencies.ts';
import { adminAuth } from './middleware/admin-auth.ts';
import { limitBody } from './middleware/body-limit.ts';
import { tenantAuth } from './middleware/tenant-auth.ts';
import { registerChatCompletions } from './routes/chat-completions.ts';
import { type HealthState, registerHealth } from './routes/health.ts';
import { registerMetrics } from './routes/metrics.ts';
import { registerModels } from './routes/models.ts';

export interface GatewayApp {
  readonly app: Hono<GatewayEnv>;
  readonly health: HealthState;
}

/** Builds the HTTP app from explicit dependencies; nothing here reads the environment. */
export function createApp(deps: GatewayDependencies): GatewayApp {
  const now = deps.now ?? Date.now;
  const health: HealthState = { draining: false };
  const app = new Hono<GatewayEnv>();
  const limit = deps.config.server.body_limit_bytes;

  app.use('*', async function requestContext(context, next) {
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
  app.on(['POST', 'PUT', 'PATCH'], '*', limitBody(limit));

  registerHealth(app, deps, health);
  registerMetrics(app, deps);

  app.use(
    '/v1/*',
    tenantAuth({ auth: deps.auth, rateLimiter: deps.rateLimiter, metrics: deps.metrics }),
  );
  registerChatCompletions(app, deps);
  registerModels(app, deps);

  app.use('/admin/*', adminAuth({ token: deps.config.server.admin_token, metrics: deps.metrics }));
  for (const mount of deps.mount ?? []) {
    mount(app);
  }

  app.onError((error, context) => {
    // Chat completions refused before the route handler (400, 401, 413, 429) count as requests too.
    countRejectionIfChat(deps.metrics, context, toGatewayError(error), now());
    return renderError(context, error, deps.logger);
  });
  app.notFound(notFound);
  return { app, health };
}
