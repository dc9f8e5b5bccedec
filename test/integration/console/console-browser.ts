import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { requireService } from '../../helpers/services.ts';

/**
 * Debian's Chromium through playwright-core, one browser per test file; screenshots go to
 * test-artifacts/console/ (git-ignored) and axe-core checks every page.
 */
const chromiumPath = '/usr/bin/chromium';
export const chromiumService = requireService('chromium', () =>
  existsSync(chromiumPath) ? null : `${chromiumPath} is missing (apt-get install -y chromium)`,
);

const artifactsDir = join(import.meta.dirname, '../../../test-artifacts/console');
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface ConsolePage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Script errors and CSP violations the page reported (a page must report none). */
  readonly problems: string[];
}

export async function openConsolePage(
  browser: Browser,
  options: { width?: number; height?: number } = {},
): Promise<ConsolePage> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    acceptDownloads: true,
  });
  // A missing element fails fast, naming its locator, instead of running into the test's timeout.
  context.setDefaultTimeout(8_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return { context, page, problems };
}

/** The sign-in form, as a person uses it; resolves on the page it lands on. */
export async function signIn(page: Page, baseUrl: string, credential: string, next = '/console') {
  await page.goto(`${baseUrl}/console/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Token or key').fill(credential);
  await Promise.all([
    page.waitForLoadState('load'),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  await page.waitForURL((url) => !url.pathname.endsWith('/sign-in'));
}

/** A full-page screenshot at the page's width and at 390 px (a phone), kept as test artifacts. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(artifactsDir, { recursive: true });
  const viewport = page.viewportSize() ?? { width: 1280, height: 900 };
  await page.screenshot({
    path: join(artifactsDir, `${name}-${viewport.width}.png`),
    fullPage: true,
  });
  await page.setViewportSize({ width: 390, height: 844 });
  // At 390 px nothing but a scrolling table region may be wider than the screen.
  const overflow = await page.evaluate(
    () =>
      (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document
        .documentElement.scrollWidth,
  );
  expect(overflow, `${name} is wider than a 390 px screen`).toBeLessThanOrEqual(390);
  await page.screenshot({ path: join(artifactsDir, `${name}-390.png`), fullPage: true });
  await page.setViewportSize(viewport);
}

/** One context per browser for axe (made on first use), so each check costs a page, not a context. */
const axeContexts = new WeakMap<Browser, BrowserContext>();

async function axeContextOf(browser: Browser): Promise<BrowserContext> {
  let axeContext = axeContexts.get(browser);
  if (!axeContext) {
    axeContext = await browser.newContext({
      bypassCSP: true,
      viewport: { width: 1280, height: 900 },
    });
    axeContexts.set(browser, axeContext);
  }
  return axeContext;
}

/**
 * axe-core in the browser on the page at `url`: no serious or critical violation. axe is injected
 * as an inline script, which the console's Content-Security-Policy forbids, so this one check runs
 * in a second context with Playwright's `bypassCSP` (given the tested context's cookies, so the
 * same session); the pages themselves are always tested with the CSP in force.
 */
export async function expectAccessible(
  context: BrowserContext,
  url: string,
  /** Steps from `url` to the page to check (a confirmation step is a POST's answer). */
  reach?: (page: Page) => Promise<void>,
): Promise<void> {
  const browser = context.browser();
  if (!browser) {
    throw new Error('no browser');
  }
  const axeContext = await axeContextOf(browser);
  await axeContext.clearCookies();
  await axeContext.addCookies(await context.cookies());
  const page = await axeContext.newPage();
  try {
    await page.goto(url);
    await reach?.(page);
    await page.addScriptTag({ path: axePath });
    const violations = await page.evaluate(async () => {
      const browserWindow = globalThis as unknown as {
        axe: { run: (context: unknown) => Promise<AxeResults> };
        document: unknown;
      };
      const results = await browserWindow.axe.run(browserWindow.document);
      return results.violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map((violation) => ({
          id: violation.id,
          impact: violation.impact,
          nodes: violation.nodes.slice(0, 3).map((node) => node.target.join(' ')),
        }));
    });
    expect(violations, `axe on ${url}`).toEqual([]);
  } finally {
    await page.close();
  }
}

interface AxeResults {
  violations: Array<{
    id: string;
    impact: string | null;
    nodes: Array<{ target: string[] }>;
  }>;
}

/** The text of every cell of a table row (`th` and `td`), trimmed. */
export async function rowTexts(page: Page, selector: string): Promise<string[][]> {
  return page
    .locator(selector)
    .evaluateAll((rows) =>
      rows.map((row) =>
        Array.from(row.querySelectorAll('th, td'), (cell) =>
          ((cell as { textContent: string | null }).textContent ?? '').trim(),
        ),
      ),
    );
}
