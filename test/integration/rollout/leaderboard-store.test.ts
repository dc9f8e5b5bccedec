import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStoreLeaderboardSource,
  defaultDecisionOptions,
  statistics,
} from '../../../src/pipeline/rollout/index.ts';
import { transportOf } from '../../../src/store/create-store.ts';
import { createStore, type Store } from '../../../src/store/index.ts';
import type { SqlExecutor } from '../../../src/store/sql-executor.ts';

/**
 * The store side of the experiment engine on PGlite (a data directory, so `rekindle` can open the
 * same store afterwards): daily cohorts against counts worked out by hand, window censoring, the
 * fallback exclusion and the model_leaderboard view through the seed's own SQL. The commands over
 * such a store: leaderboard-cli-store.test.ts.
 */
const directory = mkdtempSync(join(tmpdir(), 'rekindle-leaderboard-'));
const dataDir = join(directory, 'data');

const windows = defaultDecisionOptions.windows;
const day = 86_400_000;
// A fixed evaluation time: the cohort tests need no clock.
const now = new Date('2026-06-30T12:00:00Z');
const ago = (days: number, plusDays = 0) =>
  new Date(now.getTime() - days * day + plusDays * day).toISOString();

let store: Store;
let sql: SqlExecutor;

beforeAll(async () => {
  store = await createStore({ data_dir: dataDir }, { autoMigrate: true });
  sql = store.executor as SqlExecutor;
  await sql.exec(`
    insert into public.model_registry
      (route, model_id, provider, model_version, status, is_baseline, traffic_percentage, deployed_at)
    values
      ('cohorts', 'gpt-4o-mini', 'openai', 'c_v1', 'active', true, 0, '${ago(300)}'),
      ('cohorts', 'ft:gpt-4o-mini:acme::c2', 'openai', 'c_v2', 'testing', false, 20, '${ago(120)}');
  `);
  // [version, model that served it, sent, replied_at, label, meeting_at, deal_at, value, extra, cost]
  const rows: string[] = [
    // 3 days old: its reply window (7 d after the end of its day) is still open.
    row('c_v1', 'gpt-4o-mini', ago(3), { replied: ago(3, 1), label: 'positive', cost: 0.01 }),
    // 10 days old: counts for reply (within 2 d, negative) but its meeting window is open.
    row('c_v1', 'gpt-4o-mini', ago(10), {
      replied: ago(10, 2),
      label: 'negative',
      meeting: ago(10, 5),
      cost: 0.02,
    }),
    row('c_v1', 'gpt-4o-mini', ago(10), { bounced: true, cost: 0.03 }),
    // Served by a fallback model: left out of every count.
    row('c_v1', 'claude-3-5-haiku', ago(10), {
      replied: ago(10, 1),
      label: 'positive',
      cost: 0.05,
    }),
    // 30 days old: the reply came after 9 days (outside the 7-day window), the meeting after 10.
    row('c_v1', 'gpt-4o-mini', ago(30), {
      replied: ago(30, 9),
      label: 'positive',
      meeting: ago(30, 10),
      deal: ago(30, 20),
      value: 1000,
      cost: 0.01,
    }),
    // 100 days old: every window closed. The second deal came after 95 days: outside 90.
    row('c_v2', 'ft:gpt-4o-mini:acme::c2', ago(100), {
      replied: ago(100, 1),
      label: 'positive',
      meeting: ago(100, 4),
      deal: ago(100, 30),
      value: 5000,
      cost: 0.02,
    }),
    row('c_v2', 'ft:gpt-4o-mini:acme::c2', ago(100), {
      deal: ago(100, 95),
      value: 7000,
      spam: true,
      unsubscribed: true,
      cost: 0.04,
    }),
    // Sent after the evaluation time.
    row('c_v2', 'ft:gpt-4o-mini:acme::c2', ago(-1), { cost: 0.02 }),
  ];
  await sql.exec(`
    insert into public.outcome_labels (organization_id, route, model_version, model_id, created_at,
      replied, replied_at, reply_sentiment_label, meeting_booked, meeting_booked_at, deal_closed,
      deal_closed_at, deal_value, bounced, spam_reported, unsubscribed, cost_usd)
    values ${rows.join(',\n')};
  `);
}, 60_000);

afterAll(async () => {
  await store?.close().catch(() => {});
  rmSync(directory, { recursive: true, force: true });
});

function row(
  version: string,
  model: string,
  sentAt: string,
  outcome: {
    replied?: string;
    label?: string;
    meeting?: string;
    deal?: string;
    value?: number;
    bounced?: boolean;
    spam?: boolean;
    unsubscribed?: boolean;
    cost: number;
  },
): string {
  const text = (value: string | undefined) => (value === undefined ? 'null' : `'${value}'`);
  return `('cohort_org', 'cohorts', '${version}', '${model}', '${sentAt}',
    ${outcome.replied !== undefined}, ${text(outcome.replied)}, ${text(outcome.label)},
    ${outcome.meeting !== undefined}, ${text(outcome.meeting)},
    ${outcome.deal !== undefined}, ${text(outcome.deal)}, ${outcome.value ?? 'null'},
    ${outcome.bounced ?? false}, ${outcome.spam ?? false}, ${outcome.unsubscribed ?? false},
    ${outcome.cost})`;
}

const emptyCohort = {
  route: 'cohorts',
  messages_sent: 0,
  fallback_messages: 0,
  cost_usd_sum: 0,
  cost_usd_sum_squares: 0,
  replies: 0,
  positive_replies: 0,
  negative_replies: 0,
  bounces: 0,
  spam_reports: 0,
  unsubscribes: 0,
  meetings: 0,
  deals: 0,
  revenue_usd_sum: 0,
  revenue_usd_sum_squares: 0,
  reply_window_closed: true,
  meeting_window_closed: true,
  close_window_closed: true,
};

describe('rollout_daily_cohorts', () => {
  it('counts per version and UTC day what was worked out by hand', async () => {
    const cohorts = await store.leaderboard.dailyCohorts({
      route: 'cohorts',
      now,
      windows,
    });
    const rounded = cohorts.map((cohort) => ({
      ...cohort,
      cost_usd_sum: round(cohort.cost_usd_sum),
      cost_usd_sum_squares: round(cohort.cost_usd_sum_squares),
    }));
    expect(rounded).toEqual([
      {
        ...emptyCohort,
        model_version: 'c_v1',
        date: '2026-05-31',
        messages_sent: 1,
        cost_usd_sum: 0.01,
        cost_usd_sum_squares: 0.0001,
        meetings: 1,
        deals: 1,
        revenue_usd_sum: 1000,
        revenue_usd_sum_squares: 1_000_000,
        close_window_closed: false,
      },
      {
        ...emptyCohort,
        model_version: 'c_v1',
        date: '2026-06-20',
        messages_sent: 2,
        fallback_messages: 1,
        cost_usd_sum: 0.05,
        cost_usd_sum_squares: 0.0013,
        replies: 1,
        negative_replies: 1,
        bounces: 1,
        meetings: 1,
        meeting_window_closed: false,
        close_window_closed: false,
      },
      {
        ...emptyCohort,
        model_version: 'c_v1',
        date: '2026-06-27',
        messages_sent: 1,
        cost_usd_sum: 0.01,
        cost_usd_sum_squares: 0.0001,
        replies: 1,
        positive_replies: 1,
        reply_window_closed: false,
        meeting_window_closed: false,
        close_window_closed: false,
      },
      {
        ...emptyCohort,
        model_version: 'c_v2',
        date: '2026-03-22',
        messages_sent: 2,
        cost_usd_sum: 0.06,
        cost_usd_sum_squares: 0.002,
        replies: 1,
        positive_replies: 1,
        spam_reports: 1,
        unsubscribes: 1,
        meetings: 1,
        deals: 1,
        revenue_usd_sum: 5000,
        revenue_usd_sum_squares: 25_000_000,
      },
    ]);
  });

  it('takes the windows as arguments and leaves out messages sent before `since`', async () => {
    const cohorts = await store.leaderboard.dailyCohorts({
      route: 'cohorts',
      now,
      since: new Date(ago(20)),
      windows: { replyDays: 10, meetingDays: 21, closeDays: 90 },
    });
    expect(cohorts.map((cohort) => [cohort.date, cohort.reply_window_closed])).toEqual([
      ['2026-06-20', false],
      ['2026-06-27', false],
    ]);
    // With a 10-day reply window the reply that came after 9 days would count; it is before `since`.
    expect(cohorts.reduce((sum, cohort) => sum + cohort.replies, 0)).toBe(2);
  });

  it('refuses a call without a route', async () => {
    await expect(
      transportOf(store).rpc('rollout_daily_cohorts', { p_route: null }),
    ).rejects.toThrow(/route is required/);
  });
});

describe('the store-backed leaderboard source', () => {
  it('counts each metric only over messages whose window has closed', async () => {
    const registry = store.registry;
    const source = createStoreLeaderboardSource({
      cohorts: store.leaderboard,
      listModels: (route) => registry.list(route),
      windows,
    });
    const snapshot = await source.load('cohorts', now);
    const [baseline, variant] = snapshot.aggregates.arms;
    expect(baseline).toMatchObject({
      modelVersion: 'c_v1',
      isBaseline: true,
      trafficPercentage: 80,
      messagesSent: 4,
      // The message a fallback served counts as a failed request of this arm.
      errors: 1,
      fallbackMessages: 1,
      // The 3-day-old message is not in the reply cohort; the 10-day-old ones are.
      reply: { messages: 3, replies: 1, negativeReplies: 1, positiveReplies: 0, bounces: 1 },
      // The 10-day-old messages are not in the meeting cohort; the 30-day-old one is.
      meeting: { messages: 1, meetings: 1 },
      close: { messages: 0, deals: 0 },
    });
    expect(variant).toMatchObject({
      modelVersion: 'c_v2',
      isBaseline: false,
      trafficPercentage: 20,
      messagesSent: 2,
      reply: { messages: 2, replies: 1, spamReports: 1, unsubscribes: 1 },
      close: { messages: 2, deals: 1, revenue: { sum: 5000, sumOfSquares: 25_000_000 } },
    });
    expect(variant?.deployedAt?.toISOString()).toBe(ago(120));
  });
});

describe('model_leaderboard', () => {
  beforeAll(async () => {
    await sql.exec(`
      insert into public.model_registry
        (route, model_id, provider, model_version, status, is_baseline, traffic_percentage, deployed_at)
      values
        ('view_route', 'gpt-4o-mini', 'openai', 'vw_v1', 'active', true, 0, '2026-01-01T00:00:00Z'),
        ('view_route', 'ft:gpt-4o-mini:acme::vw2', 'openai', 'vw_v2', 'testing', false, 50,
         '2026-03-01T00:00:00Z');
      insert into public.outcome_labels (organization_id, route, model_version, model_id, created_at,
        replied, deal_closed, deal_value)
      values
        ('view_org', 'view_route', 'vw_v1', 'gpt-4o-mini', now() - interval '3 days', true, false, null),
        ('view_org', 'view_route', 'vw_v1', 'gpt-4o-mini', now() - interval '10 days', true, false, null),
        ('view_org', 'view_route', 'vw_v1', 'gpt-4o-mini', now() - interval '10 days', false, false, null),
        ('view_org', 'view_route', 'vw_v1', 'gpt-4o-mini', now() - interval '100 days', true, true, 2000),
        ('view_org', 'view_route', 'vw_v1', 'gpt-4o-mini', now() - interval '100 days', false, false, null),
        ('view_org', 'view_route', 'vw_v2', 'ft:gpt-4o-mini:acme::vw2', now() - interval '10 days', true, false, null),
        ('view_org', 'view_route', 'vw_v2', 'ft:gpt-4o-mini:acme::vw2', now() - interval '10 days', true, false, null),
        ('view_org', 'view_route', 'vw_v2', 'ft:gpt-4o-mini:acme::vw2', now() - interval '100 days', true, true, 3000),
        ('view_org', 'view_route', 'vw_v2', 'ft:gpt-4o-mini:acme::vw2', now() - interval '100 days', false, false, null);
    `);
  });

  it("answers the seed's query verbatim, with windowed rates", async () => {
    const rows = await sql.query<Record<string, unknown>>(
      'select model_version, total_messages_sent, reply_rate, close_rate, reply_rate_vs_baseline, close_rate_vs_baseline, deployed_at from model_leaderboard',
    );
    const mine = rows.filter((row) => String(row.model_version).startsWith('vw_'));
    const byVersion = Object.fromEntries(mine.map((row) => [row.model_version, row]));
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'model_version',
      'total_messages_sent',
      'reply_rate',
      'close_rate',
      'reply_rate_vs_baseline',
      'close_rate_vs_baseline',
      'deployed_at',
    ]);
    // vw_v1: 5 sent; reply cohort 4 (not the 3-day-old one), 2 replies; close cohort 2, 1 deal.
    expect(numbers(byVersion.vw_v1)).toEqual({
      total_messages_sent: 5,
      reply_rate: 0.5,
      close_rate: 0.5,
      reply_rate_vs_baseline: 0,
      close_rate_vs_baseline: 0,
    });
    // vw_v2: 3 of 4 replied; 1 of 2 closed → lifts +50 % and 0 %.
    expect(numbers(byVersion.vw_v2)).toEqual({
      total_messages_sent: 4,
      reply_rate: 0.75,
      close_rate: 0.5,
      reply_rate_vs_baseline: 0.5,
      close_rate_vs_baseline: 0,
    });
    expect(new Date(String(byVersion.vw_v2?.deployed_at)).toISOString()).toBe(
      '2026-03-01T00:00:00.000Z',
    );
  });

  it('carries the extra rates with 95 % Wilson bounds', async () => {
    const [row] = await sql.query<Record<string, unknown>>(
      `select route, reply_rate_ci95_lower::float8 as lower, reply_rate_ci95_upper::float8 as upper,
              reply_window_messages, close_window_messages, revenue_per_message::float8 as revenue,
              positive_reply_rate, bounce_rate, cost_per_message, cost_per_meeting
       from model_leaderboard where model_version = 'vw_v2'`,
    );
    const wilson = statistics.wilsonInterval(3, 4);
    expect(row?.route).toBe('view_route');
    expect(row?.lower).toBeCloseTo(wilson.lower, 6);
    expect(row?.upper).toBeCloseTo(wilson.upper, 6);
    expect(row).toMatchObject({
      reply_window_messages: 4,
      close_window_messages: 2,
      revenue: 1500,
    });
  });

  it('is readable over rpc for one route', async () => {
    const rows = await store.leaderboard.leaderboardView('view_route');
    expect(rows.map((row) => [row.model_version, row.is_baseline])).toEqual([
      ['vw_v1', true],
      ['vw_v2', false],
    ]);
  });
});

function round(value: number): number {
  return Math.round(value * 1e10) / 1e10;
}

function numbers(row: Record<string, unknown> | undefined): Record<string, number | null> {
  const { model_version: _version, deployed_at: _deployed, ...rest } = row ?? {};
  return Object.fromEntries(
    Object.entries(rest).map(([key, value]) => [key, value === null ? null : Number(value)]),
  );
}
