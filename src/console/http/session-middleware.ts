import { createMiddleware } from 'hono/factory';
import type { ConsoleEnv } from '../console-env.ts';
import type { ConsoleSessions } from '../session/console-sessions.ts';
import { readSessionCookie, writeSessionCookie } from '../session/session-cookie.ts';
import { ConsoleError } from './console-error.ts';

/**
 * Every console page but sign-in and the static files needs a session. Without one, an open
 * gateway (no keys, loopback) starts one as organization `default`, like the API; otherwise a GET
 * goes to the sign-in page (coming back afterwards) and anything else is refused.
 */
export function requireSession(sessions: ConsoleSessions) {
  return createMiddleware<ConsoleEnv>(async function resolveSession(context, next) {
    let viewer = await sessions.resolve(readSessionCookie(context));
    if (viewer === null) {
      const opened = await sessions.openSession();
      if (opened) {
        writeSessionCookie(context, opened.sessionId, sessions.settings.ttlSeconds);
        viewer = opened.viewer;
      }
    }
    if (viewer === null) {
      if (context.req.method === 'GET' || context.req.method === 'HEAD') {
        const url = new URL(context.req.url);
        const next = `${url.pathname}${url.search}`;
        return context.redirect(`/console/sign-in?next=${encodeURIComponent(next)}`, 303);
      }
      throw new ConsoleError(403, 'Sign in first: the session is missing or has ended.');
    }
    context.set('viewer', viewer);
    return next();
  });
}
