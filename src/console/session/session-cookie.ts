import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

/**
 * The session cookie: HttpOnly, SameSite=Strict, scoped to /console, and Secure with the
 * `__Secure-` prefix when the request came over https — the URL's own scheme, or
 * `X-Forwarded-Proto: https` from a TLS-terminating proxy. Trusting that header can only add
 * Secure: a client that forges it gets a cookie its browser will not send over plain http.
 */
function isSecureRequest(context: Context): boolean {
  if (new URL(context.req.url).protocol === 'https:') {
    return true;
  }
  const forwarded = context.req.header('x-forwarded-proto');
  return forwarded?.split(',')[0]?.trim().toLowerCase() === 'https';
}

const sessionName = 'rekindle_console';
const signInName = 'rekindle_console_sign_in';

function cookieName(context: Context, name: string): string {
  return isSecureRequest(context) ? `__Secure-${name}` : name;
}

function options(context: Context, path: string, maxAgeSeconds: number) {
  return {
    path,
    httpOnly: true,
    sameSite: 'Strict' as const,
    secure: isSecureRequest(context),
    maxAge: maxAgeSeconds,
  };
}

export function readSessionCookie(context: Context): string | undefined {
  return getCookie(context, cookieName(context, sessionName));
}

export function writeSessionCookie(context: Context, sessionId: string, maxAgeSeconds: number) {
  setCookie(
    context,
    cookieName(context, sessionName),
    sessionId,
    options(context, '/console', maxAgeSeconds),
  );
}

export function clearSessionCookie(context: Context): void {
  deleteCookie(context, cookieName(context, sessionName), options(context, '/console', 0));
}

/**
 * Sign-in happens before there is a session: its form carries a random token that must match this
 * cookie (double submit), so no other site can sign a browser into a session of its choosing.
 */
export function readSignInCookie(context: Context): string | undefined {
  return getCookie(context, cookieName(context, signInName));
}

export function writeSignInCookie(context: Context, token: string): void {
  setCookie(context, cookieName(context, signInName), token, options(context, '/console', 3600));
}
