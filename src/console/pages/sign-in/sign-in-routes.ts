import { randomBytes } from 'node:crypto';
import type { Context, Hono } from 'hono';
import type { ConsoleEnv } from '../../console-env.ts';
import type { ConsoleServices } from '../../console-services.ts';
import { ConsoleError } from '../../http/console-error.ts';
import { readForm } from '../../http/read-form.ts';
import { renderPage } from '../../http/render-page.ts';
import { type ConsoleSessions, constantTimeEqual } from '../../session/console-sessions.ts';
import {
  clearSessionCookie,
  readSessionCookie,
  readSignInCookie,
  writeSessionCookie,
  writeSignInCookie,
} from '../../session/session-cookie.ts';
import { SignInPage } from './sign-in-page.tsx';

/** Only a path inside the console, so a crafted link cannot send a fresh session elsewhere. */
function safeNext(next: string | undefined): string {
  return next && /^\/console(?:[/?#]|$)/.test(next) && !next.startsWith('//') ? next : '/console';
}

/**
 * GET/POST /console/sign-in and POST /console/sign-out. Sign-in has no session yet, so its form
 * is guarded by a double-submit token (a cookie and a hidden field that must match).
 */
export function registerSignIn(
  app: Hono<ConsoleEnv>,
  services: ConsoleServices,
  sessions: ConsoleSessions,
): void {
  const showForm = (context: Context, next: string, error: string | null, status: 200 | 401) => {
    const token = randomBytes(24).toString('base64url');
    writeSignInCookie(context, token);
    return renderPage(
      context,
      SignInPage({ token, next, error, open: services.tenants.isOpen() }),
      status,
    );
  };

  app.get('/sign-in', (context) =>
    showForm(context, safeNext(context.req.query('next')), null, 200),
  );

  app.post('/sign-in', async (context) => {
    if (context.req.header('sec-fetch-site') === 'cross-site') {
      throw new ConsoleError(403, 'Cross-site sign-in is refused.');
    }
    const form = await readForm(context);
    const expected = readSignInCookie(context);
    const given = form._sign_in;
    if (!expected || !given || !constantTimeEqual(given, expected)) {
      throw new ConsoleError(403, 'The sign-in form has expired: load it again.');
    }
    const next = safeNext(form.next);
    const started = await sessions.signIn(form.credential ?? '');
    if (!started) {
      services.metrics.authFailuresTotal.inc({ scope: 'console' });
      return showForm(context, next, 'That is neither the admin token nor a live API key.', 401);
    }
    await sessions.signOut(readSessionCookie(context));
    writeSessionCookie(context, started.sessionId, sessions.settings.ttlSeconds);
    return context.redirect(next, 303);
  });
}

/** POST /console/sign-out (behind the session and CSRF checks): the session row is deleted. */
export function registerSignOut(app: Hono<ConsoleEnv>, sessions: ConsoleSessions): void {
  app.post('/sign-out', async (context) => {
    await sessions.signOut(readSessionCookie(context));
    clearSessionCookie(context);
    return context.redirect('/console/sign-in', 303);
  });
}
