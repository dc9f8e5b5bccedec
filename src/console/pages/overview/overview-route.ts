import type { Hono } from 'hono';
import type { ConsoleEnv } from '../../console-env.ts';
import type { ConsoleServices } from '../../console-services.ts';
import { renderPage } from '../../http/render-page.ts';
import { organizationScope } from '../../session/console-viewer.ts';
import { organizationIds } from '../organization-ids.ts';
import { OverviewPage } from './overview-page.tsx';
import { overviewWindow } from './overview-window.ts';

/** GET /console[?window=24h|7d|30d|90d|all][&org=] — progress, the weekly flywheel, live figures. */
export function registerOverview(app: Hono<ConsoleEnv>, services: ConsoleServices): void {
  app.get('/', async (context) => {
    const viewer = context.get('viewer');
    const window = overviewWindow(context.req.query('window'));
    const organizationId = organizationScope(viewer, context.req.query('org'));
    const now = services.now();
    const until = new Date(now);
    const since = window.ms === null ? null : new Date(now - window.ms);
    const minQualityScore = services.config.training.min_quality_score;
    const [overview, weeks, live, organizations] = await Promise.all([
      services.store.console.overview({
        organizationId,
        since,
        until,
        minQualityScore,
      }),
      services.store.console.flywheelWeekly({ organizationId, weeks: 12, until, minQualityScore }),
      services.live.read(),
      organizationIds(services, viewer),
    ]);
    return renderPage(
      context,
      OverviewPage({
        viewer,
        window,
        organizationId,
        organizations,
        overview,
        weeks,
        live,
        since: since?.toISOString() ?? null,
        until: until.toISOString(),
      }),
    );
  });
}
