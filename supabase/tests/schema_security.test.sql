-- Catalog checks that keep the schema safe as it grows: RLS on every table in public, no security
-- definer functions in the exposed schema, views that respect RLS, store functions not callable
-- by anon or authenticated.
begin;
create extension if not exists pgtap;
select plan(9);

select is_empty($$
  select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relrowsecurity
$$, 'every table in public has Row Level Security enabled');

select is_empty($$
  select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname = 'public' and p.prosecdef
    and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
$$, 'no security definer function in the exposed schema');

select is_empty($$
  select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where n.nspname = 'public' and c.relkind = 'v'
    and not coalesce(c.reloptions @> array['security_invoker=true'], false)
    -- views that belong to an extension (pgTAP's own) are not ours to judge
    and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype = 'e')
$$, 'every view in public is security_invoker');

select is_empty($$
  select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname = 'public' and p.prorettype = 'jsonb'::regtype
    and (has_function_privilege('anon', p.oid, 'execute')
      or has_function_privilege('authenticated', p.oid, 'execute'))
$$, 'store functions (jsonb results) are not executable by anon or authenticated');

select ok(has_function_privilege('service_role', 'public.track_messages(jsonb)', 'execute'),
  'service_role can call the store functions');
select ok((select rolbypassrls from pg_roles where rolname = 'service_role'),
  'service_role bypasses RLS');

select has_view('public', 'training_ready_outcomes', 'view training_ready_outcomes exists');
select has_view('public', 'model_leaderboard', 'view model_leaderboard exists');
select has_view('public', 'flywheel_weekly', 'view flywheel_weekly exists');

select * from finish();
rollback;
