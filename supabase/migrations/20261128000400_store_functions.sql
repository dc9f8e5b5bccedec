-- The store's API: every read and write the gateway makes is one of these functions, so the three
-- transports (PGlite, pg, supabase-js rpc) behave the same. Conventions:
--   * named arguments prefixed p_, result jsonb (a row as an object, a list as an array, SQL NULL
--     for "not found");
--   * security invoker (no security definer is needed: the gateway calls them as service_role or
--     as the database owner), search_path pinned to '' and every name schema-qualified;
--   * executable by service_role only (see the end of the file); tenants reach their rows through
--     the tables and Row Level Security, never through these functions;
--   * the organization is an explicit argument; a row of another organization is "not found".
-- Changes to api_keys are announced on the channel rekindle_api_keys so every gateway instance
-- refreshes its in-memory key cache at once.

-- Organizations ------------------------------------------------------------------------------

create or replace function public.ensure_organization(p_id text, p_name text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_row public.organizations;
begin
  if p_id is null or btrim(p_id) = '' then
    raise exception 'organization id is required' using errcode = '22023';
  end if;
  insert into public.organizations (id, name) values (p_id, p_name)
  on conflict (id) do nothing;
  if p_name is not null then
    update public.organizations set name = p_name, updated_at = now()
    where id = p_id and name is distinct from p_name;
  end if;
  select * into v_row from public.organizations where id = p_id;
  return to_jsonb(v_row);
end
$$;

create or replace function public.list_organizations()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(to_jsonb(o) order by o.id), '[]'::jsonb)
  from public.organizations o
$$;

-- API keys -----------------------------------------------------------------------------------
-- Only a SHA-256 hash of a key is stored; the key itself is shown once, by whoever created it.

create or replace function public.create_api_key(
  p_organization_id text,
  p_key_hash text,
  p_key_prefix text,
  p_name text default null,
  p_rpm_limit integer default null
) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_row public.api_keys;
begin
  if p_organization_id is null or btrim(p_organization_id) = '' then
    raise exception 'organization id is required' using errcode = '22023';
  end if;
  insert into public.organizations (id) values (p_organization_id) on conflict (id) do nothing;
  insert into public.api_keys (organization_id, name, key_hash, key_prefix, rpm_limit)
  values (p_organization_id, p_name, p_key_hash, p_key_prefix, p_rpm_limit)
  returning * into v_row;
  perform pg_notify('rekindle_api_keys', jsonb_build_object(
    'op', 'created', 'id', v_row.id, 'organization_id', v_row.organization_id)::text);
  return to_jsonb(v_row) - 'key_hash';
end
$$;

create or replace function public.list_api_keys(
  p_organization_id text default null,
  p_include_revoked boolean default false
) returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(to_jsonb(k) - 'key_hash' order by k.created_at, k.id), '[]'::jsonb)
  from public.api_keys k
  where (p_organization_id is null or k.organization_id = p_organization_id)
    and (p_include_revoked or k.revoked_at is null)
$$;

-- Revokes by id or by the printed prefix; a prefix matching several live keys is refused.
create or replace function public.revoke_api_key(
  p_key text,
  p_organization_id text default null
) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_ids uuid[];
  v_row public.api_keys;
begin
  if p_key ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    select array_agg(k.id) into v_ids from public.api_keys k
    where k.id = p_key::uuid
      and (p_organization_id is null or k.organization_id = p_organization_id);
  else
    select array_agg(k.id order by k.revoked_at nulls first) into v_ids from public.api_keys k
    where k.key_prefix = p_key
      and (p_organization_id is null or k.organization_id = p_organization_id);
  end if;
  if v_ids is null then
    return null;
  end if;
  if cardinality(v_ids) > 1 then
    raise exception 'key prefix % matches % keys; revoke by id', p_key, cardinality(v_ids)
      using errcode = '21000';
  end if;
  update public.api_keys set revoked_at = coalesce(revoked_at, now())
  where id = v_ids[1]
  returning * into v_row;
  perform pg_notify('rekindle_api_keys', jsonb_build_object(
    'op', 'revoked', 'id', v_row.id, 'organization_id', v_row.organization_id)::text);
  return to_jsonb(v_row) - 'key_hash';
end
$$;

-- What the gateway's in-memory key cache loads: live keys with their hash, and how many keys were
-- revoked (once any key exists, live or revoked, the gateway never falls back to open access).
create or replace function public.list_active_api_keys()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'keys', coalesce(jsonb_agg(jsonb_build_object(
      'id', k.id,
      'organization_id', k.organization_id,
      'key_hash', k.key_hash,
      'rpm_limit', k.rpm_limit
    ) order by k.created_at, k.id) filter (where k.revoked_at is null), '[]'::jsonb),
    'revoked_count', count(*) filter (where k.revoked_at is not null)
  )
  from public.api_keys k
$$;

-- The key cache reports the keys it saw in use, in one batch per refresh.
create or replace function public.mark_api_keys_used(p_ids jsonb, p_used_at timestamptz default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_count integer;
begin
  update public.api_keys set last_used_at = coalesce(p_used_at, now())
  where id in (select value::uuid from jsonb_array_elements_text(coalesce(p_ids, '[]'::jsonb)));
  get diagnostics v_count = row_count;
  return jsonb_build_object('updated', v_count);
end
$$;

-- Outcomes -----------------------------------------------------------------------------------

-- Batch insert for the tracking buffer. Rows are outcome_labels columns as JSON; the id is minted by
-- the gateway, so a batch retried after an unclear failure inserts nothing twice.
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
    prompt_messages, lead_data, cost_usd, latency_ms, prompt_tokens, completion_tokens, created_at
  )
  select
    coalesce(r.id, gen_random_uuid()), r.organization_id, r.campaign_id, r.lead_id,
    coalesce(r.channel, 'email'), r.route, r.message_body, r.subject_line,
    coalesce(r.agent_decisions, '{}'::jsonb),
    coalesce(r.framework, r.agent_decisions ->> 'framework'),
    coalesce(r.tone, r.agent_decisions ->> 'tone'),
    r.model_id, r.model_version, r.variant, r.provider, r.request_id,
    r.prompt_messages, coalesce(r.lead_data, '{}'::jsonb), r.cost_usd, r.latency_ms,
    r.prompt_tokens, r.completion_tokens, coalesce(r.created_at, now())
  from jsonb_populate_recordset(null::public.outcome_labels, p_rows) r
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

-- A message generated or sent outside the gateway, reported through the tracking API.
create or replace function public.record_message_sent(p_organization_id text, p_message jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_id uuid := coalesce((p_message ->> 'id')::uuid, gen_random_uuid());
begin
  perform public.track_messages(jsonb_build_array(
    coalesce(p_message, '{}'::jsonb)
      || jsonb_build_object('id', v_id, 'organization_id', p_organization_id)
  ));
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

-- Training export, one keyset page at a time (ordered by id; UUIDv7 ids make that time order), so
-- a million rows stream in pages without OFFSET. Same readiness rule as the view
-- training_ready_outcomes, with the threshold as an argument. next_after is null on the last page.
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
      and jsonb_typeof(o.prompt_messages) = 'array' and jsonb_array_length(o.prompt_messages) > 0
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
    and jsonb_typeof(o.prompt_messages) = 'array' and jsonb_array_length(o.prompt_messages) > 0
$$;

-- Only the gateway (service_role, or the owner it connects as) may call the store functions.
-- Supabase grants execute on new functions to anon and authenticated by default; take it back.
do $$
declare
  v_function regprocedure;
begin
  for v_function in
    select p.oid::regprocedure from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public' and p.proname in (
      'ensure_organization', 'list_organizations', 'create_api_key', 'list_api_keys',
      'revoke_api_key', 'list_active_api_keys', 'mark_api_keys_used', 'track_messages',
      'get_outcome', 'record_message_sent', 'record_reply', 'record_meeting', 'record_deal',
      'export_training_outcomes', 'count_training_ready'
    )
  loop
    execute format('revoke all on function %s from public, anon, authenticated', v_function);
    execute format('grant execute on function %s to service_role', v_function);
  end loop;
end
$$;
