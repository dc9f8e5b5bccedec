-- Supabase compatibility: on a Supabase project these roles and helpers already exist and are left
-- alone; on plain PostgreSQL 15 and PGlite they are created so the same migrations run everywhere.
--
-- This file opens the baseline that replaced the fifteen 20261128… migrations of the first
-- development round (docs/data-model.md, "Migrations"): one file per object group, every function,
-- view and trigger defined once in its final form. supabase/schema.sql is the schema they produce.

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
end
$$;

create schema if not exists auth;
grant usage on schema auth to anon, authenticated, service_role;

-- auth.jwt() and auth.uid() read the claims PostgREST puts in request.jwt.claims, as Supabase's do.
do $$
begin
  if not exists (
    select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'auth' and p.proname = 'jwt'
  ) then
    execute $fn$
      create function auth.jwt() returns jsonb
      language sql stable
      as $body$
        select coalesce(
          nullif(current_setting('request.jwt.claim', true), ''),
          nullif(current_setting('request.jwt.claims', true), '')
        )::jsonb
      $body$
    $fn$;
  end if;
  if not exists (
    select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'auth' and p.proname = 'uid'
  ) then
    execute $fn$
      create function auth.uid() returns uuid
      language sql stable
      as $body$
        select nullif(
          coalesce(
            current_setting('request.jwt.claim.sub', true),
            (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
          ),
          ''
        )::uuid
      $body$
    $fn$;
  end if;
end
$$;

-- Named without an argument list: each name is unique in auth (Supabase's and ours alike).
grant execute on function auth.jwt, auth.uid to anon, authenticated, service_role;
