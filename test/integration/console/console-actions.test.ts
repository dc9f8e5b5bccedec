import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { RunningGateway } from '../../../src/main/index.ts';
import type { SqlExecutor } from '../../../src/store/sql-executor.ts';
import { closeSharedPglite, sharedStore } from '../../helpers/pglite.ts';
import { describeWithServices } from '../../helpers/services.ts';
import { startVendorFakes, type VendorFakes } from '../training/training-fixtures.ts';
import {
  type ConsolePage,
  chromiumService,
  expectAccessible,
  launchChromium,
  openConsolePage,
  screenshots,
  signIn,
} from './console-browser.ts';
import { adminToken, chatVersion, startConsoleGateway } from './console-gateway.ts';
import { seedConsoleData } from './console-seed.ts';

// Each test drives Chromium through several pages (screenshots at two widths, axe): on two cores
// shared with the rest of the suite that can outlast the 30 s default.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

/**
 * Issue 14, Must show 2 (and the other actions): promote and roll back from the Experiments page,
 * each confirmed first, written to the audit trail as the console and in force for the very next
 * API request; register, deploy, change a share and deprecate; start a training run and watch it
 * finish without reloading; download the scrubbed export; create a key (shown once) and revoke it.
 */
let gateway: RunningGateway;
let sql: SqlExecutor;
let browser: Browser;
let tab: ConsolePage;
let fakes: VendorFakes;
let acmeKey: string;
const page = () => tab.page;
const url = (path: string) => `${gateway.url}${path}`;
const leads = Array.from({ length: 8 }, (_, index) => `routing-lead-${index}`);

async function versionsServed(apiKey = acmeKey): Promise<string[]> {
  const versions: string[] = [];
  for (const lead of leads) {
    versions.push(await chatVersion(gateway.url, apiKey, lead));
  }
  return versions;
}

async function lastEvent() {
  const [event] = await sql.query<{ action: string; model_version: string; actor: string }>(
    `select action, model_version, actor from rollout_events where route = 'outreach' order by id desc limit 1`,
  );
  return event;
}

/** Clicks a button, checks the confirmation step changed nothing yet, confirms, lands back. */
async function confirmAction(
  button: string,
  action: string,
  unchanged: () => Promise<unknown>,
  options: { axe?: boolean } = {},
) {
  const before = await unchanged();
  const from = page().url();
  const click = (target: Page) =>
    target.getByRole('button', { name: button, exact: true }).first().click();
  await click(page());
  await page().waitForSelector(`[data-confirm="${action}"]`);
  expect(await unchanged()).toEqual(before);
  if (options.axe) {
    // The confirmation page is a POST's answer: axe reaches it the same way, from the same page.
    await expectAccessible(tab.context, from, async (target) => {
      await click(target);
      await target.waitForSelector(`[data-confirm="${action}"]`);
    });
    expect(await unchanged()).toEqual(before);
  }
  await page().getByRole('button', { name: 'Confirm' }).click();
  await page().waitForLoadState('load');
}

const registry = () =>
  sql.query(
    `select model_version, status, is_baseline, traffic_percentage::text as traffic
     from model_registry where route = 'outreach' order by model_version`,
  );

describeWithServices([chromiumService], 'console actions (PGlite, Chromium)', () => {
  beforeAll(async () => {
    fakes = await startVendorFakes();
    const store = await sharedStore();
    if (!store.executor) {
      throw new Error('PGlite has SQL');
    }
    sql = store.executor;
    await seedConsoleData(sql, { messages: { acme: 200, globex: 100 } });
    await sql.exec(`
      insert into outcome_labels (organization_id, lead_id, route, message_body, meeting_booked, created_at)
      values ('acme', 'lead-pii', 'outreach',
        'Jane, I will call you at +1 (415) 555-0100 or write to jane.doe@example.com.', true, now());
    `);
    acmeKey = (await store.apiKeys.create({ organizationId: 'acme' })).key;
    gateway = await startConsoleGateway({
      env: { OPENAI_API_KEY: 'sk-console-test', OPENAI_BASE_URL: fakes.openai.url },
      file: { training: { poll_interval_ms: 150, min_examples: 10 } },
    });
    browser = await launchChromium();
    tab = await openConsolePage(browser);
    await signIn(page(), gateway.url, adminToken);
  });

  afterAll(async () => {
    expect(tab?.problems ?? []).toEqual([]);
    await browser?.close();
    await gateway?.shutdown();
    await fakes?.close();
    await closeSharedPglite();
  }, 90_000);

  it('promotes v1 from the Experiments page: confirmed, audited as the console, routing the next request', async () => {
    expect(new Set(await versionsServed())).toEqual(new Set(['v0', 'v1']));
    await page().goto(url('/console/experiments?route=outreach'));
    await confirmAction('Promote v1', 'promote', registry, { axe: true });
    expect(page().url()).toContain('done=promoted');
    await expect(page().locator('.notice-done').textContent()).resolves.toContain('Promoted v1');
    expect(await lastEvent()).toEqual({
      action: 'promote',
      model_version: 'v1',
      actor: 'console:admin',
    });
    await expect(
      page()
        .locator('table[data-table="audit-trail"] tbody tr')
        .first()
        .locator('[data-cell="actor"]')
        .textContent(),
    ).resolves.toBe('console:admin');
    // v1 is the baseline with every share: the next requests, whatever the lead, get v1.
    expect(new Set(await versionsServed())).toEqual(new Set(['v1']));
    await screenshots(page(), 'experiments-promoted');
  }, 90_000);

  it('rolls the promotion back from the Experiments page: v0 serves the very next request', async () => {
    await page().goto(url('/console/experiments?route=outreach'));
    await confirmAction('Roll back the last promotion', 'rollback', registry);
    expect(page().url()).toContain('done=rolled_back');
    expect(await lastEvent()).toEqual({
      action: 'rollback',
      model_version: 'v0',
      actor: 'console:admin',
    });
    expect(new Set(await versionsServed())).toEqual(new Set(['v0']));
    const [v1] = await sql.query<{ status: string }>(
      `select status from model_registry where route = 'outreach' and model_version = 'v1'`,
    );
    expect(v1?.status).toBe('rolled_back');
  }, 90_000);

  it('registers, deploys, changes the share of and deprecates a model, each in force at once', async () => {
    await page().goto(url('/console/models?route=outreach'));
    await page().getByLabel('Model id').fill('sandbox/outreach-v3');
    await page().getByLabel('Model version').fill('v3');
    await confirmAction('Register…', 'register', registry);
    await expect(
      page().locator('tr[data-version="v3"] [data-cell="status"]').textContent(),
    ).resolves.toBe('registered');

    await page().locator('tr[data-version="v3"]').getByLabel('Share %').fill('50');
    await page().locator('tr[data-version="v3"]').getByRole('button', { name: 'Deploy' }).click();
    await page().waitForSelector('[data-confirm="deploy"]');
    await page().getByRole('button', { name: 'Confirm' }).click();
    await page().waitForURL(/done=deployed/);
    expect(await lastEvent()).toEqual({
      action: 'deploy',
      model_version: 'v3',
      actor: 'console:admin',
    });
    expect(new Set(await versionsServed())).toEqual(new Set(['v0', 'v3']));

    await page().goto(url('/console/experiments?route=outreach'));
    await page().locator('[data-actions="v3"]').getByLabel('Share %').fill('100');
    await page()
      .locator('[data-actions="v3"]')
      .getByRole('button', { name: 'Change share' })
      .click();
    await page().waitForSelector('[data-confirm="share"]');
    await page().getByRole('button', { name: 'Confirm' }).click();
    await page().waitForURL(/done=share_changed/);
    expect(new Set(await versionsServed())).toEqual(new Set(['v3']));

    await page().goto(url('/console/models?route=outreach'));
    await page()
      .locator('tr[data-version="v3"]')
      .getByRole('button', { name: 'Deprecate' })
      .click();
    await page().waitForSelector('[data-confirm="deprecate"]');
    await page().getByRole('button', { name: 'Confirm' }).click();
    await page().waitForURL(/done=deprecated/);
    await expect(
      page().locator('tr[data-version="v3"] [data-cell="status"]').textContent(),
    ).resolves.toBe('deprecated');
    expect(await lastEvent()).toEqual({
      action: 'deprecate',
      model_version: 'v3',
      actor: 'console:admin',
    });
    expect(new Set(await versionsServed())).toEqual(new Set(['v0']));
    await screenshots(page(), 'models-changed');
  }, 90_000);

  it('starts a training run and follows it to deployed without reloading the page', async () => {
    fakes.openaiTuning.holdNextJob();
    await page().goto(url('/console/training'));
    await page().getByLabel('Provider').selectOption('openai');
    await page().getByLabel('Model version').fill('v9.0.0');
    await page().getByLabel('Deploy share %').fill('10');
    await page().getByRole('button', { name: 'Start run…' }).click();
    await page().waitForSelector('[data-confirm="train"]');
    await page().getByRole('button', { name: 'Confirm' }).click();
    await page().waitForURL(/\/console\/training\/runs\/[0-9a-f-]{36}$/);
    const runUrl = page().url();
    let navigations = 0;
    page().on('framenavigated', (frame) => {
      navigations += frame === page().mainFrame() ? 1 : 0;
    });
    const status = page().locator('[data-field="status"]');
    // The vendor job is held: the run waits at the vendor, and the page shows where it is.
    await page().waitForFunction(
      () => {
        const text = (
          globalThis as unknown as {
            document: { querySelector(s: string): { textContent: string } | null };
          }
        ).document.querySelector('[data-field="status"]')?.textContent;
        return text === 'queued' || text === 'running';
      },
      undefined,
      { timeout: 20_000 },
    );
    const [job] = [...fakes.openaiTuning.jobs.keys()];
    expect(job).toBeTruthy();
    await expect(page().locator('[data-field="provider_job_id"]').textContent()).resolves.toBe(job);
    fakes.openaiTuning.hold(job ?? '', false);
    await page().waitForFunction(
      () =>
        (
          globalThis as unknown as {
            document: { querySelector(s: string): { textContent: string } | null };
          }
        ).document.querySelector('[data-field="status"]')?.textContent === 'deployed',
      undefined,
      { timeout: 30_000 },
    );
    expect(navigations).toBe(0);
    expect(page().url()).toBe(runUrl);
    await expect(status.textContent()).resolves.toBe('deployed');
    const [run] = await sql.query<{
      id: string;
      status: string;
      triggered_by: string;
      fine_tuned_model: string;
    }>(
      `select id::text, status, triggered_by, fine_tuned_model from training_runs where model_version = 'v9.0.0'`,
    );
    expect(run).toMatchObject({ status: 'deployed', triggered_by: 'console:admin' });
    await expect(page().locator('[data-field="fine_tuned_model"]').textContent()).resolves.toBe(
      run?.fine_tuned_model,
    );
    const [events] = await sql.query<{ n: number }>(
      'select count(*)::int as n from training_run_events where run_id = $1',
      [run?.id],
    );
    expect(await page().locator('ol[data-timeline] li').count()).toBe(events?.n);
    const [deployed] = await sql.query<{ status: string; traffic: string }>(
      `select status, traffic_percentage::text as traffic from model_registry where model_version = 'v9.0.0'`,
    );
    expect(deployed).toEqual({ status: 'testing', traffic: '10.00' });
    await screenshots(page(), 'training-run-live');
    await expectAccessible(tab.context, runUrl);
  }, 90_000);

  it('downloads the training export as JSONL with the PII scrubbed, for one organization', async () => {
    await page().goto(url('/console/training'));
    await page().getByLabel('Organization', { exact: true }).fill('acme');
    const download = page().waitForEvent('download');
    await page().getByRole('button', { name: 'Download JSONL' }).click();
    const text = await readFile(await (await download).path(), 'utf8');
    const lines = text.split('\n').filter((line) => line !== '');
    const [ready] = await sql.query<{ n: number }>(
      `select count(*)::int as n from outcome_labels where organization_id = 'acme' and quality_score >= 0.6
         and message_body is not null and btrim(message_body) <> ''`,
    );
    expect(lines.length).toBe(ready?.n);
    expect(text).not.toContain('jane.doe@example.com');
    expect(text).not.toContain('555-0100');
    expect(text).toContain('{{email}}');
    expect(text).toContain('{{phone}}');
    expect(text).not.toContain('Hello from globex');
  }, 90_000);

  it('creates a key, shown once, that works at once; revoking it refuses its requests and ends its sessions', async () => {
    await page().goto(url('/console/keys'));
    await page().getByLabel('Organization', { exact: true }).last().fill('initech');
    await page().getByLabel('Name').fill('console test');
    await page().getByRole('button', { name: 'Create key…' }).click();
    await page().waitForSelector('[data-confirm="create-key"]');
    await page().getByRole('button', { name: 'Confirm' }).click();
    const shown = page().locator('[data-new-key]');
    const key = (await shown.textContent())?.trim() ?? '';
    expect(key.length).toBeGreaterThan(20);
    const keyId = await shown.getAttribute('data-new-key');
    const [stored] = await sql.query<{ organization_id: string; key_hash: string }>(
      'select organization_id, key_hash from api_keys where id = $1',
      [keyId],
    );
    expect(stored?.organization_id).toBe('initech');
    expect(stored?.key_hash).not.toBe(key);
    await screenshots(page(), 'key-created');
    expect(await chatVersion(gateway.url, key, 'lead-initech')).toBe('v0');

    const keyTab = await openConsolePage(browser);
    await signIn(keyTab.page, gateway.url, key);
    await expect(keyTab.page.locator('[data-viewer]').textContent()).resolves.toBe('initech');

    await page().goto(url('/console/keys'));
    expect(await page().content()).not.toContain(key);
    await page().locator(`tr[data-key="${keyId}"]`).getByRole('button').click();
    await page().waitForSelector('[data-confirm="revoke-key"]');
    await page().getByRole('button', { name: 'Confirm' }).click();
    await page().waitForURL(/done=key_revoked/);
    await expect(
      page().locator(`tr[data-key="${keyId}"] [data-cell="state"]`).textContent(),
    ).resolves.toMatch(/^revoked/);
    const refused = await fetch(url('/v1/models'), { headers: { authorization: `Bearer ${key}` } });
    expect(refused.status).toBe(401);
    await keyTab.page.goto(url('/console'));
    expect(new URL(keyTab.page.url()).pathname).toBe('/console/sign-in');
    expect(keyTab.problems).toEqual([]);
    await keyTab.context.close();
  }, 90_000);
});
