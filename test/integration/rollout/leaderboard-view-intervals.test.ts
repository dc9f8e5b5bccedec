import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildLeaderboard,
  createStoreLeaderboardSource,
  defaultDecisionOptions,
} from '../../../src/pipeline/rollout/index.ts';
import { type Store, storeOverTransport } from '../../../src/store/create-store.ts';
import { migrate } from '../../../src/store/migrate.ts';
import type { SqlExecutor } from '../../../src/store/sql-executor.ts';
import { PostgresTransport } from '../../../src/store/transports/postgres-transport.ts';
import { closeSharedPglite, sharedPglite } from '../../helpers/pglite.ts';
import { type PostgresServer, startPostgresServer } from '../../helpers/postgres-server.ts';
import { describeWithServices, postgresService } from '../../helpers/services.ts';

/**
 * The 95 % intervals of revenue per message, cost per message and cost per meeting in the
 * model_leaderboard view (…000900_leaderboard.sql): against values worked out here
 * from the raw messages, and against the intervals the API computes from the same rows (store
 * leaderboard source → buildLeaderboard), on PGlite and on PostgreSQL 15.
 */

// t(0.975, ν) as published (R qt(0.975, ν), SciPy t.ppf(0.975, ν)) and the normal 0.975 quantile.
const studentT975: Readonly<Record<number, number>> = {
  1: 12.706204736174694,
  2: 4.302652729749462,
  3: 3.1824463052837078,
  4: 2.7764451051977934,
  5: 2.5705818356363146,
  10: 2.228138851986274,
  30: 2.0422724563012378,
  100: 1.9839715185235518,
  999: 1.9623414611334493,
  1000: 1.9623390808264083,
  5000: 1.9604385517065073,
};
const normal975 = 1.959963984540054;

type Interval = readonly [number, number];

/** Mean ± t(0.975, n − 1) · s / √n, with s from the values themselves (two passes). */
function meanInterval(values: readonly number[]): Interval | null {
  const count = values.length;
  if (count < 2) {
    return null;
  }
  const mean = values.reduce((sum, value) => sum + value, 0) / count;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (count - 1);
  const multiplier = studentT975[count - 1];
  if (multiplier === undefined) {
    throw new Error(`no t value for ${count - 1} degrees of freedom`);
  }
  const halfWidth = multiplier * Math.sqrt(variance / count);
  return [mean - halfWidth, mean + halfWidth];
}

/** (mean cost / meeting rate) · exp(∓ z √(s² / (n c̄²) + (1 − m) / (n_m m))). */
function costPerMeetingInterval(
  costs: readonly number[],
  meetingMessages: number,
  meetings: number,
): Interval | null {
  const count = costs.length;
  const mean = costs.reduce((sum, value) => sum + value, 0) / count;
  if (meetings === 0 || mean <= 0) {
    return null;
  }
  const variance =
    count > 1 ? costs.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (count - 1) : 0;
  const rate = meetings / meetingMessages;
  const value = mean / rate;
  const logHalfWidth =
    normal975 * Math.sqrt(variance / (count * mean * mean) + (1 - rate) / (meetingMessages * rate));
  return [value * Math.exp(-logHalfWidth), value * Math.exp(logHalfWidth)];
}

// The data set: what counts for each metric under the default windows (close 90 days, meeting 21).
const baselineCosts = [0.01, 0.02, 0.03, 0.04, 0.05, 0.06];
// Close cohort of lvi_v1: the four 100-day-old messages; the 9000 deal came after 95 days.
const baselineRevenue = [1000, 0, 3000, 0];
const variantCosts = [0.02, 0.02, 0.02];
const variantRevenue = [2000, 0];

const expected = {
  lvi_v1: {
    revenue_per_message: meanInterval(baselineRevenue),
    cost_per_message: meanInterval(baselineCosts),
    // Meeting cohort: the 100- and 30-day-old messages (5); meetings within 21 days: 3.
    cost_per_meeting: costPerMeetingInterval(baselineCosts, 5, 3),
  },
  lvi_v2: {
    revenue_per_message: meanInterval(variantRevenue),
    // Every cost the same: s = 0, the interval is the point.
    cost_per_message: meanInterval(variantCosts),
    cost_per_meeting: costPerMeetingInterval(variantCosts, 2, 1),
  },
  // One message, no meeting: no interval anywhere.
  lvi_s1: { revenue_per_message: null, cost_per_message: null, cost_per_meeting: null },
} as const;

const seedSql = `
  insert into public.model_registry
    (route, model_id, provider, model_version, status, is_baseline, traffic_percentage, deployed_at)
  values
    ('lvi_route', 'gpt-4o-mini', 'openai', 'lvi_v1', 'active', true, 50, now() - interval '200 days'),
    ('lvi_route', 'ft:gpt-4o-mini:acme::lvi2', 'openai', 'lvi_v2', 'testing', false, 50,
     now() - interval '200 days');
  with sent (version, model, days_ago, cost, meeting_after, deal_after, deal_value) as (
    values
      ('lvi_v1', 'gpt-4o-mini', 100, 0.01, 5, 30, 1000),
      ('lvi_v1', 'gpt-4o-mini', 100, 0.02, null, null, null),
      ('lvi_v1', 'gpt-4o-mini', 100, 0.03, 3, 40, 3000),
      -- Meeting after 25 days and deal after 95: both outside their windows.
      ('lvi_v1', 'gpt-4o-mini', 100, 0.04, 25, 95, 9000),
      -- Close window still open: in the meeting cohort, not in the revenue one.
      ('lvi_v1', 'gpt-4o-mini', 30, 0.05, 2, 10, 5000),
      -- Meeting window still open: in the cost only.
      ('lvi_v1', 'gpt-4o-mini', 10, 0.06, 1, null, null),
      -- Served by a fallback model: in no count.
      ('lvi_v1', 'claude-3-5-haiku', 100, 0.5, 1, 10, 100000),
      ('lvi_v2', 'ft:gpt-4o-mini:acme::lvi2', 100, 0.02, 2, 20, 2000),
      ('lvi_v2', 'ft:gpt-4o-mini:acme::lvi2', 100, 0.02, null, null, null),
      ('lvi_v2', 'ft:gpt-4o-mini:acme::lvi2', 10, 0.02, null, null, null),
      ('lvi_s1', 'gpt-4o', 100, 0.05, null, 10, 500)
  )
  insert into public.outcome_labels (organization_id, route, model_version, model_id, created_at,
    cost_usd, meeting_booked, meeting_booked_at, deal_closed, deal_closed_at, deal_value)
  select 'lvi_org', case when version = 'lvi_s1' then 'lvi_single' else 'lvi_route' end, version,
    model, now() - days_ago * interval '1 day', cost, meeting_after is not null,
    now() - days_ago * interval '1 day' + meeting_after * interval '1 day', deal_after is not null,
    now() - days_ago * interval '1 day' + deal_after * interval '1 day', deal_value
  from sent;
`;

const intervalColumns = [
  'revenue_per_message_ci95_lower',
  'revenue_per_message_ci95_upper',
  'cost_per_message_ci95_lower',
  'cost_per_message_ci95_upper',
  'cost_per_meeting_ci95_lower',
  'cost_per_meeting_ci95_upper',
] as const;

type ValueMetric = 'revenue_per_message' | 'cost_per_message' | 'cost_per_meeting';
const valueMetrics: readonly ValueMetric[] = [
  'revenue_per_message',
  'cost_per_message',
  'cost_per_meeting',
];

interface Target {
  readonly store: Store;
  readonly executor: SqlExecutor;
  close(): Promise<void>;
}

function viewIntervalChecks(open: () => Promise<Target>) {
  let target: Target;
  let view: Map<string, Record<string, number | null>>;

  beforeAll(async () => {
    target = await open();
    await target.executor.exec(seedSql);
    const rows = await target.executor.query<Record<string, unknown>>(
      `select model_version, ${intervalColumns.map((name) => `${name}::float8 as ${name}`).join(', ')}
       from public.model_leaderboard where route in ('lvi_route', 'lvi_single')`,
    );
    view = new Map(
      rows.map((row) => {
        const { model_version: version, ...bounds } = row;
        return [String(version), bounds as Record<string, number | null>];
      }),
    );
  }, 120_000);
  afterAll(async () => {
    await target?.close();
  });

  it('appends the six interval columns after every existing column', async () => {
    const columns = await target.executor.query<{ name: string }>(
      `select attname as name from pg_attribute
       where attrelid = 'public.model_leaderboard'::regclass and attnum > 0 and not attisdropped
       order by attnum`,
    );
    const names = columns.map((column) => column.name);
    expect(names.slice(0, 7)).toEqual([
      'route',
      'model_version',
      'model_id',
      'provider',
      'status',
      'is_baseline',
      'traffic_percentage',
    ]);
    expect(names.slice(-7)).toEqual(['unsubscribe_rate_ci95_upper', ...intervalColumns]);
    // …1300's 54 columns, then the 6 new ones (create or replace view refuses to rename, retype or
    // reorder an existing column, so the 54 are those of …1300).
    expect(names).toHaveLength(60);
  });

  it('matches the intervals worked out from the raw messages', () => {
    expect([...view.keys()].sort()).toEqual(['lvi_s1', 'lvi_v1', 'lvi_v2']);
    for (const [version, metrics] of Object.entries(expected)) {
      const row = view.get(version);
      for (const metric of valueMetrics) {
        const interval = metrics[metric];
        const digits = metric === 'cost_per_message' ? 8 : 6;
        const lower = row?.[`${metric}_ci95_lower`];
        const upper = row?.[`${metric}_ci95_upper`];
        if (interval === null) {
          expect([version, metric, lower, upper]).toEqual([version, metric, null, null]);
          continue;
        }
        expect(lower, `${version} ${metric} lower`).toBeCloseTo(interval[0], digits - 1);
        expect(upper, `${version} ${metric} upper`).toBeCloseTo(interval[1], digits - 1);
      }
    }
    // The same numbers, written out: revenue 1000 ± 3.182446 · 707.107 (not clamped at 0); cost
    // 0.035 ± 2.570582 · 0.0076376; cost per meeting 0.058333 · exp(∓1.96 · √0.180952).
    expect(view.get('lvi_v1')).toMatchObject({
      revenue_per_message_ci95_lower: -1250.329363,
      revenue_per_message_ci95_upper: 3250.329363,
      cost_per_message_ci95_lower: 0.01536686,
      cost_per_message_ci95_upper: 0.05463314,
      cost_per_meeting_ci95_lower: 0.025341,
      cost_per_meeting_ci95_upper: 0.134278,
    });
    expect(view.get('lvi_v2')).toMatchObject({
      cost_per_message_ci95_lower: 0.02,
      cost_per_message_ci95_upper: 0.02,
    });
  });

  it('agrees with the intervals of the API (store leaderboard source) on the same rows', async () => {
    const registry = target.store.registry;
    const source = createStoreLeaderboardSource({
      cohorts: target.store.leaderboard,
      listModels: (route) => registry.list(route),
      windows: defaultDecisionOptions.windows,
    });
    const now = new Date();
    let compared = 0;
    for (const route of ['lvi_route', 'lvi_single']) {
      const snapshot = await source.load(route, now);
      const board = buildLeaderboard(snapshot.aggregates, now);
      expect(board.rows.length).toBeGreaterThan(0);
      for (const apiRow of board.rows) {
        const viewRow = view.get(apiRow.model_version);
        for (const metric of valueMetrics) {
          const pair = apiRow[`${metric}_ci95`] as Interval | null;
          const lower = viewRow?.[`${metric}_ci95_lower`];
          const upper = viewRow?.[`${metric}_ci95_upper`];
          const label = `${apiRow.model_version} ${metric}`;
          if (pair === null) {
            expect([label, lower, upper]).toEqual([label, null, null]);
            continue;
          }
          const digits = metric === 'cost_per_message' ? 7 : 5;
          expect(lower, `${label} lower`).toBeCloseTo(pair[0], digits);
          expect(upper, `${label} upper`).toBeCloseTo(pair[1], digits);
          compared += 1;
        }
      }
    }
    // lvi_v1 and lvi_v2 have all three intervals; lvi_s1 none (null on both sides).
    expect(compared).toBe(6);
  });

  it('student_t_quantile_975 gives the published t values', async () => {
    const degrees = Object.keys(studentT975).map(Number);
    const rows = await target.executor.query<{ degrees: number; quantile: number }>(
      `select d::int as degrees, public.student_t_quantile_975(d) as quantile
       from unnest($1::bigint[]) d order by d`,
      [degrees],
    );
    for (const row of rows) {
      expect(row.quantile, `ν = ${row.degrees}`).toBeCloseTo(studentT975[row.degrees] ?? 0, 12);
    }
    const [none] = await target.executor.query<{ quantile: number | null }>(
      'select public.student_t_quantile_975(0) as quantile',
    );
    expect(none?.quantile).toBeNull();
  });
}

describe('model_leaderboard value intervals on PGlite', () => {
  viewIntervalChecks(async () => {
    const transport = await sharedPglite();
    return {
      store: storeOverTransport(transport, transport.executor),
      executor: transport.executor,
      close: closeSharedPglite,
    };
  });
});

describeWithServices(
  [postgresService()],
  'model_leaderboard value intervals on PostgreSQL 15',
  () => {
    let server: PostgresServer;
    viewIntervalChecks(async () => {
      server = await startPostgresServer();
      const transport = new PostgresTransport({ connectionString: server.url });
      await migrate(transport.executor);
      return {
        store: storeOverTransport(transport, transport.executor),
        executor: transport.executor,
        async close() {
          await transport.close();
          await server.stop();
        },
      };
    });
  },
);
