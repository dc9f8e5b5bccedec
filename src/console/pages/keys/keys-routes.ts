import type { Hono } from 'hono';
import { noticeText } from '../../actions/notices.ts';
import type { ConsoleEnv } from '../../console-env.ts';
import type { ConsoleServices } from '../../console-services.ts';
import { renderPage } from '../../http/render-page.ts';
import { organizationScope } from '../../session/console-viewer.ts';
import { organizationIds } from '../organization-ids.ts';
import { KeysPage } from './keys-page.tsx';

/** GET /console/keys[?org=] — the keys (never their hashes), revoked ones included. */
export function registerKeys(app: Hono<ConsoleEnv>, services: ConsoleServices): void {
  app.get('/keys', async (context) => {
    const viewer = context.get('viewer');
    const organizationId = organizationScope(viewer, context.req.query('org'));
    const [keys, organizations] = await Promise.all([
      services.store.apiKeys.list({
        ...(organizationId === null ? {} : { organizationId }),
        includeRevoked: true,
      }),
      organizationIds(services, viewer),
    ]);
    return renderPage(
      context,
      KeysPage({
        viewer,
        keys,
        organizationId,
        organizations,
        notice: noticeText(context.req.query('done'), context.req.query('subject')),
        defaultRpm: services.config.rate_limit.default_rpm,
      }),
    );
  });
}
