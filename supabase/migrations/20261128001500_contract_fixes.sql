-- Contract fixes (docs/data-model.md, docs/routing.md, docs/training.md):
--   1. Outcomes without a route count on the leaderboard: rows written with the seed's columns only
--      (model_id / model_version, no route) get their route from the registry — the registry row
--      with their model version, else with their model id — and else the default route `outreach`.
--      Rows that carry a route keep the index-friendly path. A request the gateway tracked as
--      `direct` (the client named a model, not a route) is in no experiment and stays out.
--   2. record_message_sent (POST /v1/outcomes) fills route, model_version, model_id and provider
--      from the registry when they are not given (the registry is global: every organization sees
--      every row), else the route is `outreach`; it also stores sg_message_id.
--   3. The baseline's stored traffic_percentage is what the route's testing variants leave
--      (100 − their sum) after every registry operation.
--   4. The registry operations take the model first and the route second, defaulting to `outreach`
--      like register_model: `select deploy_model('v1.1.0', 10)`. The change options follow in one
--      order everywhere (p_actor, p_reason, p_automatic, p_details). The old signatures are dropped,
--      so no call is ambiguous; call these functions with named arguments. The new argument type
--      lists differ from the old ones on purpose: re-applying …1200 by hand then creates the old
--      functions beside these (instead of failing on renamed arguments), and re-applying this file
--      drops them again.
--   5. Training-ready is quality ≥ threshold and a message body; a row without prompt messages is
--      exported with a prompt built from its own fields (src/pipeline/training/export).

-- 1. Unrouted outcomes ---------------------------------------------------------------------------

-- Only rows written without a route (seed SQL, older tracking-API rows) are in this index.
create index if not exists outcome_labels_unrouted_idx on public.outcome_labels (created_at)
  where route is null and variant is distinct from 'direct';

-- Registry match of an unrouted row, in this order: same model version, same model id (as such or
-- as provider/model_id), a live row (active or testing), the route `outreach`, the newest.
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

-- …1300_leaderboard.sql's rollout_daily_cohorts, reading the route's rows plus the unrouted rows
-- that resolve to it (the same match as rollout_message_outcomes).
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

-- 2. The tracking API's message --------------------------------------------------------------

-- A message generated or sent outside the gateway (POST /v1/outcomes). Missing route, version,
-- model id and provider come from the registry row that matches the given version, else the given
-- model id (same order as rollout_message_outcomes, within the given route if any); the route is
-- `outreach` when nothing matches. An id that exists already is not written again.
create or replace function public.record_message_sent(p_organization_id text, p_message jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_message jsonb := coalesce(p_message, '{}'::jsonb);
  v_id uuid := coalesce((v_message ->> 'id')::uuid, gen_random_uuid());
  v_route text := nullif(btrim(v_message ->> 'route'), '');
  v_version text := nullif(btrim(v_message ->> 'model_version'), '');
  v_model text := nullif(btrim(v_message ->> 'model_id'), '');
  v_match public.model_registry;
begin
  if v_version is not null or v_model is not null then
    select r.* into v_match
    from public.model_registry r
    where (v_route is null or r.route = v_route)
      and (r.model_version = v_version
        or r.model_id = v_model or r.provider || '/' || r.model_id = v_model)
    order by coalesce(r.model_version = v_version, false) desc,
      coalesce(r.model_id = v_model or r.provider || '/' || r.model_id = v_model, false) desc,
      (r.status in ('active', 'testing')) desc, (r.route = 'outreach') desc,
      r.created_at desc, r.id desc
    limit 1;
  end if;
  insert into public.outcome_labels (
    id, organization_id, campaign_id, lead_id, channel, route, message_body, subject_line,
    agent_decisions, framework, tone, model_id, model_version, variant, provider, request_id,
    prompt_messages, lead_data, cost_usd, latency_ms, prompt_tokens, completion_tokens, created_at,
    sg_message_id
  )
  select
    v_id, p_organization_id, r.campaign_id, r.lead_id, coalesce(r.channel, 'email'),
    coalesce(v_route, v_match.route, 'outreach'), r.message_body, r.subject_line,
    coalesce(r.agent_decisions, '{}'::jsonb),
    coalesce(r.framework, r.agent_decisions ->> 'framework'),
    coalesce(r.tone, r.agent_decisions ->> 'tone'),
    coalesce(v_model, v_match.model_id), coalesce(v_version, v_match.model_version), r.variant,
    coalesce(nullif(btrim(r.provider), ''), v_match.provider), r.request_id, r.prompt_messages,
    coalesce(r.lead_data, '{}'::jsonb), r.cost_usd, r.latency_ms, r.prompt_tokens,
    r.completion_tokens, coalesce(r.created_at, now()), nullif(btrim(r.sg_message_id), '')
  from jsonb_to_record(v_message) as r(
    campaign_id text, lead_id text, channel text, message_body text, subject_line text,
    agent_decisions jsonb, framework text, tone text, variant text, provider text,
    request_id text, prompt_messages jsonb, lead_data jsonb, cost_usd numeric,
    latency_ms integer, prompt_tokens integer, completion_tokens integer, created_at timestamptz,
    sg_message_id text
  )
  on conflict (id) do nothing;
  return public.get_outcome(p_organization_id, v_id);
end
$$;

-- 3 and 4. Registry operations ---------------------------------------------------------------

-- The baseline takes what the testing variants leave. Callers hold the route's lock.
create or replace function public.registry_rebalance_baseline(p_route text)
returns void
language sql
set search_path = ''
as $$
  update public.model_registry b
  set traffic_percentage = v.rest, updated_at = now()
  from (
    select greatest(0::numeric, 100 - coalesce(sum(r.traffic_percentage), 0)) as rest
    from public.model_registry r
    where r.route = p_route and not r.is_baseline and r.status = 'testing'
  ) v
  where b.route = p_route and b.is_baseline and b.traffic_percentage is distinct from v.rest
$$;

create or replace function public.register_model(
  p_model_id text,
  p_provider text,
  p_model_version text,
  p_route text default 'outreach',
  p_base_model text default null,
  p_training_run_id uuid default null,
  p_training_stats jsonb default '{}'::jsonb,
  p_actor text default null
) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_route text := coalesce(p_route, 'outreach');
  v_row public.model_registry;
begin
  perform public.registry_lock_route(v_route);
  select * into v_row from public.model_registry
  where route = v_route and model_version = p_model_version;
  if found then
    if v_row.model_id <> p_model_id then
      raise exception 'model version % already exists on route % for model %',
        p_model_version, v_route, v_row.model_id using errcode = '23505';
    end if;
  else
    insert into public.model_registry (route, model_id, provider, model_version, base_model,
                                       training_run_id, training_stats)
    values (v_route, p_model_id, p_provider, p_model_version, p_base_model, p_training_run_id,
            coalesce(p_training_stats, '{}'::jsonb))
    returning * into v_row;
    perform public.registry_audit(v_route, p_model_version, 'register', false, p_actor, null,
      jsonb_build_object('model_id', p_model_id, 'provider', p_provider));
  end if;
  perform public.registry_rebalance_baseline(v_route);
  select * into v_row from public.model_registry where id = v_row.id;
  return to_jsonb(v_row);
end
$$;

drop function if exists public.set_baseline_model(text, text, text, boolean, text, jsonb, text);
drop function if exists public.set_baseline_model(text, text, text, text, boolean, jsonb, text);
create function public.set_baseline_model(
  p_ref text,
  p_route text default 'outreach',
  p_actor text default null,
  p_reason text default null,
  p_automatic boolean default false,
  p_details jsonb default '{}'::jsonb,
  p_action text default 'set_baseline'
) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_route text := coalesce(p_route, 'outreach');
  v_row public.model_registry;
  v_previous public.model_registry;
begin
  perform public.registry_lock_route(v_route);
  v_row := public.registry_find(v_route, p_ref);
  if v_row.id is null or v_row.route <> v_route then
    raise exception 'no model % on route %', p_ref, v_route using errcode = 'P0002';
  end if;
  select * into v_previous from public.model_registry where route = v_route and is_baseline;
  if v_previous.id is not null and v_previous.id <> v_row.id then
    update public.model_registry
    set is_baseline = false, status = 'deprecated', traffic_percentage = 0,
        deprecated_at = now(), updated_at = now()
    where id = v_previous.id;
  end if;
  update public.model_registry
  set is_baseline = true, status = 'active', traffic_percentage = 0,
      promoted_at = case when p_action = 'promote' then now() else promoted_at end,
      deployed_at = coalesce(deployed_at, now()), deprecated_at = null, updated_at = now()
  where id = v_row.id;
  perform public.registry_rebalance_baseline(v_route);
  select * into v_row from public.model_registry where id = v_row.id;
  perform public.registry_audit(v_route, v_row.model_version, p_action, p_automatic, p_actor,
    p_reason, coalesce(p_details, '{}'::jsonb)
      || jsonb_build_object('previous_baseline', v_previous.model_version));
  return to_jsonb(v_row);
end
$$;

drop function if exists public.deploy_model(text, text, numeric, text, text, boolean);
drop function if exists public.deploy_model(text, numeric, text, text, text, boolean);
create function public.deploy_model(
  p_ref text,
  p_traffic_percentage numeric,
  p_route text default 'outreach',
  p_ab_test_group text default null,
  p_actor text default null,
  p_automatic boolean default false
) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_route text := coalesce(p_route, 'outreach');
  v_row public.model_registry;
  v_others numeric;
begin
  if p_traffic_percentage is null or p_traffic_percentage <= 0 or p_traffic_percentage > 100 then
    raise exception 'traffic_percentage must be in (0, 100]' using errcode = '22023';
  end if;
  perform public.registry_lock_route(v_route);
  v_row := public.registry_find(v_route, p_ref);
  if v_row.id is null or v_row.route <> v_route then
    raise exception 'no model % on route %', p_ref, v_route using errcode = 'P0002';
  end if;
  if v_row.is_baseline then
    raise exception 'model % is the baseline of route %; it already takes the remaining traffic',
      v_row.model_version, v_route using errcode = '22023';
  end if;
  select coalesce(sum(traffic_percentage), 0) into v_others from public.model_registry
  where route = v_route and status = 'testing' and not is_baseline and id <> v_row.id;
  if v_others + p_traffic_percentage > 100 then
    raise exception 'traffic of route % would be % %% (other variants hold % %%); at most 100',
      v_route, v_others + p_traffic_percentage, v_others using errcode = '22023';
  end if;
  update public.model_registry
  set status = 'testing', traffic_percentage = p_traffic_percentage,
      ab_test_group = coalesce(p_ab_test_group, ab_test_group),
      deployed_at = now(), deprecated_at = null, updated_at = now()
  where id = v_row.id
  returning * into v_row;
  perform public.registry_rebalance_baseline(v_route);
  perform public.registry_audit(v_route, v_row.model_version, 'deploy', p_automatic, p_actor, null,
    jsonb_build_object('traffic_percentage', p_traffic_percentage, 'ab_test_group', v_row.ab_test_group));
  return to_jsonb(v_row);
end
$$;

drop function if exists public.promote_model(text, text, text, boolean, text, jsonb);
drop function if exists public.promote_model(text, text, text, text, boolean, jsonb);
create function public.promote_model(
  p_ref text,
  p_route text default 'outreach',
  p_actor text default null,
  p_reason text default null,
  p_automatic boolean default false,
  p_details jsonb default '{}'::jsonb
) returns jsonb
language sql
set search_path = ''
as $$
  select public.set_baseline_model(p_ref => p_ref, p_route => p_route, p_actor => p_actor,
    p_reason => p_reason, p_automatic => p_automatic, p_details => p_details, p_action => 'promote')
$$;

drop function if exists public.deprecate_model(text, text, text, text);
drop function if exists public.deprecate_model(text, text, text, text, boolean, jsonb);
create function public.deprecate_model(
  p_ref text,
  p_route text default 'outreach',
  p_actor text default null,
  p_reason text default null,
  p_automatic boolean default false,
  p_details jsonb default '{}'::jsonb
) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_route text := coalesce(p_route, 'outreach');
  v_row public.model_registry;
begin
  perform public.registry_lock_route(v_route);
  v_row := public.registry_find(v_route, p_ref);
  if v_row.id is null or v_row.route <> v_route then
    raise exception 'no model % on route %', p_ref, v_route using errcode = 'P0002';
  end if;
  if v_row.is_baseline then
    raise exception 'model % is the baseline of route %; promote another model first',
      v_row.model_version, v_route using errcode = '22023';
  end if;
  update public.model_registry
  set status = 'deprecated', traffic_percentage = 0, deprecated_at = now(), updated_at = now()
  where id = v_row.id
  returning * into v_row;
  perform public.registry_rebalance_baseline(v_route);
  perform public.registry_audit(v_route, v_row.model_version, 'deprecate', p_automatic, p_actor,
    p_reason, p_details);
  return to_jsonb(v_row);
end
$$;

-- Rolling back a testing variant takes its traffic away; rolling back a route (no model given)
-- restores the baseline it had before the last promotion.
drop function if exists public.rollback_model(text, text, text, boolean, text, jsonb);
drop function if exists public.rollback_model(text, text, text, text, boolean, jsonb);
create function public.rollback_model(
  p_ref text default null,
  p_route text default 'outreach',
  p_actor text default null,
  p_reason text default null,
  p_automatic boolean default false,
  p_details jsonb default '{}'::jsonb
) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_route text := coalesce(p_route, 'outreach');
  v_row public.model_registry;
  v_current public.model_registry;
  v_previous public.model_registry;
begin
  perform public.registry_lock_route(v_route);
  if p_ref is not null then
    v_row := public.registry_find(v_route, p_ref);
    if v_row.id is null or v_row.route <> v_route then
      raise exception 'no model % on route %', p_ref, v_route using errcode = 'P0002';
    end if;
  end if;
  if v_row.id is not null and not v_row.is_baseline then
    update public.model_registry
    set status = 'rolled_back', traffic_percentage = 0, updated_at = now()
    where id = v_row.id
    returning * into v_row;
    perform public.registry_rebalance_baseline(v_route);
    perform public.registry_audit(v_route, v_row.model_version, 'rollback', p_automatic, p_actor,
      p_reason, p_details);
    return to_jsonb(v_row);
  end if;
  select * into v_current from public.model_registry where route = v_route and is_baseline;
  -- The baseline before the current one is named in the audit trail of the change that replaced it.
  select r.* into v_previous
  from public.rollout_events e
  join public.model_registry r on r.route = e.route and r.model_version = e.details ->> 'previous_baseline'
  where e.route = v_route and e.action in ('promote', 'set_baseline')
    and e.model_version = v_current.model_version and not r.is_baseline
  order by e.created_at desc, e.id desc
  limit 1;
  if v_previous.id is null then
    raise exception 'route % has no earlier baseline to roll back to', v_route using errcode = 'P0002';
  end if;
  if v_current.id is not null then
    update public.model_registry
    set is_baseline = false, status = 'rolled_back', traffic_percentage = 0, updated_at = now()
    where id = v_current.id;
  end if;
  update public.model_registry
  set is_baseline = true, status = 'active', traffic_percentage = 0, deprecated_at = null,
      updated_at = now()
  where id = v_previous.id;
  perform public.registry_rebalance_baseline(v_route);
  select * into v_previous from public.model_registry where id = v_previous.id;
  perform public.registry_audit(v_route, v_previous.model_version, 'rollback', p_automatic, p_actor,
    p_reason, coalesce(p_details, '{}'::jsonb) || jsonb_build_object('replaced', v_current.model_version));
  return to_jsonb(v_previous);
end
$$;

-- Registries written before this migration: every baseline takes the rest now.
select public.registry_rebalance_baseline(b.route)
from (select distinct route from public.model_registry where is_baseline) b;

-- 5. Training-ready ----------------------------------------------------------------------------

create or replace view public.training_ready_outcomes
with (security_invoker = true) as
select o.*
from public.outcome_labels o
where o.quality_score >= 0.6
  and o.message_body is not null and btrim(o.message_body) <> '';

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
  ) as training_ready_count,
  count(distinct o.model_version) as active_model_versions
from public.outcome_labels o
group by 1, 2;

create or replace function public.export_training_outcomes(
  p_organization_id text default null,
  p_min_quality_score numeric default 0.6,
  p_after uuid default null,
  p_limit integer default 1000
) returns jsonb
language sql
stable
set search_path = ''
as $$
  with page as (
    select o.* from public.outcome_labels o
    where o.quality_score >= coalesce(p_min_quality_score, 0.6)
      and (p_organization_id is null or o.organization_id = p_organization_id)
      and (p_after is null or o.id > p_after)
      and o.message_body is not null and btrim(o.message_body) <> ''
    order by o.id
    limit least(greatest(coalesce(p_limit, 1000), 1), 10000)
  )
  select jsonb_build_object(
    'rows', coalesce(jsonb_agg(to_jsonb(page) order by page.id), '[]'::jsonb),
    'next_after', case
      when count(*) = least(greatest(coalesce(p_limit, 1000), 1), 10000)
      then (array_agg(page.id order by page.id desc))[1]
    end
  )
  from page
$$;

create or replace function public.count_training_ready(
  p_organization_id text default null,
  p_min_quality_score numeric default 0.6
) returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object('count', count(*))
  from public.outcome_labels o
  where o.quality_score >= coalesce(p_min_quality_score, 0.6)
    and (p_organization_id is null or o.organization_id = p_organization_id)
    and o.message_body is not null and btrim(o.message_body) <> ''
$$;

revoke all on table public.training_ready_outcomes, public.flywheel_weekly,
  public.rollout_message_outcomes from anon, authenticated;
grant select on table public.training_ready_outcomes, public.flywheel_weekly,
  public.rollout_message_outcomes to authenticated, service_role;

do $$
declare
  v_function regprocedure;
begin
  for v_function in
    select p.oid::regprocedure from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public' and p.proname in (
      'rollout_daily_cohorts', 'record_message_sent', 'registry_rebalance_baseline',
      'register_model', 'set_baseline_model', 'deploy_model', 'promote_model', 'deprecate_model',
      'rollback_model', 'export_training_outcomes', 'count_training_ready'
    )
  loop
    execute format('revoke all on function %s from public, anon, authenticated', v_function);
    execute format('grant execute on function %s to service_role', v_function);
  end loop;
end
$$;
