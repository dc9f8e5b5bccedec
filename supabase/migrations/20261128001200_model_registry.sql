-- Model registry operations (the seed's register_model, set_baseline_model, deploy_model,
-- promote_model, deprecate_model, plus rollback). Each one locks the route's rows, keeps the
-- invariants (one active baseline per route; testing traffic of a route ≤ 100 %, the baseline takes
-- the rest), writes rollout_events and announces the route on channel rekindle_registry so every
-- gateway instance reloads its snapshot.

create or replace function public.registry_lock_route(p_route text)
returns void
language sql
set search_path = ''
as $$
  select pg_advisory_xact_lock(hashtext('rekindle_registry:' || p_route))
$$;

create or replace function public.registry_find(p_route text, p_ref text)
returns public.model_registry
language sql
stable
set search_path = ''
as $$
  select r.* from public.model_registry r
  where (r.id::text = p_ref or ((p_route is null or r.route = p_route) and r.model_version = p_ref)
         or ((p_route is null or r.route = p_route) and r.model_id = p_ref))
  order by (r.id::text = p_ref) desc, r.created_at desc
  limit 1
$$;

create or replace function public.registry_audit(
  p_route text, p_version text, p_action text, p_automatic boolean, p_actor text, p_reason text,
  p_details jsonb
) returns void
language plpgsql
set search_path = ''
as $$
begin
  insert into public.rollout_events (route, model_version, action, automatic, actor, reason, details)
  values (p_route, p_version, p_action, coalesce(p_automatic, false), p_actor, p_reason,
          coalesce(p_details, '{}'::jsonb));
  perform pg_notify('rekindle_registry', jsonb_build_object('route', p_route, 'action', p_action)::text);
end
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
  v_row public.model_registry;
begin
  perform public.registry_lock_route(p_route);
  select * into v_row from public.model_registry
  where route = p_route and model_version = p_model_version;
  if found then
    if v_row.model_id <> p_model_id then
      raise exception 'model version % already exists on route % for model %',
        p_model_version, p_route, v_row.model_id using errcode = '23505';
    end if;
    return to_jsonb(v_row);
  end if;
  insert into public.model_registry (route, model_id, provider, model_version, base_model,
                                     training_run_id, training_stats)
  values (p_route, p_model_id, p_provider, p_model_version, p_base_model, p_training_run_id,
          coalesce(p_training_stats, '{}'::jsonb))
  returning * into v_row;
  perform public.registry_audit(p_route, p_model_version, 'register', false, p_actor, null,
    jsonb_build_object('model_id', p_model_id, 'provider', p_provider));
  return to_jsonb(v_row);
end
$$;

create or replace function public.set_baseline_model(
  p_route text,
  p_ref text,
  p_actor text default null,
  p_automatic boolean default false,
  p_reason text default null,
  p_details jsonb default '{}'::jsonb,
  p_action text default 'set_baseline'
) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_row public.model_registry;
  v_previous public.model_registry;
begin
  perform public.registry_lock_route(p_route);
  v_row := public.registry_find(p_route, p_ref);
  if v_row.id is null or v_row.route <> p_route then
    raise exception 'no model % on route %', p_ref, p_route using errcode = 'P0002';
  end if;
  select * into v_previous from public.model_registry where route = p_route and is_baseline;
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
  where id = v_row.id
  returning * into v_row;
  perform public.registry_audit(p_route, v_row.model_version, p_action, p_automatic, p_actor, p_reason,
    coalesce(p_details, '{}'::jsonb) || jsonb_build_object('previous_baseline', v_previous.model_version));
  return to_jsonb(v_row);
end
$$;

create or replace function public.deploy_model(
  p_route text,
  p_ref text,
  p_traffic_percentage numeric,
  p_ab_test_group text default null,
  p_actor text default null,
  p_automatic boolean default false
) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_row public.model_registry;
  v_others numeric;
begin
  if p_traffic_percentage is null or p_traffic_percentage <= 0 or p_traffic_percentage > 100 then
    raise exception 'traffic_percentage must be in (0, 100]' using errcode = '22023';
  end if;
  perform public.registry_lock_route(p_route);
  v_row := public.registry_find(p_route, p_ref);
  if v_row.id is null or v_row.route <> p_route then
    raise exception 'no model % on route %', p_ref, p_route using errcode = 'P0002';
  end if;
  if v_row.is_baseline then
    raise exception 'model % is the baseline of route %; it already takes the remaining traffic',
      v_row.model_version, p_route using errcode = '22023';
  end if;
  select coalesce(sum(traffic_percentage), 0) into v_others from public.model_registry
  where route = p_route and status = 'testing' and id <> v_row.id;
  if v_others + p_traffic_percentage > 100 then
    raise exception 'traffic of route % would be % %% (other variants hold % %%); at most 100',
      p_route, v_others + p_traffic_percentage, v_others using errcode = '22023';
  end if;
  update public.model_registry
  set status = 'testing', traffic_percentage = p_traffic_percentage,
      ab_test_group = coalesce(p_ab_test_group, ab_test_group),
      deployed_at = now(), deprecated_at = null, updated_at = now()
  where id = v_row.id
  returning * into v_row;
  perform public.registry_audit(p_route, v_row.model_version, 'deploy', p_automatic, p_actor, null,
    jsonb_build_object('traffic_percentage', p_traffic_percentage, 'ab_test_group', v_row.ab_test_group));
  return to_jsonb(v_row);
end
$$;

create or replace function public.promote_model(
  p_route text,
  p_ref text,
  p_actor text default null,
  p_automatic boolean default false,
  p_reason text default null,
  p_details jsonb default '{}'::jsonb
) returns jsonb
language sql
set search_path = ''
as $$
  select public.set_baseline_model(p_route, p_ref, p_actor, p_automatic, p_reason, p_details, 'promote')
$$;

create or replace function public.deprecate_model(
  p_route text,
  p_ref text,
  p_actor text default null,
  p_reason text default null
) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_row public.model_registry;
begin
  perform public.registry_lock_route(p_route);
  v_row := public.registry_find(p_route, p_ref);
  if v_row.id is null or v_row.route <> p_route then
    raise exception 'no model % on route %', p_ref, p_route using errcode = 'P0002';
  end if;
  if v_row.is_baseline then
    raise exception 'model % is the baseline of route %; promote another model first',
      v_row.model_version, p_route using errcode = '22023';
  end if;
  update public.model_registry
  set status = 'deprecated', traffic_percentage = 0, deprecated_at = now(), updated_at = now()
  where id = v_row.id
  returning * into v_row;
  perform public.registry_audit(p_route, v_row.model_version, 'deprecate', false, p_actor, p_reason, '{}');
  return to_jsonb(v_row);
end
$$;

-- Rolling back a testing variant takes its traffic away; rolling back a route (no model given)
-- restores the baseline it had before the last promotion.
create or replace function public.rollback_model(
  p_route text,
  p_ref text default null,
  p_actor text default null,
  p_automatic boolean default false,
  p_reason text default null,
  p_details jsonb default '{}'::jsonb
) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_row public.model_registry;
  v_current public.model_registry;
  v_previous public.model_registry;
begin
  perform public.registry_lock_route(p_route);
  if p_ref is not null then
    v_row := public.registry_find(p_route, p_ref);
    if v_row.id is null or v_row.route <> p_route then
      raise exception 'no model % on route %', p_ref, p_route using errcode = 'P0002';
    end if;
  end if;
  if v_row.id is not null and not v_row.is_baseline then
    update public.model_registry
    set status = 'rolled_back', traffic_percentage = 0, updated_at = now()
    where id = v_row.id
    returning * into v_row;
    perform public.registry_audit(p_route, v_row.model_version, 'rollback', p_automatic, p_actor,
      p_reason, p_details);
    return to_jsonb(v_row);
  end if;
  select * into v_current from public.model_registry where route = p_route and is_baseline;
  -- The baseline before the current one is named in the audit trail of the change that replaced it.
  select r.* into v_previous
  from public.rollout_events e
  join public.model_registry r on r.route = e.route and r.model_version = e.details ->> 'previous_baseline'
  where e.route = p_route and e.action in ('promote', 'set_baseline')
    and e.model_version = v_current.model_version and not r.is_baseline
  order by e.created_at desc, e.id desc
  limit 1;
  if v_previous.id is null then
    raise exception 'route % has no earlier baseline to roll back to', p_route using errcode = 'P0002';
  end if;
  if v_current.id is not null then
    update public.model_registry
    set is_baseline = false, status = 'rolled_back', traffic_percentage = 0, updated_at = now()
    where id = v_current.id;
  end if;
  update public.model_registry
  set is_baseline = true, status = 'active', traffic_percentage = 0, deprecated_at = null,
      updated_at = now()
  where id = v_previous.id
  returning * into v_previous;
  perform public.registry_audit(p_route, v_previous.model_version, 'rollback', p_automatic, p_actor,
    p_reason, coalesce(p_details, '{}'::jsonb) || jsonb_build_object('replaced', v_current.model_version));
  return to_jsonb(v_previous);
end
$$;

create or replace function public.list_models(p_route text default null)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(to_jsonb(r) order by r.route, r.created_at), '[]'::jsonb)
  from public.model_registry r
  where p_route is null or r.route = p_route
$$;

create or replace function public.list_rollout_events(p_route text default null, p_limit integer default 100)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(to_jsonb(e) order by e.created_at desc, e.id desc), '[]'::jsonb)
  from (
    select * from public.rollout_events
    where p_route is null or route = p_route
    order by created_at desc, id desc
    limit greatest(coalesce(p_limit, 100), 1)
  ) e
$$;

do $$
declare
  v_function regprocedure;
begin
  for v_function in
    select p.oid::regprocedure from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public' and p.proname in (
      'registry_lock_route', 'registry_find', 'registry_audit', 'register_model',
      'set_baseline_model', 'deploy_model', 'promote_model', 'deprecate_model', 'rollback_model',
      'list_models', 'list_rollout_events'
    )
  loop
    execute format('revoke all on function %s from public, anon, authenticated', v_function);
    execute format('grant execute on function %s to service_role', v_function);
  end loop;
end
$$;
