-- Durable training runs (the seed's TrainingOrchestrator.run_training_cycle as a state machine):
--
--   exporting → uploading → queued ⇄ running → succeeded → registered → deployed
--                 ↘ failed | cancelled (from any state before registered)
--
-- Every gateway instance (and `rekindle train` on its own) drives runs through these functions:
--   * claim_training_run leases one runnable run (`for update skip locked`, locked_by /
--     locked_until), so two instances never work on the same run at once;
--   * advance_training_run is a compare-and-set: it changes a run only when the run is still in
--     the expected status AND still leased by the caller, so a worker whose lease was taken over
--     can never move the run again;
--   * leases are short and renewed while a step runs; between steps a run is unleased and waits
--     for next_poll_at (polling with backoff), so whichever instance is free picks it up.
-- Every status change is written to training_run_events. Store-function conventions:
-- …000300_organizations_and_api_keys.sql. Times come in as p_now (the orchestrator's clock) so a
-- simulated clock drives polling and leases alike.

-- Versions -----------------------------------------------------------------------------------
-- The seed's scheme: a minor bump per new data batch. The highest vMAJOR.MINOR.PATCH among the
-- route's live runs and registered models, minor + 1 (v1.0.0 → v1.1.0); v1.0.0 when there is none.
-- A major bump is an operator's call (--model-version v2.0.0).
create or replace function public.next_training_model_version(p_route text)
returns text
language sql
stable
set search_path = ''
as $$
  select coalesce(
    (select format('v%s.%s.0', v.major, v.minor + 1)
     from (
       select (m[1])::bigint as major, (m[2])::bigint as minor, (m[3])::bigint as patch
       from (
         select regexp_match(s.version, '^v(\d{1,9})\.(\d{1,9})\.(\d{1,9})$') as m
         from (
           select r.model_version as version from public.training_runs r
           where r.route = p_route and r.status not in ('failed', 'cancelled')
           union all
           select g.model_version from public.model_registry g where g.route = p_route
         ) s
       ) parsed
       where m is not null
     ) v
     order by v.major desc, v.minor desc, v.patch desc
     limit 1),
    'v1.0.0')
$$;

create or replace function public.training_run_event(
  p_run_id uuid, p_from text, p_to text, p_worker text, p_details jsonb, p_now timestamptz
) returns void
language sql
set search_path = ''
as $$
  insert into public.training_run_events (run_id, from_status, to_status, worker, details, created_at)
  values (p_run_id, p_from, p_to, p_worker, coalesce(p_details, '{}'::jsonb), coalesce(p_now, now()))
$$;

-- Create ---------------------------------------------------------------------------------------
-- → {"run": {...}, "created": true|false}. created is false when the schedule slot already has its
-- run, or (p_skip_if_active) when the route already has a run in progress: that run is returned.
create or replace function public.create_training_run(
  p_provider text,
  p_base_model text,
  p_route text default 'outreach',
  p_organization_id text default null,
  p_model_version text default null,
  p_min_quality_score numeric default 0.6,
  p_deploy_immediately boolean default false,
  p_ab_test_traffic numeric default null,
  p_hyperparameters jsonb default '{}'::jsonb,
  p_triggered_by text default 'api',
  p_schedule_slot text default null,
  p_skip_if_active boolean default false,
  p_now timestamptz default null
) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_now timestamptz := coalesce(p_now, now());
  v_route text := coalesce(nullif(btrim(p_route), ''), 'outreach');
  v_version text := nullif(btrim(p_model_version), '');
  v_row public.training_runs;
begin
  if p_provider is null or p_provider not in ('openai', 'together') then
    raise exception 'provider must be openai or together, not %', coalesce(p_provider, 'null')
      using errcode = '22023';
  end if;
  if p_base_model is null or btrim(p_base_model) = '' then
    raise exception 'base_model is required' using errcode = '22023';
  end if;
  if p_min_quality_score is null or p_min_quality_score < 0 or p_min_quality_score > 1 then
    raise exception 'min_quality_score must be in [0, 1]' using errcode = '22023';
  end if;
  if p_ab_test_traffic is not null and (p_ab_test_traffic <= 0 or p_ab_test_traffic > 100) then
    raise exception 'ab_test_traffic must be in (0, 100]' using errcode = '22023';
  end if;
  if v_version is not null and (length(v_version) > 64 or v_version !~ '^[A-Za-z0-9][A-Za-z0-9._-]*$') then
    raise exception 'model_version must be 1–64 letters, digits, dots, dashes or underscores'
      using errcode = '22023';
  end if;
  -- Versions are chosen and checked under a per-route lock, so concurrent cycles get distinct ones.
  perform pg_advisory_xact_lock(hashtext('rekindle_training:' || v_route));
  if p_schedule_slot is not null then
    select * into v_row from public.training_runs where schedule_slot = p_schedule_slot;
    if found then
      return jsonb_build_object('run', to_jsonb(v_row), 'created', false);
    end if;
  end if;
  if p_skip_if_active then
    select * into v_row from public.training_runs
    where route = v_route and finished_at is null
      and status not in ('registered', 'deployed', 'failed', 'cancelled')
    order by created_at desc limit 1;
    if found then
      return jsonb_build_object('run', to_jsonb(v_row), 'created', false);
    end if;
  end if;
  if v_version is null then
    v_version := public.next_training_model_version(v_route);
  elsif exists (select 1 from public.model_registry where route = v_route and model_version = v_version) then
    raise exception 'model version % is already registered on route %', v_version, v_route
      using errcode = '23505';
  elsif exists (select 1 from public.training_runs where route = v_route and model_version = v_version
                and status not in ('failed', 'cancelled')) then
    raise exception 'a training run for version % on route % already exists', v_version, v_route
      using errcode = '23505';
  end if;
  insert into public.training_runs (
    organization_id, route, provider, model_version, base_model, status, min_quality_score,
    deploy_immediately, ab_test_traffic, hyperparameters, triggered_by, schedule_slot,
    created_at, updated_at
  ) values (
    nullif(btrim(p_organization_id), ''), v_route, p_provider, v_version, p_base_model, 'exporting',
    p_min_quality_score, coalesce(p_deploy_immediately, false),
    case when coalesce(p_deploy_immediately, false) then coalesce(p_ab_test_traffic, 10) else p_ab_test_traffic end,
    coalesce(p_hyperparameters, '{}'::jsonb), coalesce(p_triggered_by, 'api'), p_schedule_slot,
    v_now, v_now
  ) returning * into v_row;
  perform public.training_run_event(v_row.id, null, 'exporting', null,
    jsonb_build_object('triggered_by', v_row.triggered_by, 'model_version', v_version), v_now);
  return jsonb_build_object('run', to_jsonb(v_row), 'created', true);
end
$$;

-- Lease ----------------------------------------------------------------------------------------
-- A run is runnable while it is in progress (or registered with a deploy still to do), unleased
-- (or its lease ran out) and due (next_poll_at passed). The oldest due run goes first.
create or replace function public.claim_training_run(
  p_worker text,
  p_lease_seconds numeric default 30,
  p_id uuid default null,
  p_now timestamptz default null
) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_now timestamptz := coalesce(p_now, now());
  v_row public.training_runs;
begin
  if p_worker is null or btrim(p_worker) = '' then
    raise exception 'worker id is required' using errcode = '22023';
  end if;
  select * into v_row from public.training_runs r
  where (r.status in ('exporting', 'uploading', 'queued', 'running', 'succeeded')
         or (r.status = 'registered' and r.deploy_immediately and r.error is null))
    and (p_id is null or r.id = p_id)
    and (r.locked_until is null or r.locked_until < v_now)
    and (r.next_poll_at is null or r.next_poll_at <= v_now)
  order by coalesce(r.next_poll_at, r.created_at), r.created_at
  limit 1
  for update skip locked;
  if not found then
    return null;
  end if;
  update public.training_runs
  set locked_by = p_worker,
      locked_until = v_now + make_interval(secs => greatest(coalesce(p_lease_seconds, 30), 1))
  where id = v_row.id
  returning * into v_row;
  return to_jsonb(v_row);
end
$$;

create or replace function public.renew_training_run_lease(
  p_id uuid,
  p_worker text,
  p_lease_seconds numeric default 30,
  p_now timestamptz default null
) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_count integer;
begin
  update public.training_runs
  set locked_until = coalesce(p_now, now()) + make_interval(secs => greatest(coalesce(p_lease_seconds, 30), 1))
  where id = p_id and locked_by = p_worker;
  get diagnostics v_count = row_count;
  return jsonb_build_object('renewed', v_count = 1);
end
$$;

create or replace function public.release_training_run(p_id uuid, p_worker text)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_count integer;
begin
  update public.training_runs set locked_by = null, locked_until = null
  where id = p_id and locked_by = p_worker;
  get diagnostics v_count = row_count;
  return jsonb_build_object('released', v_count = 1);
end
$$;

-- Only for a store with a single owner (embedded PGlite): a restarted process holds no lease, so
-- every lock left in the data directory is stale. Never call it on a shared database.
create or replace function public.release_training_run_locks()
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_count integer;
begin
  update public.training_runs set locked_by = null, locked_until = null
  where locked_by is not null;
  get diagnostics v_count = row_count;
  return jsonb_build_object('released', v_count);
end
$$;

-- Advance (compare-and-set) ----------------------------------------------------------------------
-- Changes the run only if it is still in p_expected_status and still leased by p_worker; returns
-- the new row, or SQL NULL when either no longer holds (the caller re-reads and stops). p_fields
-- may set: training_file_id, validation_file_id, provider_job_id, provider_status,
-- fine_tuned_model, stats, error, last_error, next_poll_at, poll_count, attempts, trained_tokens,
-- registry_id (a JSON null clears a field). p_status = p_expected_status records without moving.
create or replace function public.advance_training_run(
  p_id uuid,
  p_worker text,
  p_expected_status text,
  p_status text,
  p_fields jsonb default '{}'::jsonb,
  p_release boolean default false,
  p_now timestamptz default null
) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_now timestamptz := coalesce(p_now, now());
  f jsonb := coalesce(p_fields, '{}'::jsonb);
  v_row public.training_runs;
begin
  update public.training_runs r set
    status = p_status,
    training_file_id = case when f ? 'training_file_id' then f ->> 'training_file_id' else r.training_file_id end,
    validation_file_id = case when f ? 'validation_file_id' then f ->> 'validation_file_id' else r.validation_file_id end,
    provider_job_id = case when f ? 'provider_job_id' then f ->> 'provider_job_id' else r.provider_job_id end,
    provider_status = case when f ? 'provider_status' then f ->> 'provider_status' else r.provider_status end,
    fine_tuned_model = case when f ? 'fine_tuned_model' then f ->> 'fine_tuned_model' else r.fine_tuned_model end,
    stats = case when f ? 'stats' then coalesce(nullif(f -> 'stats', 'null'::jsonb), '{}'::jsonb) else r.stats end,
    error = case when f ? 'error' then nullif(f -> 'error', 'null'::jsonb) else r.error end,
    last_error = case when f ? 'last_error' then nullif(f -> 'last_error', 'null'::jsonb) else r.last_error end,
    next_poll_at = case when f ? 'next_poll_at' then (f ->> 'next_poll_at')::timestamptz else r.next_poll_at end,
    poll_count = case when f ? 'poll_count' then coalesce((f ->> 'poll_count')::integer, 0) else r.poll_count end,
    attempts = case when f ? 'attempts' then coalesce((f ->> 'attempts')::integer, 0) else r.attempts end,
    trained_tokens = case when f ? 'trained_tokens' then (f ->> 'trained_tokens')::bigint else r.trained_tokens end,
    registry_id = case when f ? 'registry_id' then (f ->> 'registry_id')::uuid else r.registry_id end,
    finished_at = case
      when p_status in ('registered', 'deployed', 'failed', 'cancelled') then coalesce(r.finished_at, v_now)
      else r.finished_at end,
    locked_by = case when p_release then null else r.locked_by end,
    locked_until = case when p_release then null else r.locked_until end,
    updated_at = v_now
  where r.id = p_id and r.status = p_expected_status and r.locked_by = p_worker
  returning * into v_row;
  if not found then
    return null;
  end if;
  if p_status <> p_expected_status then
    perform public.training_run_event(p_id, p_expected_status, p_status, p_worker,
      jsonb_strip_nulls(jsonb_build_object(
        'provider_status', v_row.provider_status,
        'provider_job_id', v_row.provider_job_id,
        'fine_tuned_model', v_row.fine_tuned_model,
        'error', v_row.error)), v_now);
  end if;
  return to_jsonb(v_row);
end
$$;

-- Cancel: any run still in progress, whoever holds its lease (that worker's next compare-and-set
-- fails and it stops). Cancelling a cancelled run returns it; a finished one is refused (55000).
create or replace function public.cancel_training_run(
  p_id uuid,
  p_reason text default null,
  p_actor text default null,
  p_provider_status text default null,
  p_now timestamptz default null
) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_now timestamptz := coalesce(p_now, now());
  v_row public.training_runs;
  v_from text;
begin
  select * into v_row from public.training_runs where id = p_id for update;
  if not found then
    return null;
  end if;
  if v_row.status = 'cancelled' then
    return to_jsonb(v_row);
  end if;
  if v_row.status in ('registered', 'deployed', 'failed') then
    raise exception 'training run % already finished (status %)', p_id, v_row.status
      using errcode = '55000';
  end if;
  v_from := v_row.status;
  update public.training_runs set
    status = 'cancelled',
    provider_status = coalesce(p_provider_status, provider_status),
    error = jsonb_build_object(
      'code', 'cancelled',
      'message', coalesce(p_reason, 'cancelled by ' || coalesce(p_actor, 'an operator')),
      'param', null),
    locked_by = null, locked_until = null, next_poll_at = null,
    finished_at = v_now, updated_at = v_now
  where id = p_id
  returning * into v_row;
  perform public.training_run_event(p_id, v_from, 'cancelled', p_actor,
    jsonb_strip_nulls(jsonb_build_object('reason', p_reason, 'provider_status', p_provider_status)), v_now);
  return to_jsonb(v_row);
end
$$;

-- Read -----------------------------------------------------------------------------------------
-- A run by id, or by model version (the newest run of that version), with its events.
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
  where r.id::text = lower(p_ref) or r.model_version = p_ref
  order by (r.id::text = lower(p_ref)) desc, r.created_at desc
  limit 1
$$;

-- Newest first. p_status: one status, or 'active' for every run still in progress.
create or replace function public.list_training_runs(
  p_status text default null,
  p_route text default null,
  p_organization_id text default null,
  p_limit integer default 50
) returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(to_jsonb(r) order by r.created_at desc, r.id desc), '[]'::jsonb)
  from (
    select * from public.training_runs t
    where (p_status is null
           or (p_status = 'active' and t.finished_at is null
               and t.status not in ('registered', 'deployed', 'failed', 'cancelled'))
           or t.status = p_status)
      and (p_route is null or t.route = p_route)
      and (p_organization_id is null or t.organization_id = p_organization_id)
    order by t.created_at desc, t.id desc
    limit least(greatest(coalesce(p_limit, 50), 1), 1000)
  ) r
$$;

-- Runs per status, for the rekindle_training_runs gauge.
create or replace function public.count_training_runs()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_object_agg(s.status, s.count), '{}'::jsonb)
  from (select status, count(*) as count from public.training_runs group by status) s
$$;

do $$
declare
  v_function regprocedure;
begin
  for v_function in
    select p.oid::regprocedure from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public' and p.proname in (
      'next_training_model_version', 'training_run_event',
      'create_training_run', 'claim_training_run', 'renew_training_run_lease',
      'release_training_run', 'release_training_run_locks', 'advance_training_run',
      'cancel_training_run', 'get_training_run', 'list_training_runs', 'count_training_runs'
    )
  loop
    execute format('revoke all on function %s from public, anon, authenticated', v_function);
    execute format('grant execute on function %s to service_role', v_function);
  end loop;
end
$$;
