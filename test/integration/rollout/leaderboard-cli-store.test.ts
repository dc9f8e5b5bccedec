import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../src/cli/commands/index.ts';
import { runCli } from '../../../src/cli/run-cli.ts';
import { readEnv } from '../../../src/config/index.ts';
import { createStore, type Store } from '../../../src/store/index.ts';
import type { SqlExecutor } from '../../../src/store/sql-executor.ts';
import { seedExperiment } from './seed-experiment.ts';

/**
 * `rekindle evaluate` and `rekindle leaderboard` over a PGlite data directory the CLI opens itself,
 * after an experiment was seeded into it.
 */
const directory = mkdtempSync(join(tmpdir(), 'rekindle-leaderboard-cli-'));
const dataDir = join(directory, 'data');
const configPath = join(directory, 'rekindle.config.json');
writeFileSync(configPath, JSON.stringify({ rollout: { planned_total_messages: 4000 } }));

let store: Store;
let sql: SqlExecutor;

beforeAll(async () => {
  store = await createStore({ data_dir: dataDir }, { autoMigrate: true });
  sql = store.executor as SqlExecutor;
});

afterAll(async () => {
  await store?.close().catch(() => {});
  rmSync(directory, { recursive: true, force: true });
});

describe('rekindle evaluate and leaderboard from the store', () => {
  beforeAll(async () => {
    await seedExperiment(sql, {
      route: 'outreach',
      organizationId: 'cli_org',
      sentDaysAgo: { from: 125, to: 96 },
      deployedDaysAgo: 130,
      variantTrafficPercentage: 50,
      baseline: {
        modelVersion: 'outreach-v1',
        modelId: 'gpt-4o-mini',
        messages: 2000,
        replyPerMille: 100,
        meetingPerMille: 60,
        dealPerMille: 30,
      },
      variant: {
        modelVersion: 'outreach-v2',
        modelId: 'ft:gpt-4o-mini:acme::v2',
        messages: 2000,
        replyPerMille: 300,
        meetingPerMille: 180,
        dealPerMille: 90,
      },
    });
    // The CLI opens the data directory itself: one owner at a time.
    await store.close();
  }, 60_000);

  async function rekindle(argv: string[]) {
    let stdout = '';
    let stderr = '';
    const exitCode = await runCli(
      argv,
      readEnv({ REKINDLE_CONFIG: configPath, REKINDLE_DATA_DIR: dataDir }),
      commands,
      {
        stdout: (text) => {
          stdout += text;
        },
        stderr: (text) => {
          stderr += text;
        },
      },
    );
    return { exitCode, stdout, stderr };
  }

  it('`rekindle evaluate --route outreach` prints the comparison table and the decision', async () => {
    const result = await rekindle(['evaluate', '--route', 'outreach']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.split('\n');
    const line = (label: string) => lines.find((text) => text.startsWith(label)) ?? '';
    expect(line('Messages sent')).toMatch(/2,000\s+2,000\s+split ok/);
    expect(line('Reply rate')).toMatch(/10\.00%.*30\.00%.*\+200\.0%.*pass/);
    expect(line('Meeting rate')).toMatch(/6\.00%.*18\.00%/);
    expect(line('Close rate')).toMatch(/3\.00%.*9\.00%.*\+200\.0%.*pass/);
    expect(line('Negative sentiment')).not.toBe('');
    expect(line('Cost per meeting')).not.toBe('');
    expect(result.stdout).toContain('Decision: PROMOTE outreach-v2');
  }, 60_000);

  it('`rekindle leaderboard --json` prints the rows of the store', async () => {
    const result = await rekindle(['leaderboard', '--route', 'outreach', '--json']);
    expect(result.exitCode).toBe(0);
    const board = JSON.parse(result.stdout);
    expect(board.baseline).toBe('outreach-v1');
    expect(
      board.rows.map((row: Record<string, unknown>) => [
        row.model_version,
        row.total_messages_sent,
        row.reply_rate,
        row.close_rate,
      ]),
    ).toEqual([
      ['outreach-v1', 2000, 0.1, 0.03],
      ['outreach-v2', 2000, 0.3, 0.09],
    ]);
    expect(board.rows[1].reply_rate_vs_baseline).toBeCloseTo(2, 12);
  }, 60_000);
});
