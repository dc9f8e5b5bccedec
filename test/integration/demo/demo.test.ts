import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoCommand } from '../../../src/cli/commands/demo.ts';
import { runCli } from '../../../src/cli/run-cli.ts';
import { readEnv } from '../../../src/config/index.ts';
import { itWithServices, requireService } from '../../helpers/services.ts';
import {
  type DemoProcess,
  killDemoProcesses,
  onlyJson,
  runDemoProcess,
  tableAfter,
} from './demo-process.ts';

/**
 * Issue 9, Must show 1 and 2: the demo as its own process with no keys in its environment — the
 * default run through `npm run demo` (a better trained version) and, at the same time, `rekindle
 * demo --fast --variant-lift none` through the package's bin (a version that is no better; `--fast`
 * sends 600 leads a week at 50 % to keep CI time down, with the same engine and thresholds) —
 * then the first report in headless Chromium.
 */
const chromiumPath = '/usr/bin/chromium';
const chromiumService = requireService('chromium', () =>
  existsSync(chromiumPath) ? null : `${chromiumPath} is missing (apt-get install -y chromium)`,
);
const fiveMinutes = 300_000;

let workDir: string;
let better: DemoProcess;
let none: DemoProcess;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'rekindle-demo-test-'));
  [better, none] = await Promise.all([
    runDemoProcess(
      ['npm', 'run', '--silent', 'demo', '--', '--json'],
      join(workDir, 'better.html'),
    ),
    runDemoProcess(
      [process.execPath, 'bin/rekindle.mjs', 'demo', '--fast', '--variant-lift', 'none'],
      join(workDir, 'reports', 'none.html'),
      // The demo reads none of these: were it to, it would call a dead port or miss a file.
      {
        OPENAI_API_KEY: 'sk-not-for-the-demo',
        OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
        REKINDLE_CONFIG: '/nonexistent/rekindle.config.json',
        DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none',
      },
    ),
  ]);
}, fiveMinutes);

afterAll(async () => {
  killDemoProcesses();
  await rm(workDir, { recursive: true, force: true });
});

describe('rekindle demo, end to end', () => {
  it('a better variant: exit 0 in under 5 minutes, and v1.0.0 is promoted because its measured rates are better', async () => {
    // --json: no progress on stderr, one JSON object on stdout.
    expect(better.stderr).not.toContain('== Phase');
    expect(better.exitCode, better.stderr).toBe(0);
    expect(better.elapsedMs).toBeLessThan(fiveMinutes);
    const result = onlyJson(better.stdout);
    expect(result).toMatchObject({
      seed: 42,
      variant_lift: 'better',
      settings: expect.objectContaining({ leadsPerWeek: 1_000, variantShare: 10, weeks: 10 }),
      baseline: 'v0',
      variant: 'v1.0.0',
      decision: 'promote',
      promoted_version: 'v1.0.0',
      rolled_back_version: null,
      report: better.reportPath,
    });
    // The engine's reason: both lower bounds clear their thresholds, on the rates it measured.
    const rates = result.rates as Record<string, Record<string, number>>;
    const variant = rates['v1.0.0'];
    const baseline = rates.v0;
    expect(variant?.reply_rate).toBeGreaterThan(baseline?.reply_rate ?? 1);
    expect(variant?.close_rate).toBeGreaterThan(baseline?.close_rate ?? 1);
    const lifts = result.lifts as Record<string, { lower_bound: number; threshold: number }>;
    expect(lifts.reply_rate?.lower_bound).toBeGreaterThanOrEqual(lifts.reply_rate?.threshold ?? 1);
    expect(lifts.close_rate?.lower_bound).toBeGreaterThanOrEqual(lifts.close_rate?.threshold ?? 1);
    expect(result.reasons).toEqual(
      expect.arrayContaining([expect.stringMatching(/^reply rate lift .* ≥ \+10\.0% required$/)]),
    );

    // Phases 3–6 left their marks: two trained versions, the first promoted, the next deployed.
    expect(result.training_runs).toEqual([
      expect.objectContaining({
        model_version: 'v1.0.0',
        provider: 'openai',
        status: 'deployed',
        fine_tuned_model: expect.stringMatching(/^ft:gpt-4o-mini-2024-07-18:northwind:rekindle:/),
      }),
      expect.objectContaining({
        model_version: 'v1.1.0',
        provider: 'together',
        status: 'deployed',
      }),
    ]);
    expect(result.registry).toEqual(
      expect.arrayContaining([
        { model_version: 'v0', status: 'deprecated', is_baseline: false, traffic_percentage: 0 },
        { model_version: 'v1.0.0', status: 'active', is_baseline: true, traffic_percentage: 90 },
        { model_version: 'v1.1.0', status: 'testing', is_baseline: false, traffic_percentage: 10 },
      ]),
    );
    const delivered = result.webhooks_delivered as Record<string, number>;
    expect(delivered.sendgrid).toBeGreaterThan(1_000);
    expect(delivered.crm).toBeGreaterThan(100);
    expect(delivered.replies).toBeGreaterThan(100);

    const html = await readFile(better.reportPath, 'utf8');
    expect(html).toContain('Decision: PROMOTE in week');
    expect(html).toContain('v1.0.0 is the new baseline.');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('a variant that is no better: exit 0, and v1.0.0 is not promoted', async () => {
    expect(none.exitCode, none.stderr.slice(-2000)).toBe(0);
    expect(none.elapsedMs).toBeLessThan(fiveMinutes);
    // Human output: the seed's tables on stdout, the phases with plain progress lines on stderr.
    for (const title of [
      'Outcome progress (every tracked message, by model version)',
      'Training runs',
      'Model comparison (leaderboard at the last look)',
      'Flywheel weekly metrics (flywheel_weekly)',
    ]) {
      expect(none.stdout).toContain(title);
    }
    expect(none.stdout).toMatch(
      /^Decision: (KEEP_TESTING|INVALID) after \d+ week\(s\) — v1\.0\.0 was not promoted\.$|^Decision: ROLLBACK in week \d+/m,
    );
    expect(none.stderr).toContain('== Phase 1–2');
    expect(none.stderr).toContain('== Phase 5–6');
    expect(none.stderr).not.toContain('\r');
    const registry = tableAfter(none.stdout, 'Registry of route outreach at the end');
    const row = (version: string) => registry.find((cells) => cells[0] === version);
    // The stored baseline holds what the testing variants leave (v1.0.0's share depends on how
    // the experiment ended: still testing, or rolled back).
    const testingShare = registry
      .filter((cells) => cells[3] === 'testing')
      .reduce((sum, cells) => sum + Number(cells[5]?.replace('%', '')), 0);
    expect(testingShare).toBeGreaterThanOrEqual(10);
    expect(row('v0')).toEqual([
      'v0',
      'gpt-4o-mini',
      'openai',
      'active',
      'yes',
      `${100 - testingShare}%`,
    ]);
    expect(row('v1.0.0')?.[4]).toBe('no');
    expect(row('v1.1.0')?.slice(3)).toEqual(['testing', 'no', '10%']);
    // Same audience, same engine: the measured lift is no reason to promote.
    const comparison = tableAfter(none.stdout, 'Model comparison (leaderboard at the last look)');
    expect(comparison.map((cells) => cells[0])).toEqual(['v0', 'v1.0.0']);
    const html = await readFile(none.reportPath, 'utf8');
    expect(html).toContain('was not promoted');
    expect(html).not.toContain('Decision: PROMOTE');
  });

  itWithServices(
    [chromiumService],
    'the HTML report renders in headless Chromium with its charts drawn',
    async () => {
      const profile = await mkdtemp(join(workDir, 'chromium-profile-'));
      const context = await chromium.launchPersistentContext(profile, {
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
        viewport: { width: 1280, height: 900 },
      });
      try {
        const page = await context.newPage();
        const requested: string[] = [];
        page.on('request', (request) => requested.push(request.url()));
        const reportUrl = pathToFileURL(better.reportPath).href;
        await page.goto(reportUrl);
        const screenshot = join(workDir, 'report.png');
        await page.screenshot({ path: screenshot, fullPage: true });
        expect((await stat(screenshot)).size).toBeGreaterThan(50_000);
        // One file: nothing but the report itself was loaded.
        expect(requested).toEqual([reportUrl]);
        await expect(page.locator('#verdict').textContent()).resolves.toContain('PROMOTE in week');

        const chart = (id: string) => page.locator(`svg.chart[data-chart="${id}"]`);
        for (const id of ['reply-rate', 'traffic-split', 'cost-per-meeting']) {
          const box = await chart(id).boundingBox();
          expect(box?.width ?? 0, id).toBeGreaterThan(300);
          expect(box?.height ?? 0, id).toBeGreaterThan(100);
        }

        // Reply rate over time: a line per version, the variant's above the baseline's.
        const lines = chart('reply-rate').locator('path.series');
        await expect(
          lines.evaluateAll((paths) => paths.map((path) => path.getAttribute('data-series'))),
        ).resolves.toEqual(['v0', 'v1.0.0']);
        for (const path of await lines.all()) {
          expect((await path.getAttribute('d'))?.match(/L/g)?.length ?? 0).toBeGreaterThanOrEqual(
            2,
          );
          expect((await path.boundingBox())?.width ?? 0).toBeGreaterThan(100);
        }
        const meanY = (series: string) =>
          chart('reply-rate')
            .locator(`circle.point[data-series="${series}"]`)
            .evaluateAll((circles) => {
              const ys = circles.map((circle) => Number(circle.getAttribute('cy')));
              return ys.reduce((sum, y) => sum + y, 0) / ys.length;
            });
        // SVG y grows downwards: a higher reply rate is a smaller y.
        expect(await meanY('v1.0.0')).toBeLessThan(await meanY('v0'));

        // Traffic split: stacked bars with data, every version on them, v1.1.0 in the last week.
        const bars = chart('traffic-split').locator('rect.bar');
        const split = await bars.evaluateAll((rects) =>
          rects.map((rect) => ({
            series: rect.getAttribute('data-series'),
            value: Number(rect.getAttribute('data-value')),
            height: rect.getBoundingClientRect().height,
          })),
        );
        expect(split.length).toBeGreaterThanOrEqual(8);
        expect(split.every((bar) => bar.value > 0 && bar.height > 0)).toBe(true);
        expect(new Set(split.map((bar) => bar.series))).toEqual(
          new Set(['v0', 'v1.0.0', 'v1.1.0']),
        );

        // Cost per meeting: a bar per arm, the promoted variant's lower.
        const costs = await chart('cost-per-meeting')
          .locator('rect.bar')
          .evaluateAll((rects) =>
            Object.fromEntries(
              rects.map((rect) => [
                rect.getAttribute('data-series'),
                {
                  value: Number(rect.getAttribute('data-value')),
                  height: rect.getBoundingClientRect().height,
                },
              ]),
            ),
          );
        expect(Object.keys(costs)).toEqual(['v0', 'v1.0.0']);
        expect(costs['v1.0.0']?.height).toBeGreaterThan(0);
        expect(costs['v1.0.0']?.value).toBeLessThan(costs.v0?.value ?? 0);
      } finally {
        await context.close();
      }
    },
    60_000,
  );
});

describe('rekindle demo flags', () => {
  it('refuses bad values with exit 2 before starting anything', async () => {
    let stderr = '';
    const exitCode = await runCli(
      ['demo', '--variant-lift', 'maybe'],
      readEnv({}),
      [createDemoCommand()],
      {
        stdout: () => {},
        stderr: (text) => {
          stderr += text;
        },
      },
    );
    expect(exitCode).toBe(2);
    expect(stderr).toContain('--variant-lift must be "better" or "none"');
  });
});
