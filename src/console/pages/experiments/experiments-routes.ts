import type { Hono } from 'hono';
import {
  createStoreLeaderboardSource,
  ExperimentService,
  outcomeWindows,
} from '../../../pipeline/index.ts';
import { noticeText } from '../../actions/notices.ts';
import type { ConsoleEnv } from '../../console-env.ts';
import type { ConsoleServices } from '../../console-services.ts';
import { ConsoleError } from '../../http/console-error.ts';
import { renderPage } from '../../http/render-page.ts';
import { ExperimentsPage } from './experiments-page.tsx';

/**
 * The experiment service a viewer reads: the admin API's own for admins (every organization's
 * messages, the numbers the automation acts on); for an organization's session the same engine
 * over that organization's messages only.
 */
function experimentsFor(
  services: ConsoleServices,
  organizationId: string | null,
): ExperimentService {
  if (organizationId === null) {
    return services.experiments;
  }
  const { rollout } = services.config;
  return new ExperimentService({
    source: createStoreLeaderboardSource({
      cohorts: {
        dailyCohorts: (query) =>
          services.store.leaderboard.dailyCohorts({ ...query, organizationId }),
      },
      listModels: (route) => services.registry.list(route),
      windows: outcomeWindows(rollout),
    }),
    rollout,
    knownRoutes: () => services.experiments.routes(),
    clock: () => new Date(services.now()),
  });
}

/** GET /console/experiments[?route=] — leaderboard, decision, actions and audit trail of a route. */
export function registerExperiments(app: Hono<ConsoleEnv>, services: ConsoleServices): void {
  app.get('/experiments', async (context) => {
    const viewer = context.get('viewer');
    const routes = services.experiments.routes();
    const route = context.req.query('route') || services.config.default_route;
    if (!routes.includes(route)) {
      throw new ConsoleError(
        404,
        `No route ${route}: it is neither configured nor in the registry.`,
      );
    }
    const experiments = experimentsFor(services, viewer.organizationId);
    const [evaluation, leaderboard, models, events] = await Promise.all([
      experiments.evaluate(route),
      experiments.leaderboard(route),
      services.registry.list(route),
      services.rolloutEvents(route, 25),
    ]);
    return renderPage(
      context,
      ExperimentsPage({
        viewer,
        routes,
        route,
        evaluation,
        leaderboard,
        models,
        events,
        notice: noticeText(context.req.query('done'), context.req.query('subject')),
        organizationId: viewer.organizationId,
      }),
    );
  });
}
