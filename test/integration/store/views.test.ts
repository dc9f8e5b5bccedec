import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlExecutor } from '../../../src/store/sql-executor.ts';
import { closeSharedPglite, sharedPglite } from '../../helpers/pglite.ts';

/** The dashboard and rollout views, on data whose answers are worked out by hand below. */
describe('views', () => {
  let sql: SqlExecutor;

  beforeAll(async () => {
    sql = (await sharedPglite()).executor;
    await sql.exec(`
      insert into public.model_registry
        (route, model_id, provider, model_version, status, is_baseline, traffic_percentage, deployed_at)
      values
        ('views_route', 'gpt-4o-mini', 'openai', 'views_v1', 'active', true, 90, '2026-11-01T00:00:00Z'),
        ('views_route', 'ft:gpt-4o-mini:v2', 'openai', 'views_v2', 'testing', false, 10, '2026-11-10T00:00:00Z'),
        ('views_route', 'ft:gpt-4o-mini:v0', 'openai', 'views_v0', 'deprecated', false, 0, null);
    `);
    // Baseline: 10 messages, 2 replies, 1 meeting, 1 deal. Variant: 10 messages, 3 replies, 2 deals.
    const rows: string[] = [];
    for (let index = 0; index < 20; index += 1) {
      const variant = index >= 10;
      const position = index % 10;
      const replied = variant ? position < 3 : position < 2;
      const dealt = variant ? position < 2 : position < 1;
      const week = position < 5 ? '2026-11-02T10:00:00Z' : '2026-11-09T10:00:00Z';
      rows.push(`('views_org', 'views_route', '${variant ? 'views_v2' : 'views_v1'}',
        'message ${index}', '[{"role":"user","content":"p"}]', ${replied},
        ${replied ? `'positive'` : 'null'}, ${dealt}, ${dealt ? 1000 : 'null'}, ${dealt},
        0.01, '${week}')`);
    }
    await sql.exec(`
      insert into public.outcome_labels (organization_id, route, model_version, message_body,
        prompt_messages, replied, reply_sentiment_label, meeting_booked, deal_value, deal_closed,
        cost_usd, created_at)
      values ${rows.join(',\n')};
    `);
    // Reported without a prompt (training-ready all the same), or without a body (never).
    await sql.exec(`
      insert into public.outcome_labels (organization_id, message_body, prompt_messages, replied,
        reply_sentiment_label, created_at)
      values ('views_org', 'reported without a prompt', null, true, 'positive', '2026-11-16T10:00:00Z'),
             ('views_org', 'reported with an empty prompt', '[]', true, 'positive', '2026-11-16T11:00:00Z'),
             ('views_org', '  ', '[{"role":"user","content":"p"}]', true, 'positive', '2026-11-16T12:00:00Z');
    `);
  });
  afterAll(closeSharedPglite);

  // Meeting and close rates count only messages whose 21/90-day windows have closed (covered by
  // test/integration/rollout); the reply window of these rows has closed.
  it('model_leaderboard compares each version with the route baseline', async () => {
    const board = await sql.query<Record<string, unknown>>(
      `select model_version, status, is_baseline, total_messages_sent::int as sent,
              reply_rate::float8 as reply_rate, meeting_rate::float8 as meeting_rate,
              close_rate::float8 as close_rate,
              reply_rate_vs_baseline::float8 as reply_lift,
              close_rate_vs_baseline::float8 as close_lift,
              total_revenue::float8 as revenue, deployed_at
       from public.model_leaderboard where route = 'views_route' order by model_version`,
    );
    expect(board).toHaveLength(3);
    expect(board[0]).toMatchObject({ model_version: 'views_v0', sent: 0, reply_rate: null });
    expect(board[1]).toMatchObject({
      model_version: 'views_v1',
      is_baseline: true,
      sent: 10,
      reply_rate: 0.2,
      reply_lift: 0,
      revenue: 1000,
    });
    expect(board[2]).toMatchObject({
      model_version: 'views_v2',
      status: 'testing',
      sent: 10,
      reply_rate: 0.3,
      reply_lift: 0.5,
      revenue: 2000,
    });
    expect(new Date(String(board[2]?.deployed_at)).toISOString()).toBe('2026-11-10T00:00:00.000Z');
  });

  it('active_models lists what takes traffic', async () => {
    const active = await sql.query<{ model_version: string }>(
      `select model_version from public.active_models where route = 'views_route' order by 1`,
    );
    expect(active.map((row) => row.model_version)).toEqual(['views_v1', 'views_v2']);
  });

  it('flywheel_weekly rolls the funnel up per ISO week', async () => {
    const weeks = await sql.query<Record<string, unknown>>(
      `select iso_week, messages_sent::int as sent, replies::int as replies, deals::int as deals,
              reply_rate::float8 as reply_rate, revenue::float8 as revenue,
              training_ready_count::int as ready, active_model_versions::int as versions
       from public.flywheel_weekly where iso_week in ('2026-W45', '2026-W46') order by iso_week`,
    );
    expect(weeks).toEqual([
      {
        iso_week: '2026-W45',
        sent: 10,
        replies: 5,
        deals: 3,
        reply_rate: 0.5,
        revenue: 3000,
        ready: 5,
        versions: 2,
      },
      {
        iso_week: '2026-W46',
        sent: 10,
        replies: 0,
        deals: 0,
        reply_rate: 0,
        revenue: 0,
        ready: 0,
        versions: 2,
      },
    ]);
  });

  it('training_ready_outcomes holds outcomes at or above 0.6 with a message body', async () => {
    const [ready] = await sql.query<{ count: number }>(
      `select count(*)::int as count from public.training_ready_outcomes where organization_id = 'views_org'`,
    );
    expect(ready?.count).toBe(7);
    const [week] = await sql.query<{ ready: number; sent: number }>(
      `select training_ready_count::int as ready, messages_sent::int as sent
       from public.flywheel_weekly where iso_week = '2026-W47'`,
    );
    expect(week).toEqual({ ready: 2, sent: 3 });
  });
});
