import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayRoutes } from '../../../src/gateway/register-routes.ts';
import type { RunningGateway } from '../../../src/main/index.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';

const routesDirectory = fileURLToPath(new URL('../../../src/gateway/routes', import.meta.url));
const adminToken = 'register-routes-admin-token';

/** `app.get('/path', …)` and the like in the route files; a `${…}` in a template is any segment. */
function registeredInSources(): { method: string; pattern: RegExp; source: string }[] {
  const found: { method: string; pattern: RegExp; source: string }[] = [];
  const call =
    /app\.(get|post|put|patch|delete)\(\s*(?:'([^']+)'|`([^`]+)`|(chatCompletionsPath))/g;
  for (const file of readdirSync(routesDirectory)) {
    const text = readFileSync(join(routesDirectory, file), 'utf8');
    for (const match of text.matchAll(call)) {
      const [, method = '', quoted, template, constant] = match;
      const path = quoted ?? template ?? (constant ? '/v1/chat/completions' : '');
      const escaped = path
        .split(/\$\{[^}]+\}/)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]+');
      found.push({
        method: method.toUpperCase(),
        pattern: new RegExp(`^${escaped}$`),
        source: path,
      });
    }
  }
  return found;
}

function concrete(path: string): string {
  return path.replace(/:[a-z]+(\{[^}]+\})?/gi, 'x');
}

describe('the route table in src/gateway/register-routes.ts', () => {
  it('lists each route a route file registers, and nothing they do not', () => {
    const sources = registeredInSources();
    expect(sources.length).toBeGreaterThan(30);
    for (const source of sources) {
      const listed = gatewayRoutes.filter(
        ([method, path]) => method === source.method && source.pattern.test(path),
      );
      expect(listed.length, `${source.method} ${source.source}`).toBeGreaterThan(0);
    }
    for (const [method, path] of gatewayRoutes) {
      const registered = sources.some(
        (source) => source.method === method && source.pattern.test(path),
      );
      expect(registered, `${method} ${path}`).toBe(true);
    }
  });

  it('lists the CRM webhook paths', () => {
    const paths = gatewayRoutes.map(([, path]) => path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/webhooks/crm',
        '/webhooks/crm/pipedrive',
        '/webhooks/crm/salesforce',
        '/webhooks/crm/salesforce/flow',
      ]),
    );
  });

  describe('against the running gateway', () => {
    let gateway: RunningGateway;
    beforeAll(async () => {
      gateway = await startTestGateway({ env: { REKINDLE_ADMIN_TOKEN: adminToken } });
      // The whole gateway on a migrated PGlite: slow to start on a loaded two-core machine.
    }, 180_000);
    afterAll(async () => {
      await gateway?.shutdown();
    });

    it('answers every listed route with something other than unknown_endpoint', async () => {
      for (const [method, path] of gatewayRoutes) {
        const hasBody = method !== 'GET';
        const response = await fetch(`${gateway.url}${concrete(path)}`, {
          method,
          headers: {
            authorization: `Bearer ${adminToken}`,
            ...(hasBody ? { 'content-type': 'application/json' } : {}),
          },
          // Not JSON: every write is refused before it could change anything.
          ...(hasBody ? { body: '{not json' } : {}),
        });
        const text = await response.text();
        expect(text, `${method} ${path}`).not.toContain('unknown_endpoint');
      }
    });

    it('answers a path outside the table with 404 unknown_endpoint', async () => {
      const response = await fetch(`${gateway.url}/admin/not-a-route`, {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'unknown_endpoint' } });
    });
  });
});
