-- Issue 16, items 2, 3 and 6. track_messages is …002000_dead_letters.sql's, plus assigned_model_id.
--
-- Item 3: record_reply, record_meeting and record_deal say whether this call made the transition
-- (`stage_reached`): the row is locked before it is read, so of concurrent identical calls on any
-- number of replicas exactly one sees the stage unset. rekindle_outcomes_total counts only those.
--
-- Item 2: a tracked message records the model its arm assigned (`assigned_model_id`) next to the
-- model that served it (`model_id`). A message a fallback served for an arm is then known as such
-- even when the arm's own model never served once; rows written before this column (and tracking
-- API rows) keep the earlier inference (registry model, else the model most of the version's
-- messages came from).

alter table public.outcome_labels add column if not exists assigned_model_id text;

comment on column public.outcome_labels.assigned_model_id is
  'The model the request''s arm (model_version) assigned; model_id is the one that served it (a fallback when they differ).';

create or replace function public.track_messages(p_rows jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_count integer;
begin
  if jsonb_typeof(p_rows) is distinct from 'array' then
    raise exception 'p_rows must be a JSON array' using errcode = '22023';
  end if;
  insert into public.outcome_labels (
    id, organization_id, campaign_id, lead_id, channel, route, message_body, subject_line,
    agent_decisions, framework, tone, model_id, model_version, variant, provider, request_id,
    prompt_messages, lead_data, cost_usd, latency_ms, prompt_tokens, completion_tokens, created_at,
    quality_score, generation_status, assigned_model_id
  )
  select
    coalesce(r.id, gen_random_uuid()), r.organization_id, r.campaign_id, r.lead_id,
    coalesce(r.channel, 'email'), r.route, r.message_body, r.subject_line,
    coalesce(r.agent_decisions, '{}'::jsonb),
    coalesce(r.framework, r.agent_decisions ->> 'framework'),
    coalesce(r.tone, r.agent_decisions ->> 'tone'),
    r.model_id, r.model_version, r.variant, r.provider, r.request_id,
    r.prompt_messages, coalesce(r.lead_data, '{}'::jsonb), r.cost_usd, r.latency_ms,
    r.prompt_tokens, r.completion_tokens, coalesce(r.created_at, now()),
    public.outcome_quality_score(
      false, false, false, false, false, false, false, null, null, false, false
    ),
    coalesce(r.generation_status, 'completed'),
    nullif(btrim(r.assigned_model_id), '')
  from jsonb_to_recordset(p_rows) as r(
    id uuid, organization_id text, campaign_id text, lead_id text, channel text, route text,
    message_body text, subject_line text, agent_decisions jsonb, framework text, tone text,
    model_id text, model_version text, variant text, provider text, request_id text,
    prompt_messages jsonb, lead_data jsonb, cost_usd numeric, latency_ms integer,
    prompt_tokens integer, completion_tokens integer, created_at timestamptz,
    generation_status text, assigned_model_id text
  )
  on conflict (id) do nothing;
  get diagnostics v_count = row_count;
  return jsonb_build_object('inserted', v_count, 'received', jsonb_array_length(p_rows));
end
$$;

create or replace function public.record_reply(
  p_organization_id text,
  p_id uuid,
  p_reply_text text,
  p_sentiment_score numeric default null,
  p_sentiment_label text default null,
  p_interest_signal text default null,
  p_replied_at timestamptz default null
) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_row public.outcome_labels;
  v_was boolean;
begin
  select o.replied into v_was from public.outcome_labels o
  where o.id = p_id and o.organization_id = p_organization_id
  for update;
  if not found then
    return null;
  end if;
  update public.outcome_labels set
    replied = true,
    reply_text = coalesce(p_reply_text, reply_text),
    reply_sentiment_score = coalesce(p_sentiment_score, reply_sentiment_score),
    reply_sentiment_label = coalesce(p_sentiment_label, reply_sentiment_label),
    interest_signal = coalesce(p_interest_signal, interest_signal),
    replied_at = coalesce(p_replied_at, replied_at, now())
  where id = p_id and organization_id = p_organization_id
  returning * into v_row;
  if not found then
    return null;
  end if;
  return to_jsonb(v_row) || jsonb_build_object('stage_reached', not coalesce(v_was, false));
end
$$;

create or replace function public.record_meeting(
  p_organization_id text,
  p_id uuid,
  p_meeting_time timestamptz default null,
  p_booked_at timestamptz default null
) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_row public.outcome_labels;
  v_was boolean;
begin
  select o.meeting_booked into v_was from public.outcome_labels o
  where o.id = p_id and o.organization_id = p_organization_id
  for update;
  if not found then
    return null;
  end if;
  update public.outcome_labels set
    meeting_booked = true,
    meeting_time = coalesce(p_meeting_time, meeting_time),
    meeting_booked_at = coalesce(p_booked_at, meeting_booked_at, now())
  where id = p_id and organization_id = p_organization_id
  returning * into v_row;
  if not found then
    return null;
  end if;
  return to_jsonb(v_row) || jsonb_build_object('stage_reached', not coalesce(v_was, false));
end
$$;

create or replace function public.record_deal(
  p_organization_id text,
  p_id uuid,
  p_deal_value numeric default null,
  p_deal_id text default null,
  p_closed_at timestamptz default null
) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_row public.outcome_labels;
  v_was boolean;
begin
  select o.deal_closed into v_was from public.outcome_labels o
  where o.id = p_id and o.organization_id = p_organization_id
  for update;
  if not found then
    return null;
  end if;
  update public.outcome_labels set
    deal_closed = true,
    deal_value = coalesce(p_deal_value, deal_value),
    deal_id = coalesce(p_deal_id, deal_id),
    deal_closed_at = coalesce(p_closed_at, deal_closed_at, now())
  where id = p_id and organization_id = p_organization_id
  returning * into v_row;
  if not found then
    return null;
  end if;
  return to_jsonb(v_row) || jsonb_build_object('stage_reached', not coalesce(v_was, false));
end
$$;

-- Experiments ----------------------------------------------------------------------------------

create or replace view public.rollout_message_outcomes
with (security_invoker = true) as
with labelled as not materialized (
  select o.id, o.organization_id, o.route, o.model_version, o.model_id, o.assigned_model_id,
    o.created_at, o.cost_usd,
    o.delivered, o.opened, o.replied, o.replied_at, o.reply_sentiment_label,
    o.reply_sentiment_score, o.bounced, o.bounced_at, o.spam_reported, o.unsubscribed,
    o.meeting_booked, o.meeting_booked_at, o.deal_closed, o.deal_closed_at, o.deal_value,
    o.quality_score
  from public.outcome_labels o
  where o.route is not null and o.model_version is not null
  union all
  select o.id, o.organization_id, coalesce(m.route, 'outreach'),
    coalesce(o.model_version, m.model_version), o.model_id, o.assigned_model_id, o.created_at,
    o.cost_usd,
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
      mode() within group (order by l.assigned_model_id),
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
  case
    when o.assigned_model_id is not null then o.model_id is not distinct from o.assigned_model_id
    else o.model_id is null or v.assigned_model_id is null or o.model_id = v.assigned_model_id
  end as served_by_assigned_model,
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
    select o.organization_id, o.model_version, o.model_id, o.assigned_model_id, o.created_at,
      o.cost_usd, o.replied,
      o.replied_at, o.reply_sentiment_label, o.bounced, o.bounced_at, o.spam_reported,
      o.unsubscribed, o.meeting_booked, o.meeting_booked_at, o.deal_closed, o.deal_closed_at,
      o.deal_value
    from public.outcome_labels o
    where o.route = p_route and o.model_version is not null
    union all
    select o.organization_id, coalesce(o.model_version, m.model_version), o.model_id,
      o.assigned_model_id, o.created_at, o.cost_usd, o.replied, o.replied_at, o.reply_sentiment_label, o.bounced,
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
        mode() within group (order by x.assigned_model_id),
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
      case
        when o.assigned_model_id is not null then o.model_id is not distinct from o.assigned_model_id
        else o.model_id is null or v.assigned_model_id is null or o.model_id = v.assigned_model_id
      end as served,
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

-- Issue 16, item 6: the seed's get_fine_tuning_status(job_id) passes the vendor's job id; a run is
-- found by its id, its model version, or the provider job id it recorded.
create or replace function public.get_training_run(p_ref text)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select to_jsonb(r) || jsonb_build_object('events', coalesce((
    select jsonb_agg(jsonb_build_object(
      'from_status', e.from_status, 'to_status', e.to_status, 'worker', e.worker,
      'details', e.details, 'created_at', e.created_at) order by e.id)
    from public.training_run_events e where e.run_id = r.id), '[]'::jsonb))
  from public.training_runs r
  where r.id::text = lower(p_ref) or r.model_version = p_ref or r.provider_job_id = p_ref
  order by (r.id::text = lower(p_ref)) desc, coalesce(r.provider_job_id = p_ref, false) desc,
    r.created_at desc
  limit 1
$$;
