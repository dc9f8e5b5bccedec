import { type Context, type Env, Hono } from 'hono';
import { registerActions } from './actions/actions-route.ts';
import { registerAssets } from './assets/console-assets.ts';
import type { ConsoleEnv } from './console-env.ts';
import type { ConsoleServices } from './console-services.ts';
import { ConsoleError, describeError } from './http/console-error.ts';
import { checkCsrf } from './http/csrf-check.ts';
import { renderPage } from './http/render-page.ts';
import { securityHeaders } from './http/security-headers.ts';
import { requireSession } from './http/session-middleware.ts';
import { registerExperiments } from './pages/experiments/experiments-routes.ts';
import { registerKeys } from './pages/keys/keys-routes.ts';
import { registerModels } from './pages/models/models-routes.ts';
import { registerOutcomes } from './pages/outcomes/outcomes-routes.ts';
import { registerOverview } from './pages/overview/overview-route.ts';
import { registerSignIn, registerSignOut } from './pages/sign-in/sign-in-routes.ts';
import { registerTraining } from './pages/training/training-routes.ts';
import { ConsoleSessions } from './session/console-sessions.ts';
import { ErrorPage } from './views/error-page.tsx';

/**
 * The operator console at /console, on the gateway's own port (docs/console.md). Order:
 *
 *   *                  security headers (CSP…), on every console response
 *   /assets/*          the stylesheet and script, open
 *   /sign-in           the sign-in form (its own double-submit token)
 *   everything else    a session (the open loopback gateway starts one as `default`), then the
 *                      CSRF token on every POST, then the pages and their actions
 */
export function registerConsole<E extends Env>(app: Hono<E>, services: ConsoleServices): void {
  const pages = new Hono<ConsoleEnv>();
  const sessions = new ConsoleSessions({
    store: services.store.console,
    adminToken: () => services.config.server.admin_token,
    tenants: services.tenants,
  });
  pages.use('*', securityHeaders());
  registerAssets(pages);
  registerSignIn(pages, services, sessions);
  pages.use('*', requireSession(sessions));
  pages.use('*', checkCsrf());
  registerSignOut(pages, sessions);
  registerOverview(pages, services);
  registerExperiments(pages, services);
  registerModels(pages, services);
  registerTraining(pages, services);
  registerOutcomes(pages, services);
  registerKeys(pages, services);
  registerActions(pages, services);
  pages.all('*', () => {
    throw new ConsoleError(404, 'There is no such console page.');
  });
  pages.onError((error, context) => renderError(context, error, services));
  app.route('/console', pages);
}

function renderError(context: Context<ConsoleEnv>, error: unknown, services: ConsoleServices) {
  const { status, message } = describeError(error);
  if (status === 500) {
    services.logger.error('console request failed', { error, path: context.req.path });
  }
  const viewer = context.get('viewer') ?? null;
  if (
    context.req.header('accept')?.includes('application/json') &&
    !context.req.header('accept')?.includes('text/html')
  ) {
    return context.json({ error: { message, status } }, status);
  }
  return renderPage(context, ErrorPage({ viewer, status, message }), status);
}
