import { createHash } from 'node:crypto';
import type { Hono } from 'hono';
import type { ConsoleEnv } from '../console-env.ts';
import { consoleCss } from './console-css.ts';
import { consoleScript } from './console-script.ts';

const assets = {
  css: { body: consoleCss, type: 'text/css; charset=utf-8' },
  js: { body: consoleScript, type: 'text/javascript; charset=utf-8' },
} as const;

const versions = {
  css: createHash('sha256').update(consoleCss).digest('hex').slice(0, 12),
  js: createHash('sha256').update(consoleScript).digest('hex').slice(0, 12),
};

/** The URL pages link to: the content's hash in the query, so a new build is fetched at once. */
export function assetPath(kind: keyof typeof assets): string {
  return `/console/assets/console.${kind}?v=${versions[kind]}`;
}

/** The static files, open to anyone (they hold no data) and cached for a day. */
export function registerAssets(app: Hono<ConsoleEnv>): void {
  for (const kind of ['css', 'js'] as const) {
    app.get(`/assets/console.${kind}`, (context) =>
      context.body(assets[kind].body, 200, {
        'content-type': assets[kind].type,
        'cache-control': 'public, max-age=86400',
        etag: `"${versions[kind]}"`,
      }),
    );
  }
}
