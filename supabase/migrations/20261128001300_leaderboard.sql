-- Rollout statistics from the store (docs/experiments.md):
--   * rollout_message_outcomes: one row per tracked message of a route, with whether the model that
--     served it was the one its version stands for (a fallback served it otherwise);
--   * rollout_daily_cohorts(): counts per (route, model version, UTC day) for the decision engine,
--     each outcome counted only when it happened within its window, with the day's window state;
--   * model_leaderboard: dropped and re-created with windowed rates and 95 % Wilson bounds (the
--     seed's columns model_version, total_messages_sent, reply_rate, close_rate,
--     reply_rate_vs_baseline, close_rate_vs_baseline, deployed_at keep their names);
--   * rollout_automation_claims: an automatic promote or rollback happens at most once per decision
--     and only one gateway instance acts on a route at a time.
-- Store functions follow …0400_store_functions.sql: p_ arguments, jsonb results, service_role only.

-- 95 % Wilson score bound for successes out of trials; null without trials. Plain arithmetic, so
-- every role may call it (the leaderboard view uses it under the reader's rights).
create or replace function public.wilson_bound(
  p_successes numeric,
  p_trials numeric,
  p_upper boolean
) returns numeric
language sql
immutable
set search_path = ''
as $$
  select case
    when p_trials is null or p_trials <= 0 or p_successes is null then null
    else round(greatest(0::numeric, least(1::numeric,
      (p_successes / p_trials + 3.841458820694124 / (2 * p_trials)
        + (case when p_upper then 1 else -1 end) * 1.959963984540054 * sqrt(
            greatest(0::numeric, (p_successes / p_trials) * (1 - p_successes / p_trials)) / p_trials
            + 3.841458820694124 / (4 * p_trials * p_trials)))
      / (1 + 3.841458820694124 / p_trials))), 6)
  end
$$;

-- Every tracked message of a route. served_by_assigned_model is false when a fallback generated
-- it: the version's own model is the registry's model_id (as such or as provider/model_id) when any
-- message carries it, else the model that generated most of the version's messages (catalog names
-- may differ from the registry's id). Experiment statistics count only messages served by the
-- assigned model; counting fallbacks would credit a variant with another model's work. The
-- per-version CTE is materialized so no plan re-runs that aggregate once per message.
create or replace view public.rollout_message_outcomes
with (security_invoker = true) as
with versions as materialized (
  select
    o.route,
    o.model_version,
    coalesce(
      max(o.model_id) filter (
        where r.model_id is not null and o.model_id in (r.model_id, r.provider || '/' || r.model_id)
      ),
      mode() within group (order by o.model_id)
    ) as assigned_model_id
  from public.outcome_labels o
  left join public.model_registry r on r.route = o.route and r.model_version = o.model_version
  where o.route is not null and o.model_version is not null
  group by o.route, o.model_version
)
select
  o.id,
  o.organization_id,
  o.route,
  o.model_version,
  o.model_id,
  o.created_at,
  (o.created_at at time zone 'UTC')::date as sent_on,
  (o.model_id is null or v.assigned_model_id is null or o.model_id = v.assigned_model_id)
    as served_by_assigned_model,
  o.cost_usd,
  o.delivered,
  o.opened,
  o.replied,
  o.replied_at,
  o.reply_sentiment_label,
  o.reply_sentiment_score,
  o.bounced,
  o.bounced_at,
  o.spam_reported,
  o.unsubscribed,
  o.meeting_booked,
  o.meeting_booked_at,
  o.deal_closed,
  o.deal_closed_at,
  o.deal_value,
  o.quality_score
from public.outcome_labels o
join versions v on v.route = o.route and v.model_version = o.model_version;

-- Daily cohorts of one route: per (model version, UTC day of sending) the messages served by the
-- assigned model and the outcomes they led to within their window (reply, bounce, spam and
-- unsubscribe: reply window; meeting: meeting window; deal and revenue: close window; an outcome
-- without a timestamp counts). *_window_closed says whether the window has closed for every message
-- of the day as of p_now (day end + window <= p_now); only closed days may count for a metric.
-- Failed requests are not stored, so there is no error count. p_since limits to messages sent at or
-- after it (the experiment start).
create or replace function public.rollout_daily_cohorts(
  p_route text,
  p_since timestamptz default null,
  p_now timestamptz default null,
  p_reply_window_days numeric default 7,
  p_meeting_window_days numeric default 21,
  p_close_window_days numeric default 90,
  p_organization_id text default null
) returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_now timestamptz := coalesce(p_now, now());
  v_reply interval := coalesce(p_reply_window_days, 7) * interval '1 day';
  v_meeting interval := coalesce(p_meeting_window_days, 21) * interval '1 day';
  v_close interval := coalesce(p_close_window_days, 90) * interval '1 day';
  v_result jsonb;
begin
  if p_route is null or btrim(p_route) = '' then
    raise exception 'route is required' using errcode = '22023';
  end if;
  if least(v_reply, v_meeting, v_close) <= interval '0' then
    raise exception 'outcome windows must be positive' using errcode = '22023';
  end if;
  -- The assigned-model rule of rollout_message_outcomes, for this route only (materialized: the
  -- aggregate runs once, whatever plan the join gets).
  with versions as materialized (
    select
      o.model_version,
      coalesce(
        max(o.model_id) filter (
          where r.model_id is not null
            and o.model_id in (r.model_id, r.provider || '/' || r.model_id)
        ),
        mode() within group (order by o.model_id)
      ) as assigned_model_id
    from public.outcome_labels o
    left join public.model_registry r on r.route = o.route and r.model_version = o.model_version
    where o.route = p_route and o.model_version is not null
    group by o.model_version
  ),
  messages as (
    select
      o.model_version,
      o.created_at,
      (o.created_at at time zone 'UTC')::date as sent_on,
      ((o.created_at at time zone 'UTC')::date::timestamp at time zone 'UTC') + interval '1 day'
        as day_end,
      (o.model_id is null or v.assigned_model_id is null or o.model_id = v.assigned_model_id)
        as served_by_assigned_model,
      o.cost_usd,
      o.replied and (o.replied_at is null or o.replied_at <= o.created_at + v_reply) as reply_in,
      o.reply_sentiment_label,
      o.bounced,
      o.bounced_at,
      o.spam_reported,
      o.unsubscribed,
      o.meeting_booked,
      o.meeting_booked_at,
      o.deal_closed,
      o.deal_closed_at,
      o.deal_value
    from public.outcome_labels o
    join versions v on v.model_version = o.model_version
    where o.route = p_route
      and o.created_at < v_now
      and (p_since is null or o.created_at >= p_since)
      and (p_organization_id is null or o.organization_id = p_organization_id)
  ),
  cohorts as (
    select
      m.model_version,
      m.sent_on,
      min(m.day_end) as day_end,
      count(*) filter (where m.served_by_assigned_model) as messages_sent,
      count(*) filter (where not m.served_by_assigned_model) as fallback_messages,
      coalesce(sum(m.cost_usd) filter (where m.served_by_assigned_model), 0) as cost_sum,
      coalesce(sum(m.cost_usd * m.cost_usd) filter (where m.served_by_assigned_model), 0)
        as cost_squares,
      count(*) filter (where m.served_by_assigned_model and m.reply_in) as replies,
      count(*) filter (
        where m.served_by_assigned_model and m.reply_in and m.reply_sentiment_label = 'positive'
      ) as positive_replies,
      count(*) filter (
        where m.served_by_assigned_model and m.reply_in and m.reply_sentiment_label = 'negative'
      ) as negative_replies,
      count(*) filter (
        where m.served_by_assigned_model and m.bounced
          and (m.bounced_at is null or m.bounced_at <= m.created_at + v_reply)
      ) as bounces,
      count(*) filter (where m.served_by_assigned_model and m.spam_reported) as spam_reports,
      count(*) filter (where m.served_by_assigned_model and m.unsubscribed) as unsubscribes,
      count(*) filter (
        where m.served_by_assigned_model and m.meeting_booked
          and (m.meeting_booked_at is null or m.meeting_booked_at <= m.created_at + v_meeting)
      ) as meetings,
      count(*) filter (
        where m.served_by_assigned_model and m.deal_closed
          and (m.deal_closed_at is null or m.deal_closed_at <= m.created_at + v_close)
      ) as deals,
      coalesce(sum(coalesce(m.deal_value, 0)) filter (
        where m.served_by_assigned_model and m.deal_closed
          and (m.deal_closed_at is null or m.deal_closed_at <= m.created_at + v_close)
      ), 0) as revenue_sum,
      coalesce(sum(coalesce(m.deal_value, 0) * coalesce(m.deal_value, 0)) filter (
        where m.served_by_assigned_model and m.deal_closed
          and (m.deal_closed_at is null or m.deal_closed_at <= m.created_at + v_close)
      ), 0) as revenue_squares
    from messages m
    group by m.model_version, m.sent_on
  )
  select coalesce(jsonb_agg(jsonb_build_object(
    'route', p_route,
    'model_version', c.model_version,
    'date', to_char(c.sent_on, 'YYYY-MM-DD'),
    'messages_sent', c.messages_sent,
    'fallback_messages', c.fallback_messages,
    'cost_usd_sum', c.cost_sum,
    'cost_usd_sum_squares', c.cost_squares,
    'replies', c.replies,
    'positive_replies', c.positive_replies,
    'negative_replies', c.negative_replies,
    'bounces', c.bounces,
    'spam_reports', c.spam_reports,
    'unsubscribes', c.unsubscribes,
    'meetings', c.meetings,
    'deals', c.deals,
    'revenue_usd_sum', c.revenue_sum,
    'revenue_usd_sum_squares', c.revenue_squares,
    'reply_window_closed', c.day_end + v_reply <= v_now,
    'meeting_window_closed', c.day_end + v_meeting <= v_now,
    'close_window_closed', c.day_end + v_close <= v_now
  ) order by c.model_version, c.sent_on), '[]'::jsonb)
  into v_result
  from cohorts c;
  return v_result;
end
$$;

-- One row per (route, model version) seen in the registry or in the outcomes of a route. Counts
-- (total_*) cover every message the version's own model served; rates count only messages whose
-- outcome window has closed (day of sending ended at least 7 days ago for reply, positive-reply,
-- negative-sentiment, bounce, spam and unsubscribe rates, 21 for meeting rate, 90 for close rate and
-- revenue per message — the config defaults; the API and CLI use config.rollout), and only outcomes
-- within the window. Negative sentiment is a share of replies; cost per meeting is cost per message
-- over meeting rate. *_ci95_lower / _upper are 95 % Wilson bounds; *_vs_baseline the relative lift
-- against the route's baseline ((variant − baseline) / baseline), null without a baseline or when
-- its rate is 0 or unknown. negative_reply_rate is negative_sentiment_rate under its older name.
drop view if exists public.model_leaderboard;
create view public.model_leaderboard
with (security_invoker = true) as
with messages as (
  select
    m.*,
    (m.sent_on::timestamp at time zone 'UTC') + interval '8 days' <= now() as reply_closed,
    (m.sent_on::timestamp at time zone 'UTC') + interval '22 days' <= now() as meeting_closed,
    (m.sent_on::timestamp at time zone 'UTC') + interval '91 days' <= now() as close_closed,
    m.replied and (m.replied_at is null or m.replied_at <= m.created_at + interval '7 days')
      as reply_in,
    m.meeting_booked
      and (m.meeting_booked_at is null or m.meeting_booked_at <= m.created_at + interval '21 days')
      as meeting_in,
    m.deal_closed
      and (m.deal_closed_at is null or m.deal_closed_at <= m.created_at + interval '90 days')
      as deal_in
  from public.rollout_message_outcomes m
),
stats as (
  select
    m.route,
    m.model_version,
    count(*) filter (where m.served_by_assigned_model) as total_messages_sent,
    count(*) filter (where not m.served_by_assigned_model) as fallback_messages,
    count(*) filter (where m.served_by_assigned_model and m.delivered) as total_delivered,
    count(*) filter (where m.served_by_assigned_model and m.opened) as total_opened,
    count(*) filter (where m.served_by_assigned_model and m.replied) as total_replies,
    count(*) filter (where m.served_by_assigned_model and m.meeting_booked) as total_meetings,
    count(*) filter (where m.served_by_assigned_model and m.deal_closed) as total_deals,
    avg(m.reply_sentiment_score) filter (where m.served_by_assigned_model) as avg_sentiment_score,
    coalesce(sum(m.deal_value) filter (where m.served_by_assigned_model and m.deal_closed), 0)
      as total_revenue,
    coalesce(sum(m.cost_usd) filter (where m.served_by_assigned_model), 0) as total_cost_usd,
    avg(m.quality_score) filter (where m.served_by_assigned_model) as avg_quality_score,
    max(m.created_at) filter (where m.served_by_assigned_model) as last_message_at,
    count(*) filter (where m.served_by_assigned_model and m.reply_closed) as reply_window_messages,
    count(*) filter (where m.served_by_assigned_model and m.reply_closed and m.reply_in)
      as window_replies,
    count(*) filter (
      where m.served_by_assigned_model and m.reply_closed and m.reply_in
        and m.reply_sentiment_label = 'positive'
    ) as window_positive_replies,
    count(*) filter (
      where m.served_by_assigned_model and m.reply_closed and m.reply_in
        and m.reply_sentiment_label = 'negative'
    ) as window_negative_replies,
    count(*) filter (
      where m.served_by_assigned_model and m.reply_closed and m.bounced
        and (m.bounced_at is null or m.bounced_at <= m.created_at + interval '7 days')
    ) as window_bounces,
    count(*) filter (where m.served_by_assigned_model and m.reply_closed and m.spam_reported)
      as window_spam_reports,
    count(*) filter (where m.served_by_assigned_model and m.reply_closed and m.unsubscribed)
      as window_unsubscribes,
    count(*) filter (where m.served_by_assigned_model and m.meeting_closed)
      as meeting_window_messages,
    count(*) filter (where m.served_by_assigned_model and m.meeting_closed and m.meeting_in)
      as window_meetings,
    count(*) filter (where m.served_by_assigned_model and m.close_closed) as close_window_messages,
    count(*) filter (where m.served_by_assigned_model and m.close_closed and m.deal_in)
      as window_deals,
    coalesce(sum(coalesce(m.deal_value, 0)) filter (
      where m.served_by_assigned_model and m.close_closed and m.deal_in
    ), 0) as window_revenue
  from messages m
  group by m.route, m.model_version
),
versions as (
  select
    coalesce(r.route, s.route) as route,
    coalesce(r.model_version, s.model_version) as model_version,
    r.model_id,
    r.provider,
    r.status,
    coalesce(r.is_baseline, false) as is_baseline,
    r.traffic_percentage,
    r.deployed_at,
    coalesce(s.total_messages_sent, 0) as total_messages_sent,
    coalesce(s.fallback_messages, 0) as fallback_messages,
    coalesce(s.total_delivered, 0) as total_delivered,
    coalesce(s.total_opened, 0) as total_opened,
    coalesce(s.total_replies, 0) as total_replies,
    coalesce(s.total_meetings, 0) as total_meetings,
    coalesce(s.total_deals, 0) as total_deals,
    s.avg_sentiment_score,
    coalesce(s.total_revenue, 0) as total_revenue,
    coalesce(s.total_cost_usd, 0) as total_cost_usd,
    s.avg_quality_score,
    s.last_message_at,
    coalesce(s.reply_window_messages, 0) as reply_window_messages,
    coalesce(s.window_replies, 0) as window_replies,
    coalesce(s.window_positive_replies, 0) as window_positive_replies,
    coalesce(s.window_negative_replies, 0) as window_negative_replies,
    coalesce(s.window_bounces, 0) as window_bounces,
    coalesce(s.window_spam_reports, 0) as window_spam_reports,
    coalesce(s.window_unsubscribes, 0) as window_unsubscribes,
    coalesce(s.meeting_window_messages, 0) as meeting_window_messages,
    coalesce(s.window_meetings, 0) as window_meetings,
    coalesce(s.close_window_messages, 0) as close_window_messages,
    coalesce(s.window_deals, 0) as window_deals,
    coalesce(s.window_revenue, 0) as window_revenue
  from public.model_registry r
  full join stats s on s.route = r.route and s.model_version = r.model_version
),
rates as (
  select
    v.*,
    round(v.window_replies::numeric / nullif(v.reply_window_messages, 0), 6) as reply_rate,
    round(v.window_positive_replies::numeric / nullif(v.reply_window_messages, 0), 6)
      as positive_reply_rate,
    round(v.window_meetings::numeric / nullif(v.meeting_window_messages, 0), 6) as meeting_rate,
    round(v.window_deals::numeric / nullif(v.close_window_messages, 0), 6) as close_rate,
    round(v.window_negative_replies::numeric / nullif(v.window_replies, 0), 6)
      as negative_sentiment_rate,
    round(v.window_bounces::numeric / nullif(v.reply_window_messages, 0), 6) as bounce_rate,
    round(v.window_spam_reports::numeric / nullif(v.reply_window_messages, 0), 6) as spam_rate,
    round(v.window_unsubscribes::numeric / nullif(v.reply_window_messages, 0), 6)
      as unsubscribe_rate,
    round(v.window_revenue / nullif(v.close_window_messages, 0), 6) as revenue_per_message,
    round(v.total_cost_usd / nullif(v.total_messages_sent, 0), 8) as cost_per_message
  from versions v
)
select
  r.route,
  r.model_version,
  r.model_id,
  r.provider,
  r.status,
  r.is_baseline,
  r.traffic_percentage,
  r.total_messages_sent,
  r.total_delivered,
  r.total_opened,
  r.total_replies,
  r.total_meetings,
  r.total_deals,
  r.reply_rate,
  r.meeting_rate,
  r.close_rate,
  round(r.avg_sentiment_score, 4) as avg_sentiment_score,
  r.negative_sentiment_rate as negative_reply_rate,
  r.total_revenue,
  r.total_cost_usd,
  round(r.cost_per_message / nullif(r.meeting_rate, 0), 6) as cost_per_meeting,
  round(r.avg_quality_score, 4) as avg_quality_score,
  round((r.reply_rate - b.reply_rate) / nullif(b.reply_rate, 0), 6) as reply_rate_vs_baseline,
  round((r.meeting_rate - b.meeting_rate) / nullif(b.meeting_rate, 0), 6)
    as meeting_rate_vs_baseline,
  round((r.close_rate - b.close_rate) / nullif(b.close_rate, 0), 6) as close_rate_vs_baseline,
  r.deployed_at,
  r.last_message_at,
  r.fallback_messages,
  r.reply_window_messages,
  r.meeting_window_messages,
  r.close_window_messages,
  r.positive_reply_rate,
  r.negative_sentiment_rate,
  r.bounce_rate,
  r.spam_rate,
  r.unsubscribe_rate,
  r.revenue_per_message,
  r.cost_per_message,
  public.wilson_bound(r.window_replies, r.reply_window_messages, false) as reply_rate_ci95_lower,
  public.wilson_bound(r.window_replies, r.reply_window_messages, true) as reply_rate_ci95_upper,
  public.wilson_bound(r.window_positive_replies, r.reply_window_messages, false)
    as positive_reply_rate_ci95_lower,
  public.wilson_bound(r.window_positive_replies, r.reply_window_messages, true)
    as positive_reply_rate_ci95_upper,
  public.wilson_bound(r.window_meetings, r.meeting_window_messages, false)
    as meeting_rate_ci95_lower,
  public.wilson_bound(r.window_meetings, r.meeting_window_messages, true)
    as meeting_rate_ci95_upper,
  public.wilson_bound(r.window_deals, r.close_window_messages, false) as close_rate_ci95_lower,
  public.wilson_bound(r.window_deals, r.close_window_messages, true) as close_rate_ci95_upper,
  public.wilson_bound(r.window_negative_replies, r.window_replies, false)
    as negative_sentiment_rate_ci95_lower,
  public.wilson_bound(r.window_negative_replies, r.window_replies, true)
    as negative_sentiment_rate_ci95_upper,
  public.wilson_bound(r.window_bounces, r.reply_window_messages, false) as bounce_rate_ci95_lower,
  public.wilson_bound(r.window_bounces, r.reply_window_messages, true) as bounce_rate_ci95_upper,
  public.wilson_bound(r.window_spam_reports, r.reply_window_messages, false)
    as spam_rate_ci95_lower,
  public.wilson_bound(r.window_spam_reports, r.reply_window_messages, true)
    as spam_rate_ci95_upper,
  public.wilson_bound(r.window_unsubscribes, r.reply_window_messages, false)
    as unsubscribe_rate_ci95_lower,
  public.wilson_bound(r.window_unsubscribes, r.reply_window_messages, true)
    as unsubscribe_rate_ci95_upper
from rates r
left join rates b on b.route = r.route and b.is_baseline;

-- The view's rows over rpc (Supabase transport), optionally for one route.
create or replace function public.list_model_leaderboard(p_route text default null)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(to_jsonb(l) order by l.route, l.is_baseline desc, l.model_version),
                  '[]'::jsonb)
  from public.model_leaderboard l
  where p_route is null or l.route = p_route
$$;

-- Automatic registry changes. A decision is keyed by action, route, model version and the
-- variant's deployment time, so the same decision is acted on once, while a re-deployed variant is
-- judged afresh. A claim that failed may be retried (up to 3 attempts); one left 'claimed' by an
-- instance that died is taken over after p_stale_after_seconds.
create table if not exists public.rollout_automation_claims (
  decision_key text primary key,
  route text not null,
  model_version text not null,
  action text not null check (action in ('promote', 'rollback')),
  status text not null default 'claimed' check (status in ('claimed', 'applied', 'failed')),
  holder text,
  attempts integer not null default 1,
  details jsonb not null default '{}'::jsonb,
  error text,
  claimed_at timestamptz not null default now(),
  finished_at timestamptz
);
create index if not exists rollout_automation_claims_route_idx
  on public.rollout_automation_claims (route, claimed_at desc);

revoke all on table public.rollout_automation_claims from anon, authenticated;
grant all on table public.rollout_automation_claims to service_role;
alter table public.rollout_automation_claims enable row level security;

-- The claim row when the caller now holds the decision, else null (another instance acts on this
-- route right now, or the decision was already acted on). One instance at a time per route: the
-- others skip this round instead of waiting.
create or replace function public.claim_rollout_action(
  p_decision_key text,
  p_route text,
  p_model_version text,
  p_action text,
  p_holder text,
  p_details jsonb default '{}'::jsonb,
  p_stale_after_seconds integer default 600
) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_row public.rollout_automation_claims;
begin
  if p_decision_key is null or p_route is null or p_model_version is null then
    raise exception 'decision key, route and model version are required' using errcode = '22023';
  end if;
  if not pg_try_advisory_xact_lock(hashtext('rekindle_rollout_automation:' || p_route)) then
    return null;
  end if;
  insert into public.rollout_automation_claims
    (decision_key, route, model_version, action, holder, details)
  values (p_decision_key, p_route, p_model_version, p_action, p_holder,
          coalesce(p_details, '{}'::jsonb))
  on conflict (decision_key) do update
    set status = 'claimed', holder = excluded.holder, details = excluded.details,
        attempts = public.rollout_automation_claims.attempts + 1, error = null,
        claimed_at = now(), finished_at = null
    where (public.rollout_automation_claims.status = 'failed'
           and public.rollout_automation_claims.attempts < 3)
       or (public.rollout_automation_claims.status = 'claimed'
           and public.rollout_automation_claims.claimed_at
               < now() - make_interval(secs => coalesce(p_stale_after_seconds, 600)))
  returning * into v_row;
  if not found then
    return null;
  end if;
  return to_jsonb(v_row);
end
$$;

-- Records how a claimed decision ended ('applied' or 'failed' with the error); only the holder may.
create or replace function public.finish_rollout_action(
  p_decision_key text,
  p_holder text,
  p_status text,
  p_error text default null
) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_row public.rollout_automation_claims;
begin
  if p_status not in ('applied', 'failed') then
    raise exception 'status must be applied or failed' using errcode = '22023';
  end if;
  update public.rollout_automation_claims
  set status = p_status, error = p_error, finished_at = now()
  where decision_key = p_decision_key and holder is not distinct from p_holder
    and status = 'claimed'
  returning * into v_row;
  if not found then
    return null;
  end if;
  return to_jsonb(v_row);
end
$$;

create or replace function public.list_rollout_action_claims(
  p_route text default null,
  p_limit integer default 100
) returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(to_jsonb(c) order by c.claimed_at desc), '[]'::jsonb)
  from (
    select * from public.rollout_automation_claims
    where p_route is null or route = p_route
    order by claimed_at desc
    limit greatest(coalesce(p_limit, 100), 1)
  ) c
$$;

revoke all on table public.model_leaderboard, public.rollout_message_outcomes
  from anon, authenticated;
grant select on table public.model_leaderboard, public.rollout_message_outcomes
  to authenticated, service_role;

do $$
declare
  v_function regprocedure;
begin
  for v_function in
    select p.oid::regprocedure from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public' and p.proname in (
      'rollout_daily_cohorts', 'list_model_leaderboard', 'claim_rollout_action',
      'finish_rollout_action', 'list_rollout_action_claims'
    )
  loop
    execute format('revoke all on function %s from public, anon, authenticated', v_function);
    execute format('grant execute on function %s to service_role', v_function);
  end loop;
end
$$;
