-- Views for training, rollout and the dashboards. All are security_invoker (PostgreSQL >= 15), so a
-- tenant reading them through PostgREST sees only its own organization's outcomes (RLS of the
-- underlying tables applies); service_role and the owner see everything.

-- Outcomes good enough to train on at the default threshold (0.6): a generated message with the
-- prompt that produced it. export_training_outcomes() applies the same rule with any threshold.
create or replace view public.training_ready_outcomes
with (security_invoker = true) as
select o.*
from public.outcome_labels o
where o.quality_score >= 0.6
  and o.message_body is not null and btrim(o.message_body) <> ''
  and jsonb_typeof(o.prompt_messages) = 'array' and jsonb_array_length(o.prompt_messages) > 0;

-- Registry rows currently receiving traffic.
create or replace view public.active_models
with (security_invoker = true) as
select r.*
from public.model_registry r
where r.status in ('active', 'testing');

-- One row per (route, model version) seen in the registry or in the outcomes. Rates are shares of
-- messages sent; *_vs_baseline is the relative lift against the route's baseline
-- ((variant - baseline) / baseline; 0.12 = +12 %), null without a baseline or when its rate is 0.
-- Kept a plain view: later migrations extend it by dropping and re-creating it.
-- Recreated by a later migration with more columns; a view cannot lose columns in place.
drop view if exists public.model_leaderboard;
create or replace view public.model_leaderboard
with (security_invoker = true) as
with stats as (
  select
    o.route,
    o.model_version,
    count(*) as total_messages_sent,
    count(*) filter (where o.delivered) as total_delivered,
    count(*) filter (where o.opened) as total_opened,
    count(*) filter (where o.replied) as total_replies,
    count(*) filter (where o.meeting_booked) as total_meetings,
    count(*) filter (where o.deal_closed) as total_deals,
    count(*) filter (where o.replied and o.reply_sentiment_label = 'negative') as negative_replies,
    avg(o.reply_sentiment_score) as avg_sentiment_score,
    coalesce(sum(o.deal_value) filter (where o.deal_closed), 0) as total_revenue,
    coalesce(sum(o.cost_usd), 0) as total_cost_usd,
    avg(o.quality_score) as avg_quality_score,
    max(o.created_at) as last_message_at
  from public.outcome_labels o
  where o.model_version is not null
  group by o.route, o.model_version
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
    coalesce(s.total_delivered, 0) as total_delivered,
    coalesce(s.total_opened, 0) as total_opened,
    coalesce(s.total_replies, 0) as total_replies,
    coalesce(s.total_meetings, 0) as total_meetings,
    coalesce(s.total_deals, 0) as total_deals,
    coalesce(s.negative_replies, 0) as negative_replies,
    s.avg_sentiment_score,
    coalesce(s.total_revenue, 0) as total_revenue,
    coalesce(s.total_cost_usd, 0) as total_cost_usd,
    s.avg_quality_score,
    s.last_message_at
  from public.model_registry r
  full join stats s on s.route = r.route and s.model_version = r.model_version
),
rates as (
  select
    v.*,
    round(v.total_replies::numeric / nullif(v.total_messages_sent, 0), 6) as reply_rate,
    round(v.total_meetings::numeric / nullif(v.total_messages_sent, 0), 6) as meeting_rate,
    round(v.total_deals::numeric / nullif(v.total_messages_sent, 0), 6) as close_rate,
    round(v.negative_replies::numeric / nullif(v.total_replies, 0), 6) as negative_reply_rate,
    round(v.total_cost_usd / nullif(v.total_meetings, 0), 6) as cost_per_meeting
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
  r.negative_reply_rate,
  r.total_revenue,
  r.total_cost_usd,
  r.cost_per_meeting,
  round(r.avg_quality_score, 4) as avg_quality_score,
  round((r.reply_rate - b.reply_rate) / nullif(b.reply_rate, 0), 6) as reply_rate_vs_baseline,
  round((r.meeting_rate - b.meeting_rate) / nullif(b.meeting_rate, 0), 6)
    as meeting_rate_vs_baseline,
  round((r.close_rate - b.close_rate) / nullif(b.close_rate, 0), 6) as close_rate_vs_baseline,
  r.deployed_at,
  r.last_message_at
from rates r
left join rates b on b.route = r.route and b.is_baseline;

-- The flywheel per ISO week (UTC): volume, funnel rates, revenue, how many outcomes became
-- training-ready (default threshold) and how many model versions generated messages.
create or replace view public.flywheel_weekly
with (security_invoker = true) as
select
  date_trunc('week', o.created_at at time zone 'UTC')::date as week_start,
  to_char(date_trunc('week', o.created_at at time zone 'UTC'), 'IYYY-"W"IW') as iso_week,
  count(*) as messages_sent,
  count(*) filter (where o.replied) as replies,
  count(*) filter (where o.meeting_booked) as meetings,
  count(*) filter (where o.deal_closed) as deals,
  round(count(*) filter (where o.replied)::numeric / count(*), 6) as reply_rate,
  round(count(*) filter (where o.meeting_booked)::numeric / count(*), 6) as meeting_rate,
  round(count(*) filter (where o.deal_closed)::numeric / count(*), 6) as close_rate,
  coalesce(sum(o.deal_value) filter (where o.deal_closed), 0) as revenue,
  coalesce(sum(o.cost_usd), 0) as cost_usd,
  count(*) filter (where o.quality_score >= 0.6
    and o.message_body is not null and btrim(o.message_body) <> ''
    and jsonb_typeof(o.prompt_messages) = 'array' and jsonb_array_length(o.prompt_messages) > 0
  ) as training_ready_count,
  count(distinct o.model_version) as active_model_versions
from public.outcome_labels o
group by 1, 2;

revoke all on table
  public.training_ready_outcomes, public.active_models, public.model_leaderboard,
  public.flywheel_weekly
  from anon, authenticated;
grant select on table
  public.training_ready_outcomes, public.active_models, public.model_leaderboard,
  public.flywheel_weekly
  to authenticated, service_role;

-- Indexes for the export's keyset scan and the weekly rollup.
create index if not exists outcome_labels_created_idx on public.outcome_labels (created_at);
