-- Rollout statistics from the store (docs/experiments.md):
--   * rollout_message_outcomes: one row per tracked message of a route, with whether the model that
--     served it was the one its version stands for (a fallback served it otherwise);
--   * rollout_daily_cohorts(): counts per (route, model version, UTC day) for the decision engine,
--     each outcome counted only when it happened within its window, with the day's window state;
--   * model_leaderboard: per (route, model version) windowed rates with 95 % intervals (the seed's
--     columns model_version, total_messages_sent, reply_rate, close_rate, reply_rate_vs_baseline,
--     close_rate_vs_baseline, deployed_at keep their names), and list_model_leaderboard() for rpc.
--
-- Outcomes without a route count: rows written with the seed's columns only (model_id /
-- model_version, no route) get their route from the registry — the registry row with their model
-- version, else with their model id (as such or as provider/model_id), a live row (active or
-- testing) first, the route `outreach` first, the newest — and else the default route `outreach`.
-- Rows that carry a route keep the index-friendly path. A request the gateway tracked as `direct`
-- (the client named a model, not a route) is in no experiment and stays out.

-- Interval helpers ---------------------------------------------------------------------------

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

-- The 0.975 quantile of Student's t with p_degrees_of_freedom (a whole number ≥ 1) degrees of
-- freedom: the multiplier of a two-sided 95 % interval; null under 1. As studentTQuantile in
-- src/pipeline/rollout/statistics/student-t-distribution.ts: exact for 1 and 2, the Cornish–Fisher
-- expansion (Abramowitz & Stegun 26.7.5) from 1000 on, else that expansion refined by Newton steps
-- on the exact CDF of a whole number of degrees of freedom (A&S 26.7.3 odd, 26.7.4 even), each kept
-- inside a bracket that bisection tightens. Plain arithmetic, so every role may call it (the view
-- uses it under the reader's rights).
create or replace function public.student_t_quantile_975(p_degrees_of_freedom bigint)
returns double precision
language plpgsql
immutable
strict
parallel safe
set search_path = ''
as $$
declare
  v_p constant double precision := 0.975;
  v_z constant double precision := 1.959963984540054;
  v_nu double precision := p_degrees_of_freedom;
  v_z2 double precision := 1.959963984540054 * 1.959963984540054;
  v_g1 double precision;
  v_g2 double precision;
  v_g3 double precision;
  v_g4 double precision;
  v_t double precision;
  v_low double precision := 1.959963984540054;
  v_high double precision := 'Infinity'::double precision;
  v_next double precision;
  v_ratio double precision;
  v_normalizer double precision;
  v_theta double precision;
  v_cos2 double precision;
  v_term double precision;
  v_sum double precision;
  v_cdf double precision;
  v_density double precision;
  v_step integer;
begin
  if p_degrees_of_freedom < 1 then
    return null;
  elsif p_degrees_of_freedom = 1 then
    return tan(pi() * (v_p - 0.5));
  elsif p_degrees_of_freedom = 2 then
    return (2 * v_p - 1) / sqrt(2 * v_p * (1 - v_p));
  end if;
  v_g1 := v_z * (v_z2 + 1) / 4;
  v_g2 := v_z * ((5 * v_z2 + 16) * v_z2 + 3) / 96;
  v_g3 := v_z * (((3 * v_z2 + 19) * v_z2 + 17) * v_z2 - 15) / 384;
  v_g4 := v_z * ((((79 * v_z2 + 776) * v_z2 + 1482) * v_z2 - 1920) * v_z2 - 945) / 92160;
  v_t := v_z + (v_g1 + (v_g2 + (v_g3 + v_g4 / v_nu) / v_nu) / v_nu) / v_nu;
  if p_degrees_of_freedom >= 1000 then
    return v_t;
  end if;
  -- Density constant Γ((ν+1)/2) / (√(νπ) Γ(ν/2)), from Γ((k+3)/2) / Γ((k+2)/2)
  -- = (k+1)/k · Γ((k+1)/2) / Γ(k/2), starting at ν = 1 (1/√π) or ν = 2 (√π/2).
  if p_degrees_of_freedom % 2 = 1 then
    v_ratio := 1 / sqrt(pi());
    for v_step in 1 .. (p_degrees_of_freedom - 1) / 2 loop
      v_ratio := v_ratio * (2 * v_step) / (2 * v_step - 1);
    end loop;
  else
    v_ratio := sqrt(pi()) / 2;
    for v_step in 1 .. (p_degrees_of_freedom - 2) / 2 loop
      v_ratio := v_ratio * (2 * v_step + 1) / (2 * v_step);
    end loop;
  end if;
  v_normalizer := v_ratio / sqrt(v_nu * pi());
  for v_step in 1 .. 100 loop
    -- P(|T| ≤ t) by A&S 26.7.3 / 26.7.4 with θ = atan(t / √ν), then the CDF (1 + that) / 2.
    v_theta := atan(v_t / sqrt(v_nu));
    v_cos2 := cos(v_theta) * cos(v_theta);
    v_term := 1;
    v_sum := 1;
    if p_degrees_of_freedom % 2 = 1 then
      for v_k in 1 .. (p_degrees_of_freedom - 3) / 2 loop
        v_term := v_term * v_cos2 * (2 * v_k) / (2 * v_k + 1);
        v_sum := v_sum + v_term;
      end loop;
      v_cdf := (1 + 2 / pi() * (v_theta + sin(v_theta) * cos(v_theta) * v_sum)) / 2;
    else
      for v_k in 1 .. (p_degrees_of_freedom - 2) / 2 loop
        v_term := v_term * v_cos2 * (2 * v_k - 1) / (2 * v_k);
        v_sum := v_sum + v_term;
      end loop;
      v_cdf := (1 + sin(v_theta) * v_sum) / 2;
    end if;
    if v_cdf < v_p then
      v_low := v_t;
    else
      v_high := v_t;
    end if;
    v_density := v_normalizer * power(1 + v_t * v_t / v_nu, -(v_nu + 1) / 2);
    v_next := v_t - (v_cdf - v_p) / v_density;
    if not (v_next > v_low and v_next < v_high) then
      v_next := case
        when v_high < 'Infinity'::double precision then (v_low + v_high) / 2
        else greatest(2 * v_t, v_t + 1)
      end;
    end if;
    if abs(v_next - v_t) <= 1e-14 * greatest(1, abs(v_t)) then
      return v_next;
    end if;
    v_t := v_next;
  end loop;
  return v_t;
end
$$;

-- Messages -----------------------------------------------------------------------------------

-- Every tracked message of a route. served_by_assigned_model is false when a fallback generated
-- it: the version's own model is the registry's model_id (as such or as provider/model_id) when any
-- message carries it, else the model that generated most of the version's messages (catalog names
-- may differ from the registry's id). Experiment statistics count only messages served by the
-- assigned model; counting fallbacks would credit a variant with another model's work. The
-- per-version CTE is materialized so no plan re-runs that aggregate once per message.
create or replace view public.rollout_message_outcomes
with (security_invoker = true) as
with labelled as not materialized (
  select o.id, o.organization_id, o.route, o.model_version, o.model_id, o.created_at, o.cost_usd,
    o.delivered, o.opened, o.replied, o.replied_at, o.reply_sentiment_label,
    o.reply_sentiment_score, o.bounced, o.bounced_at, o.spam_reported, o.unsubscribed,
    o.meeting_booked, o.meeting_booked_at, o.deal_closed, o.deal_closed_at, o.deal_value,
    o.quality_score
  from public.outcome_labels o
  where o.route is not null and o.model_version is not null
  union all
  select o.id, o.organization_id, coalesce(m.route, 'outreach'),
    coalesce(o.model_version, m.model_version), o.model_id, o.created_at, o.cost_usd,
    o.delivered, o.opened, o.replied, o.replied_at, o.reply_sentiment_label,
    o.reply_sentiment_score, o.bounced, o.bounced_at, o.spam_reported, o.unsubscribed,
    o.meeting_booked, o.meeting_booked_at, o.deal_closed, o.deal_closed_at, o.deal_value,
    o.quality_score
  from public.outcome_labels o
  left join lateral (
    select r.route, r.model_version
    from public.model_registry r
    where r.model_version = o.model_version
      or r.model_id = o.model_id or r.provider || '/' || r.model_id = o.model_id
    order by coalesce(r.model_version = o.model_version, false) desc,
      coalesce(r.model_id = o.model_id or r.provider || '/' || r.model_id = o.model_id, false) desc,
      (r.status in ('active', 'testing')) desc, (r.route = 'outreach') desc,
      r.created_at desc, r.id desc
    limit 1
  ) m on true
  where o.route is null and o.variant is distinct from 'direct'
    and coalesce(o.model_version, m.model_version) is not null
),
versions as materialized (
  select
    l.route,
    l.model_version,
    coalesce(
      max(l.model_id) filter (
        where r.model_id is not null and l.model_id in (r.model_id, r.provider || '/' || r.model_id)
      ),
      mode() within group (order by l.model_id)
    ) as assigned_model_id
  from labelled l
  left join public.model_registry r on r.route = l.route and r.model_version = l.model_version
  group by l.route, l.model_version
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
from labelled o
join versions v on v.route = o.route and v.model_version = o.model_version;

-- Daily cohorts of one route: per (model version, UTC day of sending) the messages served by the
-- assigned model and the outcomes they led to within their window (reply, bounce, spam and
-- unsubscribe: reply window; meeting: meeting window; deal and revenue: close window; an outcome
-- without a timestamp counts). *_window_closed says whether the window has closed for every message
-- of the day as of p_now (day end + window <= p_now); only closed days may count for a metric.
-- Failed requests are not stored, so there is no error count. p_since limits to messages sent at or
-- after it (the experiment start). Reads the route's rows plus the unrouted rows that resolve to it
-- (the same match as rollout_message_outcomes).
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
  with routed as not materialized (
    select o.organization_id, o.model_version, o.model_id, o.created_at, o.cost_usd, o.replied,
      o.replied_at, o.reply_sentiment_label, o.bounced, o.bounced_at, o.spam_reported,
      o.unsubscribed, o.meeting_booked, o.meeting_booked_at, o.deal_closed, o.deal_closed_at,
      o.deal_value
    from public.outcome_labels o
    where o.route = p_route and o.model_version is not null
    union all
    select o.organization_id, coalesce(o.model_version, m.model_version), o.model_id,
      o.created_at, o.cost_usd, o.replied, o.replied_at, o.reply_sentiment_label, o.bounced,
      o.bounced_at, o.spam_reported, o.unsubscribed, o.meeting_booked, o.meeting_booked_at,
      o.deal_closed, o.deal_closed_at, o.deal_value
    from public.outcome_labels o
    left join lateral (
      select r.route, r.model_version
      from public.model_registry r
      where r.model_version = o.model_version
        or r.model_id = o.model_id or r.provider || '/' || r.model_id = o.model_id
      order by coalesce(r.model_version = o.model_version, false) desc,
        coalesce(r.model_id = o.model_id or r.provider || '/' || r.model_id = o.model_id, false) desc,
        (r.status in ('active', 'testing')) desc, (r.route = 'outreach') desc,
        r.created_at desc, r.id desc
      limit 1
    ) m on true
    where o.route is null and o.variant is distinct from 'direct'
      and coalesce(m.route, 'outreach') = p_route
      and coalesce(o.model_version, m.model_version) is not null
  ),
  versions as materialized (
    select
      x.model_version,
      coalesce(
        max(x.model_id) filter (
          where r.model_id is not null
            and x.model_id in (r.model_id, r.provider || '/' || r.model_id)
        ),
        mode() within group (order by x.model_id)
      ) as assigned_model_id
    from routed x
    left join public.model_registry r on r.route = p_route and r.model_version = x.model_version
    group by x.model_version
  ),
  messages as (
    select
      o.model_version,
      o.created_at,
      (o.created_at at time zone 'UTC')::date as sent_on,
      ((o.created_at at time zone 'UTC')::date::timestamp at time zone 'UTC') + interval '1 day'
        as day_end,
      (o.model_id is null or v.assigned_model_id is null or o.model_id = v.assigned_model_id)
        as served,
      o.cost_usd,
      o.replied and (o.replied_at is null or o.replied_at <= o.created_at + v_reply) as reply_in,
      o.reply_sentiment_label,
      o.bounced and (o.bounced_at is null or o.bounced_at <= o.created_at + v_reply) as bounce_in,
      o.spam_reported,
      o.unsubscribed,
      o.meeting_booked
        and (o.meeting_booked_at is null or o.meeting_booked_at <= o.created_at + v_meeting)
        as meeting_in,
      o.deal_closed and (o.deal_closed_at is null or o.deal_closed_at <= o.created_at + v_close)
        as deal_in,
      coalesce(o.deal_value, 0) as deal_value
    from routed o
    join versions v on v.model_version = o.model_version
    where o.created_at < v_now
      and (p_since is null or o.created_at >= p_since)
      and (p_organization_id is null or o.organization_id = p_organization_id)
  ),
  cohorts as (
    select
      m.model_version,
      m.sent_on,
      min(m.day_end) as day_end,
      count(*) filter (where m.served) as messages_sent,
      count(*) filter (where not m.served) as fallback_messages,
      coalesce(sum(m.cost_usd) filter (where m.served), 0) as cost_sum,
      coalesce(sum(m.cost_usd * m.cost_usd) filter (where m.served), 0) as cost_squares,
      count(*) filter (where m.served and m.reply_in) as replies,
      count(*) filter (where m.served and m.reply_in and m.reply_sentiment_label = 'positive')
        as positive_replies,
      count(*) filter (where m.served and m.reply_in and m.reply_sentiment_label = 'negative')
        as negative_replies,
      count(*) filter (where m.served and m.bounce_in) as bounces,
      count(*) filter (where m.served and m.spam_reported) as spam_reports,
      count(*) filter (where m.served and m.unsubscribed) as unsubscribes,
      count(*) filter (where m.served and m.meeting_in) as meetings,
      count(*) filter (where m.served and m.deal_in) as deals,
      coalesce(sum(m.deal_value) filter (where m.served and m.deal_in), 0) as revenue_sum,
      coalesce(sum(m.deal_value * m.deal_value) filter (where m.served and m.deal_in), 0)
        as revenue_squares
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

-- Leaderboard --------------------------------------------------------------------------------

-- One row per (route, model version) seen in the registry or in the outcomes of a route. Counts
-- (total_*) cover every message the version's own model served; rates count only messages whose
-- outcome window has closed (day of sending ended at least 7 days ago for reply, positive-reply,
-- negative-sentiment, bounce, spam and unsubscribe rates, 21 for meeting rate, 90 for close rate and
-- revenue per message — the config defaults; the API and CLI use config.rollout), and only outcomes
-- within the window. Negative sentiment is a share of replies; cost per meeting is cost per message
-- over meeting rate. *_ci95_lower / _upper are 95 % Wilson bounds; *_vs_baseline the relative lift
-- against the route's baseline ((variant − baseline) / baseline), null without a baseline or when
-- its rate is 0 or unknown. negative_reply_rate is negative_sentiment_rate under its older name.
--
-- The money columns' intervals (docs/experiments.md §1.2) are computed the way
-- src/pipeline/rollout/decision/arm-metrics.ts computes them for the API and CLI, so both agree on
-- the same data:
--   * revenue and cost per message: the mean with a Student t interval, mean ± t(0.975, n − 1) ·
--     s / √n, from the sum and the sum of squares (s² the sample variance); null under two
--     messages; not clamped at 0. Revenue counts the close cohort (messages whose 90-day window
--     has closed, deals within it), cost every message the version's own model served;
--   * cost per meeting: mean cost per message / meeting rate, the two independent (cost is spent
--     before any outcome); the delta method on the log scale,
--     var(log) = s_c² / (n c̄²) + (1 − m) / (n_m m), bounds value · exp(∓ 1.96 · √var); null without
--     a meeting or without cost.
-- A view cannot lose or reorder columns in place: new columns go after the last one.
create or replace view public.model_leaderboard
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
    ), 0) as window_revenue,
    -- Sums of squares over the same messages as total_cost_usd and window_revenue (a message
    -- without a cost counts as 0, as in the sum).
    coalesce(sum(m.cost_usd * m.cost_usd) filter (where m.served_by_assigned_model), 0)
      as total_cost_usd_squares,
    coalesce(sum(coalesce(m.deal_value, 0) * coalesce(m.deal_value, 0)) filter (
      where m.served_by_assigned_model and m.close_closed and m.deal_in
    ), 0) as window_revenue_squares
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
    coalesce(s.window_revenue, 0) as window_revenue,
    coalesce(s.total_cost_usd_squares, 0) as total_cost_usd_squares,
    coalesce(s.window_revenue_squares, 0) as window_revenue_squares
  from public.model_registry r
  full join stats s on s.route = r.route and s.model_version = r.model_version
),
-- Sample variances (n − 1; a single message's is 0) and t multipliers of the two means.
moments as (
  select
    v.*,
    case
      when v.close_window_messages > 1 then greatest(0::numeric,
        (v.window_revenue_squares - v.window_revenue * v.window_revenue / v.close_window_messages)
        / (v.close_window_messages - 1))
      when v.close_window_messages = 1 then 0::numeric
    end as revenue_variance,
    case
      when v.total_messages_sent > 1 then greatest(0::numeric,
        (v.total_cost_usd_squares - v.total_cost_usd * v.total_cost_usd / v.total_messages_sent)
        / (v.total_messages_sent - 1))
      when v.total_messages_sent = 1 then 0::numeric
    end as cost_variance,
    public.student_t_quantile_975(v.close_window_messages - 1)::numeric as revenue_t975,
    public.student_t_quantile_975(v.total_messages_sent - 1)::numeric as cost_t975
  from versions v
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
    round(v.total_cost_usd / nullif(v.total_messages_sent, 0), 8) as cost_per_message,
    -- Unrounded estimates and half-widths for the intervals (null where there is none).
    v.window_revenue / nullif(v.close_window_messages, 0) as revenue_mean,
    case when v.close_window_messages > 1 then
      v.revenue_t975 * sqrt(v.revenue_variance / v.close_window_messages)
    end as revenue_half_width,
    v.total_cost_usd / nullif(v.total_messages_sent, 0) as cost_mean,
    case when v.total_messages_sent > 1 then
      v.cost_t975 * sqrt(v.cost_variance / v.total_messages_sent)
    end as cost_half_width,
    case when v.total_cost_usd > 0 and v.window_meetings > 0 then
      v.total_cost_usd * v.meeting_window_messages / (v.total_messages_sent * v.window_meetings)
    end as cost_per_meeting_estimate,
    case when v.total_cost_usd > 0 and v.window_meetings > 0 then
      1.959963984540054 * sqrt(
        v.cost_variance * v.total_messages_sent / (v.total_cost_usd * v.total_cost_usd)
        + (v.meeting_window_messages - v.window_meetings)::numeric
          / (v.meeting_window_messages * v.window_meetings))
    end as cost_per_meeting_log_half_width
  from moments v
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
    as unsubscribe_rate_ci95_upper,
  round(r.revenue_mean - r.revenue_half_width, 6) as revenue_per_message_ci95_lower,
  round(r.revenue_mean + r.revenue_half_width, 6) as revenue_per_message_ci95_upper,
  round(r.cost_mean - r.cost_half_width, 8) as cost_per_message_ci95_lower,
  round(r.cost_mean + r.cost_half_width, 8) as cost_per_message_ci95_upper,
  round(r.cost_per_meeting_estimate * exp(-r.cost_per_meeting_log_half_width), 6)
    as cost_per_meeting_ci95_lower,
  round(r.cost_per_meeting_estimate * exp(r.cost_per_meeting_log_half_width), 6)
    as cost_per_meeting_ci95_upper
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

revoke all on table public.rollout_message_outcomes, public.model_leaderboard
  from anon, authenticated;
grant select on table public.rollout_message_outcomes, public.model_leaderboard
  to service_role, authenticated;

do $$
declare
  v_function regprocedure;
begin
  for v_function in
    select p.oid::regprocedure from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public' and p.proname in (
      'rollout_daily_cohorts', 'list_model_leaderboard'
    )
  loop
    execute format('revoke all on function %s from public, anon, authenticated', v_function);
    execute format('grant execute on function %s to service_role', v_function);
  end loop;
end
$$;
