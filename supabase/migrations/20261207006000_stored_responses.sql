-- Stored responses of POST /v1/responses (`store: true`, OpenAI's default): the response object as
-- the client got it and the conversation that led to it, kept per organization until expires_at
-- (config `responses.retention_days`) for GET/DELETE /v1/responses/{id}, `previous_response_id` and
-- `item_reference`. Written behind the answer in batches; every read and delete names the
-- organization, so another organization's id is "not found". Tenants reading through PostgREST see
-- only their own rows (Row Level Security on the JWT claim app_metadata.organization_id).

create table if not exists public.stored_responses (
  id text primary key,
  organization_id text not null,
  response jsonb not null,
  input_items jsonb not null default '[]'::jsonb,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);

create index if not exists stored_responses_organization_created
  on public.stored_responses (organization_id, created_at);
create index if not exists stored_responses_expires_at on public.stored_responses (expires_at);

revoke all on table public.stored_responses from public, anon, authenticated;
grant all on table public.stored_responses to service_role;
grant select, delete on table public.stored_responses to authenticated;
alter table public.stored_responses enable row level security;

drop policy if exists stored_responses_select_own on public.stored_responses;
create policy stored_responses_select_own on public.stored_responses
  for select to authenticated
  using (organization_id = (select auth.jwt() -> 'app_metadata' ->> 'organization_id'));

drop policy if exists stored_responses_delete_own on public.stored_responses;
create policy stored_responses_delete_own on public.stored_responses
  for delete to authenticated
  using (organization_id = (select auth.jwt() -> 'app_metadata' ->> 'organization_id'));

-- A batch of responses [{id, organization_id, response, input_items, created_at, expires_at}]; an
-- id already stored is left as it is (a retried batch changes nothing). Returns the rows written.
create or replace function public.store_responses(p_rows jsonb)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_count integer;
begin
  insert into public.stored_responses (
    id, organization_id, response, input_items, created_at, expires_at
  )
  select
    r ->> 'id',
    r ->> 'organization_id',
    r -> 'response',
    coalesce(r -> 'input_items', '[]'::jsonb),
    (r ->> 'created_at')::timestamptz,
    (r ->> 'expires_at')::timestamptz
  from jsonb_array_elements(p_rows) as r
  on conflict (id) do nothing;
  get diagnostics v_count = row_count;
  return v_count;
end
$$;

-- One organization's unexpired response, or null.
create or replace function public.get_stored_response(p_organization_id text, p_id text)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', s.id,
    'organization_id', s.organization_id,
    'response', s.response,
    'input_items', s.input_items,
    'created_at', s.created_at,
    'expires_at', s.expires_at
  )
  from public.stored_responses s
  where s.id = p_id and s.organization_id = p_organization_id and s.expires_at > now()
$$;

-- Deletes one organization's response; true when there was an unexpired one.
create or replace function public.delete_stored_response(p_organization_id text, p_id text)
returns boolean
language plpgsql
set search_path = ''
as $$
declare
  v_found boolean;
begin
  delete from public.stored_responses s
  where s.id = p_id and s.organization_id = p_organization_id
  returning s.expires_at > now() into v_found;
  return coalesce(v_found, false);
end
$$;

-- Deletes up to p_limit expired responses (the purge runs it until it returns less than p_limit).
create or replace function public.purge_stored_responses(p_limit integer)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_count integer;
begin
  delete from public.stored_responses s
  where s.id in (
    select e.id from public.stored_responses e
    where e.expires_at <= now()
    order by e.expires_at
    limit p_limit
  );
  get diagnostics v_count = row_count;
  return v_count;
end
$$;

do $$
declare
  v_function regprocedure;
begin
  for v_function in
    select p.oid::regprocedure from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public' and p.proname in (
      'store_responses', 'get_stored_response', 'delete_stored_response', 'purge_stored_responses'
    )
  loop
    execute format('revoke all on function %s from public, anon, authenticated', v_function);
    execute format('grant execute on function %s to service_role', v_function);
  end loop;
end
$$;
