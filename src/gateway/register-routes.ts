import type { Hono } from 'hono';
import { registerConsole } from '../console/index.ts';
import { chatCompletionsPath, countChatRequests, responsesPath } from './chat/request-metrics.ts';
import type { GatewayEnv } from './gateway-dependencies.ts';
import type { GatewayServices } from './gateway-services.ts';
import { adminAuth } from './middleware/admin-auth.ts';
import { limitBody } from './middleware/body-limit.ts';
import { metricsAuth } from './middleware/metrics-auth.ts';
import { requestContext } from './middleware/request-context.ts';
import { tenantAuth } from './middleware/tenant-auth.ts';
import { registerAdminExperiments } from './routes/admin-experiments.ts';
import { registerAdminKeys } from './routes/admin-keys.ts';
import { registerAdminModels } from './routes/admin-models.ts';
import { registerAdminSql } from './routes/admin-sql.ts';
import { registerAdminTraining } from './routes/admin-training.ts';
import { registerChatCompletions } from './routes/chat-completions.ts';
import { registerEmbeddings } from './routes/embeddings.ts';
import { type HealthState, registerHealth } from './routes/health.ts';
import { registerMetrics } from './routes/metrics.ts';
import { registerModels } from './routes/models.ts';
import { registerOutcomes } from './routes/outcomes.ts';
import { registerResponses } from './routes/responses.ts';
import { registerWebhooks } from './routes/webhooks.ts';

/**
 * Every method and path the gateway serves. The route files register them (the groups below say
 * which middleware guards each); test/integration/gateway/register-routes.test.ts fails when this table
 * and the registered routes disagree.
 */
export const gatewayRoutes = [
  // open
  ['GET', '/healthz'],
  ['GET', '/readyz'],
  // open, or the metrics token
  ['GET', '/metrics'],
  // tenant key + the organization's rate limit
  ['POST', '/v1/chat/completions'],
  ['POST', '/v1/responses'],
  ['GET', '/v1/responses/:id'],
  ['GET', '/v1/responses/:id/input_items'],
  ['DELETE', '/v1/responses/:id'],
  ['POST', '/v1/embeddings'],
  ['GET', '/v1/models'],
  ['GET', '/v1/models/:id{.+}'],
  ['POST', '/v1/outcomes'],
  ['GET', '/v1/outcomes/:id'],
  ['POST', '/v1/outcomes/:id/reply'],
  ['POST', '/v1/outcomes/:id/meeting'],
  ['POST', '/v1/outcomes/:id/deal'],
  // each vendor's signature, checked by the route
  ['POST', '/webhooks/sendgrid'],
  ['POST', '/webhooks/crm'],
  ['POST', '/webhooks/crm/pipedrive'],
  ['POST', '/webhooks/crm/salesforce'],
  ['POST', '/webhooks/crm/salesforce/flow'],
  // admin token
  ['GET', '/admin/models'],
  ['POST', '/admin/models'],
  ['POST', '/admin/models/:ref/deploy'],
  ['POST', '/admin/models/:ref/promote'],
  ['POST', '/admin/models/:ref/deprecate'],
  ['POST', '/admin/models/:ref/rollback'],
  ['POST', '/admin/routes/:route/rollback'],
  ['PUT', '/admin/routes/:route/baseline'],
  ['GET', '/admin/router/report'],
  ['GET', '/admin/leaderboard'],
  ['GET', '/admin/experiments/:route'],
  ['GET', '/admin/rollout/events'],
  ['POST', '/admin/sql'],
  ['POST', '/admin/training/export'],
  ['POST', '/admin/training/runs'],
  ['GET', '/admin/training/runs'],
  ['GET', '/admin/training/runs/:id'],
  ['POST', '/admin/training/runs/:id/cancel'],
  ['POST', '/admin/keys'],
  ['GET', '/admin/keys'],
  ['POST', '/admin/keys/:id/revoke'],
] as const satisfies readonly (readonly [string, string])[];

/**
 * Every path the gateway serves (listed in `gatewayRoutes` above), each group behind the middleware
 * that guards it.
 * Order matters in Hono — middleware runs in the order it is added — so read top to bottom:
 *
 *   *                          request id, start time, common response headers
 *   POST /v1/chat/completions  counted once, whatever ends it (before the limit and auth below),
 *   POST /v1/responses         under its own `endpoint` label
 *   POST|PUT|PATCH *           body limit (413)
 *   /healthz, /readyz          open
 *   /metrics                   open, or the metrics token
 *   /v1/*                      tenant key + the organization's rate limit:
 *                              chat/completions, responses, embeddings, models, outcomes
 *                              (tracking API)
 *   /webhooks/*                each provider's signature, checked by the route:
 *                              sendgrid, crm (HubSpot and signed JSON), crm/pipedrive,
 *                              crm/salesforce (Outbound Message), crm/salesforce/flow
 *   /admin/*                   admin token: models, experiments, training, keys, sql
 *   /console/*                 the operator console: its own session cookie and CSRF tokens
 */
export function registerRoutes(
  app: Hono<GatewayEnv>,
  services: GatewayServices,
  health: HealthState,
): void {
  const { config, metrics, now } = services;

  app.use('*', requestContext(now));
  app.on('POST', chatCompletionsPath, countChatRequests({ metrics, now }));
  app.on('POST', responsesPath, countChatRequests({ metrics, now, endpoint: 'responses' }));
  app.on(['POST', 'PUT', 'PATCH'], '*', limitBody(config.server.body_limit_bytes));

  registerHealth(app, { readiness: services.readiness, state: health });
  app.use('/metrics', metricsAuth({ token: config.server.metrics_token }));
  registerMetrics(app, { metrics });

  app.use('/v1/*', tenantAuth({ auth: services.auth, rateLimiter: services.rateLimiter, metrics }));
  registerChatCompletions(app, services);
  registerResponses(app, services);
  registerEmbeddings(app, services);
  registerModels(app, services);
  registerOutcomes(app, { tracker: services.tracker, metrics });

  registerWebhooks(app, {
    config,
    store: services.webhookEvents,
    metrics,
    logger: services.logger,
    now,
  });

  app.use('/admin/*', adminAuth({ token: config.server.admin_token, metrics }));
  registerAdminModels(app, {
    registry: services.registry,
    router: services.router,
    defaultRoute: config.default_route,
  });
  registerAdminExperiments(app, services.experiments);
  registerAdminTraining(app, { training: services.training, outcomes: services.outcomes, config });
  registerAdminKeys(app, {
    apiKeys: services.apiKeys,
    keys: services.keys,
    defaultRpm: config.rate_limit.default_rpm,
    logger: services.logger,
  });
  registerAdminSql(app, { run: services.sql });

  registerConsole(app, services.console);
}
