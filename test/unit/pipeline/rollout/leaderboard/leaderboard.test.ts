import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  aggregateDailyCohorts,
  buildLeaderboard,
  createJsonFileLeaderboardSource,
  defaultDecisionOptions,
  parseExperimentFile,
  RolloutInputError,
} from '../../../../../src/pipeline/rollout/index.ts';
import { seedBaselineRates, seedVariantRates, steadyPair } from '../arm-builder.ts';

const windows = defaultDecisionOptions.windows;

function day(date: string, messages: number, extra: Record<string, number> = {}) {
  return {
    date,
    messagesSent: messages,
    errors: 0,
    costSum: messages * 0.001,
    costSumOfSquares: messages * 0.000001,
    replies: 10,
    positiveReplies: 4,
    negativeReplies: 1,
    bounces: 2,
    spamReports: 0,
    unsubscribes: 1,
    meetings: 3,
    deals: 1,
    revenueSum: 1000,
    revenueSumOfSquares: 1_000_000,
    ...extra,
  };
}

describe('aggregateDailyCohorts', () => {
  it('counts a day for a metric only once its window has closed, from the split onwards', () => {
    const arm = {
      modelVersion: 'v1',
      isBaseline: false,
      trafficPercentage: 10,
      deployedAt: new Date('2026-01-01T12:00:00Z'),
    };
    const cohorts = [
      day('2026-01-01', 50), // before the first whole day after the split: excluded
      day('2026-01-02', 100), // 2026-01-03 + 90 days = 2026-04-03 ≤ now: every window closed
      day('2026-03-20', 200), // end 03-21: reply (03-28) and meeting (04-11) closed, close not
      day('2026-04-20', 300), // end 04-21: reply closed (04-28), meeting (05-12) not
      day('2026-04-29', 400), // end 04-30: no window closed yet (reply 05-07)
    ];
    const totals = aggregateDailyCohorts(arm, cohorts, {
      now: new Date('2026-05-01T00:00:00Z'),
      windows,
      experimentStart: arm.deployedAt,
    });
    expect(totals.messagesSent).toBe(1000);
    expect(totals.reply.messages).toBe(600);
    expect(totals.reply.replies).toBe(30);
    expect(totals.meeting.messages).toBe(300);
    expect(totals.meeting.meetings).toBe(6);
    expect(totals.close.messages).toBe(100);
    expect(totals.close.deals).toBe(1);
    expect(totals.cost.sum).toBeCloseTo(1.0, 12);
  });
});

describe('experiment file', () => {
  const base = {
    route: 'outreach',
    arms: [
      {
        model_version: 'baseline',
        is_baseline: true,
        traffic_percentage: 90,
        messages_sent: 9000,
        reply_window: { messages: 8000, replies: 984 },
        meeting_window: { messages: 7000, meetings: 350 },
        close_window: { messages: 3000, deals: 93 },
      },
      {
        model_version: 'v1.0.0',
        traffic_percentage: 10,
        messages_sent: 1000,
        reply_window: { messages: 900, replies: 137 },
        meeting_window: { messages: 800, meetings: 49 },
        close_window: { messages: 300, deals: 11 },
      },
    ],
  };

  it('accepts windowed totals with defaults for the optional counts', () => {
    const snapshot = parseExperimentFile(base, { now: new Date(), windows });
    expect(snapshot.asOf).toBeNull();
    const variant = snapshot.aggregates.arms[1];
    expect(variant?.isBaseline).toBe(false);
    expect(variant?.reply.bounces).toBe(0);
    expect(variant?.close.revenue).toEqual({ sum: 0, sumOfSquares: 0 });
  });

  it("windows daily cohorts as of the file's as_of with the configured windows", () => {
    const row = (date: string, messages: number) => ({
      date,
      messages_sent: messages,
      replies: 10,
      meetings: 4,
      deals: 2,
      revenue_usd_sum: 30_000,
    });
    const arm = (model_version: string, is_baseline: boolean, traffic_percentage: number) => ({
      model_version,
      is_baseline,
      traffic_percentage,
      deployed_at: '2026-01-01T00:00:00Z',
      daily: [row('2026-01-01', 100), row('2026-03-15', 200), row('2026-04-20', 300)],
    });
    const file = {
      route: 'outreach',
      as_of: '2026-04-25T00:00:00Z',
      arms: [arm('baseline', true, 90), arm('v1.0.0', false, 10)],
    };
    const snapshot = parseExperimentFile(file, { now: new Date('2030-01-01T00:00:00Z'), windows });
    expect(snapshot.asOf?.toISOString()).toBe('2026-04-25T00:00:00.000Z');
    const [baseline] = snapshot.aggregates.arms;
    // as_of 04-25: reply window (7 d) closed for 01-01 and 03-15; meeting (21 d) for both too;
    // close (90 d) only for 01-01. The 04-20 day has no closed window yet.
    expect(baseline?.messagesSent).toBe(600);
    expect(baseline?.reply.messages).toBe(300);
    expect(baseline?.meeting.messages).toBe(300);
    expect(baseline?.close.messages).toBe(100);
    expect(baseline?.close.revenue.sum).toBe(30_000);
    // Without sum_squares each deal is worth the same: 2 deals of 15,000.
    expect(baseline?.close.revenue.sumOfSquares).toBe(2 * 15_000 ** 2);
    const shorter = parseExperimentFile(file, {
      now: new Date(),
      windows: { ...windows, closeDays: 30 },
    });
    expect(shorter.aggregates.arms[0]?.close.messages).toBe(300);
  });

  it('rejects impossible counts with the arm and field named', () => {
    const broken = structuredClone(base);
    (broken.arms[1] as { reply_window: { replies: number } }).reply_window.replies = 5000;
    expect(() => parseExperimentFile(broken, { now: new Date(), windows })).toThrow(
      /v1\.0\.0: more replies than messages/,
    );
    expect(() =>
      parseExperimentFile(
        { ...base, arms: [{ model_version: 'x' }] },
        { now: new Date(), windows },
      ),
    ).toThrow(RolloutInputError);
  });

  it('is read from disk by the JSON-file source, which checks the route', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'rekindle-experiment-'));
    const path = join(directory, 'experiment.json');
    writeFileSync(path, JSON.stringify(base));
    const source = createJsonFileLeaderboardSource({ path, windows });
    const snapshot = await source.load('outreach', new Date());
    expect(snapshot.aggregates.arms).toHaveLength(2);
    await expect(source.load('support', new Date())).rejects.toThrow(/holds route "outreach"/);
    const missing = createJsonFileLeaderboardSource({
      path: join(directory, 'none.json'),
      windows,
    });
    await expect(missing.load('outreach', new Date())).rejects.toThrow(/cannot read/);
  });
});

describe('buildLeaderboard', () => {
  it('gives each version its rates with Wilson intervals and lifts against the baseline', () => {
    const arms = steadyPair(100_000, seedVariantRates, new Date('2026-01-01T00:00:00Z'));
    const leaderboard = buildLeaderboard(
      { route: 'outreach', arms },
      new Date('2026-06-01T00:00:00Z'),
    );
    expect(leaderboard.baseline).toBe('baseline');
    const [baseline, variant] = leaderboard.rows;
    expect(baseline?.reply_rate).toBeCloseTo(Math.round(90_000 * 0.123) / 90_000, 12);
    // Wilson 95 % by hand for the variant's 1,520 replies of 10,000.
    const p = 1520 / 10_000;
    const z = 1.959963984540054;
    const centre = (p + (z * z) / 20_000) / (1 + (z * z) / 10_000);
    const half =
      (z * Math.sqrt((p * (1 - p)) / 10_000 + (z * z) / (4 * 10_000 ** 2))) /
      (1 + (z * z) / 10_000);
    const [lower, upper] = (variant?.reply_rate_ci95 ?? []) as [number, number];
    expect(lower).toBeCloseTo(centre - half, 12);
    expect(upper).toBeCloseTo(centre + half, 12);
    expect(variant?.reply_rate_vs_baseline).toBeCloseTo(
      1520 / 10_000 / (Math.round(90_000 * 0.123) / 90_000) - 1,
      12,
    );
    expect(baseline?.reply_rate_vs_baseline).toBeNull();
    expect(variant?.cost_per_meeting).toBeCloseTo(0.00066 / (610 / 10_000), 12);
    // Its table: test/unit/cli/format/format-leaderboard-table.test.ts.
  });

  it('keeps the baseline first', () => {
    const arms = steadyPair(1000, seedBaselineRates, new Date()).reverse();
    expect(buildLeaderboard({ route: 'r', arms }, new Date()).rows[0]?.is_baseline).toBe(true);
  });
});
