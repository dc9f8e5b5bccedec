-- The store's API: every read and write the gateway makes is a call to a function defined in these
-- migrations, so the three transports (PGlite, pg, supabase-js rpc) behave the same. Conventions,
-- kept by every store function in every file:
--   * named arguments prefixed p_, result jsonb (a row as an object, a list as an array, SQL NULL
--     for "not found");
--   * security invoker (no security definer is needed: the gateway calls them as service_role or
--     as the database owner), search_path pinned to '' and every name schema-qualified;
--   * executable by service_role only (each file ends by granting its functions); tenants reach
--     their rows through the tables and Row Level Security, never through these functions;
--   * the organization is an explicit argument; a row of another organization is "not found".
--
-- This file: organizations and API keys. Changes to api_keys are announced on the channel
-- rekindle_api_keys so every gateway instance refreshes its in-memory key cache at once.

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
      'revoke_api_key', 'list_active_api_keys', 'mark_api_keys_used'
    )
  loop
    execute format('revoke all on function %s from public, anon, authenticated', v_function);
    execute format('grant execute on function %s to service_role', v_function);
  end loop;
end
$$;
