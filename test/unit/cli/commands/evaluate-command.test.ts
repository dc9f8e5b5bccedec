import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEvaluateCommand } from '../../../../src/cli/commands/evaluate.ts';
import { commands } from '../../../../src/cli/commands/index.ts';
import { runCli } from '../../../../src/cli/run-cli.ts';
import { readEnv } from '../../../../src/config/index.ts';
import {
  defaultDecisionOptions,
  parseExperimentFile,
} from '../../../../src/pipeline/rollout/index.ts';

const windows = defaultDecisionOptions.windows;

// The CLI's mechanics are shown on a file whose variant is promoted (the seed example before the
// guide's costs; the shipped example now rolls back, see seed-example-costs.test.ts).
const seedFile = 'test/fixtures/seed-experiment-cheaper-variant.json';
const directory = mkdtempSync(join(tmpdir(), 'rekindle-evaluate-'));

function configFile(name: string, config: unknown): string {
  const path = join(directory, name);
  writeFileSync(path, JSON.stringify(config));
  return path;
}

// A config file keeps the test independent of any rekindle.config.json in the working directory.
const defaultConfig = configFile('default.json', {});

async function rekindle(argv: string[], config = defaultConfig) {
  let stdout = '';
  let stderr = '';
  const exitCode = await runCli(argv, readEnv({ REKINDLE_CONFIG: config }), commands, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { exitCode, stdout, stderr };
}

describe('rekindle evaluate', () => {
  it("prints the seed's comparison table and the decision", async () => {
    const result = await rekindle(['evaluate', '--input', seedFile]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.split('\n');
    const row = (label: string) => lines.find((line) => line.startsWith(label)) ?? '';
    expect(row('Messages sent')).toMatch(/411,429\s+45,714/);
    expect(row('Reply rate')).toMatch(/12\.30%.*15\.20%.*\+23\.6%.*pass/);
    expect(row('Meeting rate')).toMatch(/5\.00%.*6\.10%/);
    expect(row('Close rate')).toMatch(/3\.10%.*3\.80%.*\+22\.6%.*pass/);
    expect(row('Negative sentiment')).toMatch(/8\.00%.*6\.50%.*ok \(not higher\)/);
    expect(row('Cost per meeting')).toMatch(/\$0\.1100.*\$0\.0108.*ok \(not higher\)/);
    expect(result.stdout).toContain('Decision: PROMOTE v1.0.0');
  });

  it('prints exactly one JSON object with --json', async () => {
    const result = await rekindle([
      'evaluate',
      '--route',
      'outreach',
      '--input',
      seedFile,
      '--json',
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    const output = JSON.parse(result.stdout);
    expect(output.decision).toBe('promote');
    expect(output.route).toBe('outreach');
    const variant = output.variants[0];
    expect(variant.model_version).toBe('v1.0.0');
    const reply = variant.promotion_checks.find(
      (check: { metric: string }) => check.metric === 'reply_rate',
    );
    expect(reply.threshold).toBe(0.1);
    expect(reply.anytime_interval.lower).toBeGreaterThanOrEqual(0.1);
    expect(output.sample_ratio_mismatch.ok).toBe(true);
    expect(variant.harm_tests).toHaveLength(8);
  });

  it('takes its thresholds from config.rollout', async () => {
    const strict = configFile('strict.json', { rollout: { min_reply_lift: 0.3 } });
    const result = await rekindle(['evaluate', '--input', seedFile, '--json'], strict);
    const output = JSON.parse(result.stdout);
    expect(output.decision).toBe('keep_testing');
    expect(output.method.min_reply_lift).toBe(0.3);
    expect(output.variants[0].estimate.reachable).toBe(false);
  });

  it('uses --weekly-volume for the time estimate', async () => {
    const early = JSON.parse(readFileSync(seedFile, 'utf8'));
    // Only 10 days of close-window data so far.
    for (const arm of early.arms) {
      arm.close_window.messages = Math.round(arm.close_window.messages / 7);
      arm.close_window.deals = Math.round(arm.close_window.deals / 7);
      arm.close_window.revenue_usd.sum /= 7;
      arm.close_window.revenue_usd.sum_squares /= 7;
    }
    const path = join(directory, 'early.json');
    writeFileSync(path, JSON.stringify(early));
    const result = await rekindle([
      'evaluate',
      '--input',
      path,
      '--weekly-volume',
      '50000',
      '--json',
    ]);
    const output = JSON.parse(result.stdout);
    expect(output.decision).toBe('keep_testing');
    expect(output.variants[0].estimate.weekly_volume).toBe(50_000);
    expect(output.variants[0].estimate.weekly_volume_source).toBe('stated');
    const text = await rekindle(['evaluate', '--input', path]);
    expect(text.stdout).toMatch(/Decision: KEEP_TESTING v1\.0\.0/);
    expect(text.stdout).toMatch(/weeks/);
  });

  it('reads the store when neither --input nor REKINDLE_GATEWAY_URL is given', async () => {
    const seed = JSON.parse(readFileSync(seedFile, 'utf8'));
    const snapshot = parseExperimentFile(seed, { now: new Date(seed.as_of), windows });
    const routes: string[] = [];
    const command = createEvaluateCommand({
      gatewayClient: () => null,
      storeSource: () => ({
        async load(route) {
          routes.push(route);
          return snapshot;
        },
      }),
    });
    const exitCode = await runCli(
      ['evaluate', '--json'],
      readEnv({ REKINDLE_CONFIG: defaultConfig }),
      [command],
      {
        stdout: (text) => {
          expect(JSON.parse(text).decision).toBe('promote');
        },
        stderr: (text) => {
          throw new Error(text);
        },
      },
    );
    expect(exitCode).toBe(0);
    expect(routes).toEqual(['outreach']);
  });

  it('with nothing deployed answers invalid (no baseline): one JSON object, exit 0, and the table', async () => {
    const empty = createEvaluateCommand({
      gatewayClient: () => null,
      storeSource: () => ({
        async load(route) {
          return {
            aggregates: { route, arms: [] },
            asOf: null,
            weeklyVolume: null,
            plannedTotalMessages: null,
          };
        },
      }),
    });
    const run = async (argv: string[]) => {
      let stdout = '';
      let stderr = '';
      const exitCode = await runCli(argv, readEnv({ REKINDLE_CONFIG: defaultConfig }), [empty], {
        stdout: (text) => {
          stdout += text;
        },
        stderr: (text) => {
          stderr += text;
        },
      });
      return { exitCode, stdout, stderr };
    };
    const json = await run(['evaluate', '--json']);
    expect(json).toMatchObject({ exitCode: 0, stderr: '' });
    expect(json.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      route: 'outreach',
      baseline: null,
      decision: 'invalid',
      reasons: [expect.stringMatching(/^no baseline: nothing is deployed on route "outreach" yet/)],
      variants: [],
    });
    const text = await run(['evaluate']);
    expect(text).toMatchObject({ exitCode: 0, stderr: '' });
    expect(text.stdout).toMatch(/^Decision: INVALID$/m);
    expect(text.stdout).toMatch(/^ {2}- no baseline: nothing is deployed on route "outreach" yet/m);
  });

  it('fails clearly on a route the file does not hold', async () => {
    const result = await rekindle(['evaluate', '--route', 'support', '--input', seedFile]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/holds route "outreach", not "support"/);
  });
});

describe('rekindle leaderboard', () => {
  it('prints one row per version, and one JSON object with --json', async () => {
    const text = await rekindle(['leaderboard', '--input', seedFile]);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/gpt-4o-baseline \(baseline\)/);
    expect(text.stdout).toMatch(/v1\.0\.0\s+10%\s+45,714\s+15\.20%/);
    const json = await rekindle(['leaderboard', '--input', seedFile, '--json']);
    const output = JSON.parse(json.stdout);
    expect(output.rows).toHaveLength(2);
    expect(output.rows[1].model_version).toBe('v1.0.0');
    expect(output.rows[1].reply_rate_vs_baseline).toBeCloseTo(
      6645 / 43714 / (48392 / 393429) - 1,
      12,
    );
    expect(output.rows[1].close_rate_ci95).toHaveLength(2);
  });
});
