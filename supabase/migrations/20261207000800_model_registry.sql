-- Model registry operations (the seed's register_model, set_baseline_model, deploy_model,
-- promote_model, deprecate_model, plus rollback). Each one locks the route, keeps the invariants
-- (one active baseline per route; testing traffic of a route ≤ 100 %; the baseline's stored
-- traffic_percentage is what the testing variants leave, 100 − their sum), writes rollout_events
-- and announces the route on channel rekindle_registry so every gateway instance reloads its
-- snapshot. What they do: docs/routing.md.
--
-- The operations take the model first and the route second, defaulting to `outreach` (a NULL route
-- too), so the seed's short calls work: `select deploy_model('v1.1.0', 10)`. The change options
-- follow in one order everywhere (p_actor, p_reason, p_automatic, p_details); call these functions
-- with named arguments. p_ref is the registry id, the model version or the model id.
-- Store-function conventions: …000300_organizations_and_api_keys.sql.

-- Helpers --------------------------------------------------------------------------------------

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

-- Operations -----------------------------------------------------------------------------------

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

create or replace function public.set_baseline_model(
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

create or replace function public.deploy_model(
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

create or replace function public.promote_model(
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

create or replace function public.deprecate_model(
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
create or replace function public.rollback_model(
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

-- Reads ----------------------------------------------------------------------------------------

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

-- Automatic changes (rollout automation) -------------------------------------------------------
-- A decision of the rollout engine (promote or roll back a variant) is acted on at most once, and
-- only one gateway instance acts on a route at a time (table rollout_automation_claims).

-- The claim row when the caller now holds the decision, else null (another instance acts on this
-- route right now, or the decision was already acted on). One instance at a time per route: the
-- others skip this round instead of waiting.
create or replace function public.claim_rollout_action(
  p_decision_key text,
  p_route text,
  p_model_version text,
  p_action text,
  p_holder text,
  p_details jsonb default '{}'::jsonb,
  p_stale_after_seconds integer default 600
) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_row public.rollout_automation_claims;
begin
  if p_decision_key is null or p_route is null or p_model_version is null then
    raise exception 'decision key, route and model version are required' using errcode = '22023';
  end if;
  if not pg_try_advisory_xact_lock(hashtext('rekindle_rollout_automation:' || p_route)) then
    return null;
  end if;
  insert into public.rollout_automation_claims
    (decision_key, route, model_version, action, holder, details)
  values (p_decision_key, p_route, p_model_version, p_action, p_holder,
          coalesce(p_details, '{}'::jsonb))
  on conflict (decision_key) do update
    set status = 'claimed', holder = excluded.holder, details = excluded.details,
        attempts = public.rollout_automation_claims.attempts + 1, error = null,
        claimed_at = now(), finished_at = null
    where (public.rollout_automation_claims.status = 'failed'
           and public.rollout_automation_claims.attempts < 3)
       or (public.rollout_automation_claims.status = 'claimed'
           and public.rollout_automation_claims.claimed_at
               < now() - make_interval(secs => coalesce(p_stale_after_seconds, 600)))
  returning * into v_row;
  if not found then
    return null;
  end if;
  return to_jsonb(v_row);
end
$$;

-- Records how a claimed decision ended ('applied' or 'failed' with the error); only the holder may.
create or replace function public.finish_rollout_action(
  p_decision_key text,
  p_holder text,
  p_status text,
  p_error text default null
) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_row public.rollout_automation_claims;
begin
  if p_status not in ('applied', 'failed') then
    raise exception 'status must be applied or failed' using errcode = '22023';
  end if;
  update public.rollout_automation_claims
  set status = p_status, error = p_error, finished_at = now()
  where decision_key = p_decision_key and holder is not distinct from p_holder
    and status = 'claimed'
  returning * into v_row;
  if not found then
    return null;
  end if;
  return to_jsonb(v_row);
end
$$;

create or replace function public.list_rollout_action_claims(
  p_route text default null,
  p_limit integer default 100
) returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(to_jsonb(c) order by c.claimed_at desc), '[]'::jsonb)
  from (
    select * from public.rollout_automation_claims
    where p_route is null or route = p_route
    order by claimed_at desc
    limit greatest(coalesce(p_limit, 100), 1)
  ) c
$$;

do $$
declare
  v_function regprocedure;
begin
  for v_function in
    select p.oid::regprocedure from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public' and p.proname in (
      'registry_lock_route', 'registry_find', 'registry_audit', 'registry_rebalance_baseline',
      'register_model', 'set_baseline_model', 'deploy_model', 'promote_model', 'deprecate_model',
      'rollback_model', 'list_models', 'list_rollout_events', 'claim_rollout_action',
      'finish_rollout_action', 'list_rollout_action_claims'
    )
  loop
    execute format('revoke all on function %s from public, anon, authenticated', v_function);
    execute format('grant execute on function %s to service_role', v_function);
  end loop;
end
$$;

-- Registry rows currently receiving traffic (security_invoker, like every view).
create or replace view public.active_models
with (security_invoker = true) as
select r.*
from public.model_registry r
where r.status in ('active', 'testing');

revoke all on table public.active_models from anon, authenticated;
grant select on table public.active_models to authenticated, service_role;
