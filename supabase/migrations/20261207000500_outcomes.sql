-- Outcomes: tracking generated messages, the events of their life (reply, meeting, deal) reported
-- through the tracking API, and the training export. Store-function conventions:
-- …000300_organizations_and_api_keys.sql.
--
-- Training-ready means quality_score >= threshold (default 0.6) and a non-empty message body: the
-- same rule in the view training_ready_outcomes, in flywheel_weekly, in count_training_ready and in
-- export_training_outcomes. A row without prompt messages is exported with a prompt built from its
-- own fields (src/pipeline/training/export).

-- Tracking -----------------------------------------------------------------------------------

-- Batch insert for the tracking buffer. Rows are outcome_labels columns as JSON; the id is minted by
-- the gateway, so a batch retried after an unclear failure inserts nothing twice. Only the columns
-- it inserts are read (jsonb_to_recordset) rather than a whole outcome_labels record per row, and a
-- new message gets its score (no stage reached yet) here, so the per-row score trigger skips it.
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
    quality_score
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
    )
  from jsonb_to_recordset(p_rows) as r(
    id uuid, organization_id text, campaign_id text, lead_id text, channel text, route text,
    message_body text, subject_line text, agent_decisions jsonb, framework text, tone text,
    model_id text, model_version text, variant text, provider text, request_id text,
    prompt_messages jsonb, lead_data jsonb, cost_usd numeric, latency_ms integer,
    prompt_tokens integer, completion_tokens integer, created_at timestamptz
  )
  on conflict (id) do nothing;
  get diagnostics v_count = row_count;
  return jsonb_build_object('inserted', v_count, 'received', jsonb_array_length(p_rows));
end
$$;

create or replace function public.get_outcome(p_organization_id text, p_id uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select to_jsonb(o) from public.outcome_labels o
  where o.id = p_id and o.organization_id = p_organization_id
$$;

-- A message generated or sent outside the gateway (POST /v1/outcomes). Missing route, version,
-- model id and provider come from the registry row that matches the given version, else the given
-- model id (same order as rollout_message_outcomes, within the given route if any; the registry is
-- global: every organization sees every row); the route is `outreach` when nothing matches. An id
-- that exists already is not written again.
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
begin
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
  return to_jsonb(v_row);
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
begin
  update public.outcome_labels set
    meeting_booked = true,
    meeting_time = coalesce(p_meeting_time, meeting_time),
    meeting_booked_at = coalesce(p_booked_at, meeting_booked_at, now())
  where id = p_id and organization_id = p_organization_id
  returning * into v_row;
  if not found then
    return null;
  end if;
  return to_jsonb(v_row);
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
begin
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
  return to_jsonb(v_row);
end
$$;

-- Training export ----------------------------------------------------------------------------

-- One keyset page at a time (ordered by id; UUIDv7 ids make that time order), so a million rows
-- stream in pages without OFFSET. next_after is null on the last page.
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

do $$
declare
  v_function regprocedure;
begin
  for v_function in
    select p.oid::regprocedure from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public' and p.proname in (
      'track_messages', 'get_outcome', 'record_message_sent', 'record_reply', 'record_meeting',
      'record_deal', 'export_training_outcomes', 'count_training_ready'
    )
  loop
    execute format('revoke all on function %s from public, anon, authenticated', v_function);
    execute format('grant execute on function %s to service_role', v_function);
  end loop;
end
$$;

-- Views --------------------------------------------------------------------------------------
-- All views are security_invoker (PostgreSQL >= 15), so a tenant reading them through PostgREST
-- sees only its own organization's outcomes (RLS of the underlying tables applies); service_role
-- and the owner see everything.

-- Outcomes good enough to train on at the default threshold (0.6). export_training_outcomes()
-- applies the same rule with any threshold.
create or replace view public.training_ready_outcomes
with (security_invoker = true) as
select o.*
from public.outcome_labels o
where o.quality_score >= 0.6
  and o.message_body is not null and btrim(o.message_body) <> '';

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
  ) as training_ready_count,
  count(distinct o.model_version) as active_model_versions
from public.outcome_labels o
group by 1, 2;

revoke all on table public.training_ready_outcomes, public.flywheel_weekly
  from anon, authenticated;
grant select on table public.training_ready_outcomes, public.flywheel_weekly
  to service_role, authenticated;
