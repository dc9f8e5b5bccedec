import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { contentSecurityPolicy } from '../../../src/console/http/security-headers.ts';
import type { RunningGateway } from '../../../src/main/index.ts';
import { createStore, type Store } from '../../../src/store/index.ts';
import type { SqlExecutor } from '../../../src/store/sql-executor.ts';
import { closeSharedPglite, sharedStore } from '../../helpers/pglite.ts';
import { type PostgresServer, startPostgresServer } from '../../helpers/postgres-server.ts';
import { describeWithServices, postgresService } from '../../helpers/services.ts';
import {
  type ConsolePage,
  chromiumService,
  expectAccessible,
  launchChromium,
  openConsolePage,
  screenshots,
  signIn,
} from './console-browser.ts';
import { ConsoleClient } from './console-client.ts';
import { adminToken, startConsoleGateway } from './console-gateway.ts';
import { seedConsoleData, xssBody, xssLead, xssPrompt } from './console-seed.ts';

// Each test drives Chromium through several pages (screenshots at two widths, axe): on two cores
// shared with the rest of the suite that can outlast the 30 s default.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

/**
 * Issue 14, Must show 3: an organization's key sees only its organization and cannot change the
 * registry (403); a form without the CSRF token is refused; markup stored in an outcome renders
 * as text. The HTTP checks run on PGlite and on PostgreSQL 15; the rendering check in Chromium.
 */
interface StoreCase {
  readonly name: 'pglite' | 'postgres';
  readonly services: ReturnType<typeof postgresService>[];
  open(): Promise<Store>;
}

let cluster: PostgresServer | null = null;
const dataDirs: string[] = [];

async function postgresStore(database: string): Promise<Store> {
  cluster ??= await startPostgresServer();
  const dataDir = mkdtempSync(join(tmpdir(), 'rekindle-console-'));
  dataDirs.push(dataDir);
  return createStore(
    { data_dir: dataDir, database_url: await cluster.database(database) },
    { autoMigrate: true },
  );
}

const cases: StoreCase[] = [
  { name: 'pglite', services: [], open: () => sharedStore() },
  { name: 'postgres', services: [postgresService()], open: () => postgresStore('console_tenancy') },
];

afterAll(async () => {
  await closeSharedPglite();
  await cluster?.stop();
  for (const dataDir of dataDirs) {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

for (const storeCase of cases) {
  describeWithServices(storeCase.services, `console tenancy and CSRF on ${storeCase.name}`, () => {
    let store: Store;
    let sql: SqlExecutor;
    let gateway: RunningGateway;
    let acmeKey: string;

    beforeAll(async () => {
      store = await storeCase.open();
      if (!store.executor) {
        throw new Error('the store has SQL');
      }
      sql = store.executor;
      await seedConsoleData(sql, { messages: { acme: 150, globex: 120 } });
      acmeKey = (await store.apiKeys.create({ organizationId: 'acme' })).key;
      await store.apiKeys.create({ organizationId: 'globex' });
      gateway = await startConsoleGateway({ store });
    });

    afterAll(async () => {
      await gateway?.shutdown();
      if (storeCase.name === 'postgres') {
        await store?.close();
      }
    });

    const registry = () =>
      sql.query<{ model_version: string; status: string; is_baseline: boolean; traffic: string }>(
        `select model_version, status, is_baseline, traffic_percentage::text as traffic
         from model_registry where route = 'outreach' order by model_version`,
      );

    it("an organization's key sees only its organization's outcomes, wherever it looks", async () => {
      const client = new ConsoleClient(gateway.url);
      expect((await client.signIn(acmeKey)).status).toBe(303);
      const [acme] = await sql.query<{ n: number }>(
        `select count(*)::int as n from outcome_labels where organization_id = 'acme'`,
      );
      for (const path of ['/console/outcomes', '/console/outcomes?org=globex']) {
        const page = await client.get(path);
        expect(page.status).toBe(200);
        const ids = [...page.body.matchAll(/data-outcome="([^"]+)"/g)].map((match) => match[1]);
        expect(ids.length).toBe(50);
        const owners = await sql.query<{ organization_id: string }>(
          'select distinct organization_id from outcome_labels where id = any($1::uuid[])',
          [ids],
        );
        expect(owners).toEqual([{ organization_id: 'acme' }]);
        expect(page.body).toContain(`data-matches="${acme?.n}"`);
        expect(page.body).not.toContain('lead-globex-');
      }
      const [globexOutcome] = await sql.query<{ id: string }>(
        `select id::text from outcome_labels where organization_id = 'globex' limit 1`,
      );
      expect((await client.get(`/console/outcomes/${globexOutcome?.id}`)).status).toBe(404);
      const byId = await client.get(`/console/outcomes?id=${globexOutcome?.id}`);
      expect(byId.body).toContain('data-matches="0"');

      const overview = await client.get('/console?window=all&org=globex');
      const stat = (name: string) =>
        Number(
          new RegExp(`data-stat="${name}">([\\d,]+)<`).exec(overview.body)?.[1]?.replace(/,/g, ''),
        );
      expect(stat('outcomes')).toBe(acme?.n);
      expect(overview.body).toContain('organization acme');

      // Keys: only its own, never a hash, and no form to make more.
      const keys = await client.get('/console/keys?org=globex');
      const [globexPrefix] = await sql.query<{ key_prefix: string }>(
        `select key_prefix from api_keys where organization_id = 'globex'`,
      );
      expect(keys.body).not.toContain(globexPrefix?.key_prefix);
      expect(keys.body).not.toContain('create-key');
      // Training: the runs trained on every organization's outcomes are not its to see.
      const training = await client.get('/console/training');
      expect(training.body).toContain('v-acme-failed');
      expect(training.body).not.toContain('ftjob-console-1');
    });

    it("an organization's key cannot submit a registry, training or key change: 403, nothing changes", async () => {
      const client = new ConsoleClient(gateway.url);
      await client.signIn(acmeKey);
      const page = await client.get('/console/experiments?route=outreach');
      expect(page.body).toContain('data-read-only="true"');
      expect(page.body).not.toContain('action="/console/actions/promote"');
      const before = await registry();
      const attempts: Array<[string, Record<string, string>]> = [
        ['promote', { route: 'outreach', model_version: 'v1' }],
        ['rollback', { route: 'outreach', model_version: '' }],
        ['share', { route: 'outreach', model_version: 'v1', traffic_percentage: '90' }],
        ['deploy', { route: 'outreach', model_version: 'v1', traffic_percentage: '90' }],
        ['deprecate', { route: 'outreach', model_version: 'v1' }],
        ['register', { route: 'outreach', model_id: 'sandbox/x', model_version: 'vx' }],
        ['train', { provider: 'openai' }],
        ['create-key', { organization_id: 'acme' }],
      ];
      for (const [action, fields] of attempts) {
        for (const confirm of [{}, { confirm: 'yes' }]) {
          const answer = await client.post(`/console/actions/${action}`, {
            _csrf: client.csrfToken,
            ...fields,
            ...confirm,
          });
          expect(answer.status, action).toBe(403);
          expect(answer.body).toContain('Not allowed');
        }
      }
      expect(await registry()).toEqual(before);
      const [keys] = await sql.query<{ n: number }>('select count(*)::int as n from api_keys');
      expect(keys?.n).toBe(2);
    });

    it('a form posted without the session’s CSRF token is refused, whoever is signed in', async () => {
      const admin = new ConsoleClient(gateway.url);
      expect((await admin.signIn(adminToken)).status).toBe(303);
      await admin.get('/console/experiments?route=outreach');
      const before = await registry();
      const promote = { route: 'outreach', model_version: 'v1', confirm: 'yes' };
      expect((await admin.post('/console/actions/promote', promote)).status).toBe(403);
      expect(
        (await admin.post('/console/actions/promote', { ...promote, _csrf: 'x'.repeat(43) }))
          .status,
      ).toBe(403);
      // Another session's token is no good either.
      const other = new ConsoleClient(gateway.url);
      await other.signIn(adminToken);
      await other.get('/console');
      expect(
        (await admin.post('/console/actions/promote', { ...promote, _csrf: other.csrfToken }))
          .status,
      ).toBe(403);
      // A browser marking the post cross-site is refused even with the token.
      const crossSite = await admin.post(
        '/console/actions/promote',
        { ...promote, _csrf: admin.csrfToken },
        { 'sec-fetch-site': 'cross-site' },
      );
      expect(crossSite.status).toBe(403);
      // Sign-out is a state change too.
      expect((await admin.post('/console/sign-out', {})).status).toBe(403);
      // A JSON body is not a form.
      const json = await fetch(`${gateway.url}/console/actions/promote`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          cookie: `rekindle_console=${admin.cookie('rekindle_console')}`,
        },
        body: JSON.stringify({ ...promote, _csrf: admin.csrfToken }),
      });
      expect(json.status).toBe(415);
      expect(await registry()).toEqual(before);
      // Sign-in without its double-submit token.
      const signIn = await new ConsoleClient(gateway.url).post('/console/sign-in', {
        credential: adminToken,
      });
      expect(signIn.status).toBe(403);
      // With the token: the confirmation page, and nothing changed yet.
      const confirm = await admin.post('/console/actions/promote', {
        route: 'outreach',
        model_version: 'v1',
        _csrf: admin.csrfToken,
      });
      expect(confirm.status).toBe(200);
      expect(confirm.body).toContain('data-confirm="promote"');
      expect(await registry()).toEqual(before);
    });

    it('the session cookie is HttpOnly and SameSite=Strict (Secure behind https), holds nothing stored, and every page carries the CSP', async () => {
      const client = new ConsoleClient(gateway.url);
      const signedIn = await client.signIn(adminToken);
      const cookie = signedIn.headers
        .getSetCookie()
        .find((line) => line.startsWith('rekindle_console='));
      expect(cookie).toMatch(/; Path=\/console(;|$)/);
      expect(cookie).toMatch(/; HttpOnly(;|$)/);
      expect(cookie).toMatch(/; SameSite=Strict(;|$)/);
      expect(cookie).not.toMatch(/Secure/);
      const sessionId = client.cookie('rekindle_console') ?? '';
      expect(sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const stored = await sql.query<{ row: string }>(
        'select to_jsonb(s)::text as row from console_sessions s',
      );
      expect(stored.length).toBeGreaterThan(0);
      expect(stored.some((row) => row.row.includes(sessionId))).toBe(false);
      expect(stored.some((row) => row.row.includes(adminToken))).toBe(false);

      const page = await client.get('/console');
      expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
      expect(contentSecurityPolicy).toContain("script-src 'self'");
      expect(contentSecurityPolicy).toContain("frame-ancestors 'none'");
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.body).not.toMatch(/<script>|<script [^>]*>[^<]|\sstyle=|\son[a-z]+=/i);

      const https = new ConsoleClient(gateway.url);
      const form = await https.get('/console/sign-in', { 'x-forwarded-proto': 'https' });
      const token = /name="_sign_in" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
      const secure = await https.post(
        '/console/sign-in',
        { _sign_in: token, credential: adminToken },
        { 'x-forwarded-proto': 'https' },
      );
      expect(secure.status).toBe(303);
      const secureCookie = secure.headers
        .getSetCookie()
        .find((line) => line.startsWith('__Secure-rekindle_console='));
      expect(secureCookie).toMatch(/; Secure(;|$)/);
      expect(secureCookie).toMatch(/; HttpOnly(;|$)/);
    });

    it('revoking a key ends the console sessions signed in with it; signing out deletes the session', async () => {
      const created = await store.apiKeys.create({ organizationId: 'acme', name: 'short-lived' });
      const client = new ConsoleClient(gateway.url);
      expect((await client.signIn(created.key)).status).toBe(303);
      expect((await client.get('/console')).status).toBe(200);
      await store.apiKeys.revoke(created.record.id);
      const after = await client.get('/console');
      expect(after.status).toBe(303);
      expect(after.headers.get('location')).toMatch(/^\/console\/sign-in/);

      const admin = new ConsoleClient(gateway.url);
      await admin.signIn(adminToken);
      await admin.get('/console');
      const [{ n: before } = { n: 0 }] = await sql.query<{ n: number }>(
        'select count(*)::int as n from console_sessions',
      );
      expect((await admin.post('/console/sign-out', { _csrf: admin.csrfToken })).status).toBe(303);
      const [{ n: afterSignOut } = { n: 0 }] = await sql.query<{ n: number }>(
        'select count(*)::int as n from console_sessions',
      );
      expect(afterSignOut).toBe(before - 1);
      expect((await admin.get('/console')).status).toBe(303);
    });
  });
}

describeWithServices(
  [postgresService()],
  'the console of an open loopback gateway (no keys) on postgres',
  () => {
    let store: Store;
    let gateway: RunningGateway;

    beforeAll(async () => {
      store = await postgresStore('console_open');
      await store.executor?.exec(`
      insert into outcome_labels (organization_id, lead_id, message_body, created_at)
      select case when i % 2 = 0 then 'default' else 'someone-else' end, 'lead-open-' || i, 'hi', now() - make_interval(hours => i)
      from generate_series(1, 40) i;
      select public.register_model(p_route => 'outreach', p_model_id => 'outreach-v1', p_provider => 'sandbox', p_model_version => 'v0');
    `);
      gateway = await startConsoleGateway({ store });
    });

    afterAll(async () => {
      await gateway?.shutdown();
      await store?.close();
    });

    it('opens as organization default without signing in, read-only like the API; the admin token still signs in', async () => {
      const client = new ConsoleClient(gateway.url);
      const page = await client.get('/console/outcomes');
      expect(page.status).toBe(200);
      expect(page.body).toContain('data-viewer="open"');
      expect(page.body).toContain('data-matches="20"');
      expect(page.body).not.toContain('someone-else');
      const refused = await client.post('/console/actions/promote', {
        _csrf: client.csrfToken,
        route: 'outreach',
        model_version: 'v0',
        confirm: 'yes',
      });
      expect(refused.status).toBe(403);
      expect((await client.signIn(adminToken)).status).toBe(303);
      expect((await client.get('/console')).body).toContain('data-viewer="admin"');
    });
  },
);

describeWithServices([chromiumService], 'stored markup renders as text (Chromium)', () => {
  let gateway: RunningGateway;
  let browser: Browser;
  let tab: ConsolePage;

  beforeAll(async () => {
    const store = await sharedStore();
    const [seeded] = (await store.executor?.query<{ n: number }>(
      'select count(*)::int as n from outcome_labels where lead_id = $1',
      [xssLead],
    )) ?? [{ n: 0 }];
    if (seeded?.n === 0 && store.executor) {
      await seedConsoleData(store.executor, { messages: { acme: 20, globex: 20 } });
    }
    gateway = await startConsoleGateway({ store });
    browser = await launchChromium();
    tab = await openConsolePage(browser);
    await signIn(tab.page, gateway.url, adminToken);
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.shutdown();
  });

  it('an outcome whose prompt holds <script> shows it as text, in the list and in the message; nothing runs', async () => {
    const { page } = tab;
    await page.goto(`${gateway.url}/console/outcomes?lead=${xssLead}`);
    const row = page.locator('table[data-table="outcomes"] tbody tr');
    await expect(row.count()).resolves.toBe(1);
    await expect(row.locator('td').nth(5).textContent()).resolves.toBe('<i>subject</i>');
    await row.locator('a').click();
    await page.waitForURL(/\/console\/outcomes\/[0-9a-f-]{36}$/);
    await expect(page.locator('[data-fact="prompt"] pre').textContent()).resolves.toBe(xssPrompt);
    await expect(page.locator('[data-fact="message"]').textContent()).resolves.toBe(xssBody);
    await expect(page.locator('[data-fact="subject"]').textContent()).resolves.toBe(
      '<i>subject</i>',
    );
    // No element came out of the stored markup, and none of its code ran.
    expect(await page.locator('main script, main img, main b, main i').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(tab.problems).toEqual([]);
    await screenshots(page, 'outcome-markup');
    await expectAccessible(tab.context, page.url());
  });
});
