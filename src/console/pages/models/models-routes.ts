import type { Hono } from 'hono';
import { noticeText } from '../../actions/notices.ts';
import type { ConsoleEnv } from '../../console-env.ts';
import type { ConsoleServices } from '../../console-services.ts';
import { renderPage } from '../../http/render-page.ts';
import { ModelsPage } from './models-page.tsx';

/** GET /console/models[?route=] — the registry of a route, its history, register/deploy/deprecate. */
export function registerModels(app: Hono<ConsoleEnv>, services: ConsoleServices): void {
  app.get('/models', async (context) => {
    const viewer = context.get('viewer');
    const route = context.req.query('route') || services.config.default_route;
    const routes = [...new Set([...services.experiments.routes(), route])].sort();
    const [models, events] = await Promise.all([
      services.registry.list(route),
      services.rolloutEvents(route, 25),
    ]);
    const providers = Object.keys(services.config.providers)
      .filter((id) => services.config.providers[id]?.enabled)
      .sort();
    return renderPage(
      context,
      ModelsPage({
        viewer,
        routes,
        route,
        models,
        events,
        providers,
        notice: noticeText(context.req.query('done'), context.req.query('subject')),
      }),
    );
  });
}
