import { createMiddleware } from 'hono/factory';
import type { ConsoleEnv } from '../console-env.ts';
import { constantTimeEqual } from '../session/console-sessions.ts';
import { ConsoleError } from './console-error.ts';
import { readForm } from './read-form.ts';

export const csrfField = '_csrf';

/**
 * Every state-changing request of a session carries the session's CSRF token in the form field
 * `_csrf`; without it, or with another, it is refused (403) before any route runs. A request the
 * browser marks as cross-site (Sec-Fetch-Site) is refused too. SameSite=Strict on the cookie is
 * the first wall; this is the second.
 */
export function checkCsrf() {
  return createMiddleware<ConsoleEnv>(async function verifyCsrfToken(context, next) {
    const method = context.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') {
      await next();
      return;
    }
    if (context.req.header('sec-fetch-site') === 'cross-site') {
      throw new ConsoleError(403, 'Cross-site form posts are refused.');
    }
    const form = await readForm(context);
    const token = form[csrfField];
    if (token === undefined || !constantTimeEqual(token, context.get('viewer').csrfToken)) {
      throw new ConsoleError(
        403,
        'The form has no valid CSRF token: reload the page and try again.',
      );
    }
    context.set('form', form);
    await next();
  });
}
