-- 95 % intervals for the leaderboard's money columns (docs/experiments.md §1.2): model_leaderboard
-- gains revenue_per_message_ci95_lower / _upper, cost_per_message_ci95_lower / _upper and
-- cost_per_meeting_ci95_lower / _upper, appended after its last column, computed the way
-- src/pipeline/rollout/decision/arm-metrics.ts computes them for the API and CLI, so both agree
-- on the same data:
--   * revenue and cost per message: the mean with a Student t interval, mean ± t(0.975, n − 1) ·
--     s / √n, from the sum and the sum of squares (s² the sample variance); null under two
--     messages; not clamped at 0. Revenue counts the close cohort (messages whose 90-day window
--     has closed, deals within it), cost every message the version's own model served;
--   * cost per meeting: mean cost per message / meeting rate, the two independent (cost is spent
--     before any outcome); the delta method on the log scale,
--     var(log) = s_c² / (n c̄²) + (1 − m) / (n_m m), bounds value · exp(∓ 1.96 · √var); null without
--     a meeting or without cost.
-- Everything else in the view is …1300_leaderboard.sql's definition, unchanged: same columns in the
-- same order, so create or replace keeps the view's grants, and nothing that uses the view changes.

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

-- …1300_leaderboard.sql's model_leaderboard with the sums of squares and the intervals they give.
-- Its comment still holds; the columns after unsubscribe_rate_ci95_upper are new.
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

-- The grants of …1300_leaderboard.sql (create or replace keeps them; restated so this file alone
-- says who reads the view).
revoke all on table public.model_leaderboard from anon, authenticated;
grant select on table public.model_leaderboard to authenticated, service_role;
