import type { Hono } from 'hono';
import type { ConsoleEnv } from '../../console-env.ts';
import type { ConsoleServices } from '../../console-services.ts';
import { ConsoleError } from '../../http/console-error.ts';
import { renderPage } from '../../http/render-page.ts';
import { organizationScope } from '../../session/console-viewer.ts';
import { OutcomePage } from './outcome-page.tsx';
import { readFilters, toSearch } from './outcome-query.ts';
import { OutcomesPage } from './outcomes-page.tsx';

/**
 * GET /console/outcomes (search by lead, campaign, outcome id, model version, dates; keyset pages
 * of 50, newest first) and /console/outcomes/{id} (the message and its timeline). An
 * organization's session searches its own outcomes only; another organization's id is "not found".
 */
export function registerOutcomes(app: Hono<ConsoleEnv>, services: ConsoleServices): void {
  app.get('/outcomes', async (context) => {
    const viewer = context.get('viewer');
    const filters = readFilters((name) => context.req.query(name));
    const organizationId = organizationScope(viewer, filters.org);
    const before = context.req.query('before');
    const page = await services.store.console.searchOutcomes(
      toSearch(filters, organizationId, before),
    );
    return renderPage(context, OutcomesPage({ viewer, filters, page, paged: Boolean(before) }));
  });

  app.get('/outcomes/:id', async (context) => {
    const viewer = context.get('viewer');
    const detail = await services.store.console.outcomeDetail(
      viewer.organizationId,
      context.req.param('id'),
    );
    if (!detail) {
      throw new ConsoleError(404, 'No such message in this organization.');
    }
    return renderPage(context, OutcomePage({ viewer, detail }));
  });
}
