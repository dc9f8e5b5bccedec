-- Poison-pill isolation: a row a batch writer cannot store never blocks the rows around it.
--
--   * dead_letters keeps every row a batch writer gave up on (the tracking buffer, webhook ingest,
--     the reconciliation sweep): the row as JSON text, where it came from, the database's error
--     and SQLSTATE, the organization and when. The writers find the bad row by splitting a failed
--     batch (src/store/batch-isolation.ts); the sweep catches the error per event, below.
--     The payload is text, not jsonb: what jsonb refused (a NUL escape, a lone surrogate) must still
--     be kept. One row per (source, record_id): a row refused again counts an occurrence.
--   * outcome_labels.generation_status: a stream that failed or was cancelled after its outcome id
--     went out is tracked too, with its status ('completed' for every other row).
--   * webhook_events.status 'failed': an event whose effect the database refused is dead-lettered
--     once by the sweep and never retried.

create table if not exists public.dead_letters (
  id bigint generated always as identity primary key,
  -- the writer and the feed: tracking, sendgrid, crm, hubspot, pipedrive, salesforce, reconciliation
  source text not null,
  -- the refused row's own id: the outcome id, or the webhook event id (source-qualified for the sweep)
  record_id text not null,
  organization_id text,
  payload text not null,
  error_message text not null,
  sql_state text,
  occurrences integer not null default 1,
  created_at timestamptz not null default now(),
  last_failed_at timestamptz not null default now(),
  unique (source, record_id)
);
create index if not exists dead_letters_org_created_idx
  on public.dead_letters (organization_id, created_at desc);
create index if not exists dead_letters_created_idx on public.dead_letters (created_at desc);

revoke all on table public.dead_letters from anon, authenticated;
revoke all on sequence public.dead_letters_id_seq from anon, authenticated;
grant all on table public.dead_letters to service_role;
grant usage, select on sequence public.dead_letters_id_seq to service_role;
grant select on table public.dead_letters to authenticated;
alter table public.dead_letters enable row level security;
drop policy if exists dead_letters_select_own on public.dead_letters;
create policy dead_letters_select_own on public.dead_letters
  for select to authenticated
  using (organization_id = (select auth.jwt() -> 'app_metadata' ->> 'organization_id'));

-- p_letters: [{source, record_id, organization_id, payload (JSON text), error_message, sql_state}].
-- Long values are cut to the column's purpose (a 4 KB id is kept whole in the payload).
create or replace function public.record_dead_letters(p_letters jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_count integer;
begin
  if jsonb_typeof(p_letters) is distinct from 'array' then
    raise exception 'p_letters must be a JSON array' using errcode = '22023';
  end if;
  insert into public.dead_letters as d (
    source, record_id, organization_id, payload, error_message, sql_state
  )
  select distinct on (left(l.source, 50), left(l.record_id, 500))
    left(l.source, 50), left(l.record_id, 500), left(nullif(l.organization_id, ''), 200),
    coalesce(l.payload, 'null'), left(coalesce(l.error_message, 'unknown error'), 2000),
    left(l.sql_state, 5)
  from jsonb_to_recordset(p_letters) as l(
    source text, record_id text, organization_id text, payload text, error_message text,
    sql_state text
  )
  where coalesce(btrim(l.source), '') <> '' and l.record_id is not null
  order by left(l.source, 50), left(l.record_id, 500)
  on conflict (source, record_id) do update set
    occurrences = d.occurrences + 1,
    last_failed_at = now(),
    error_message = excluded.error_message,
    sql_state = excluded.sql_state;
  get diagnostics v_count = row_count;
  return jsonb_build_object('recorded', v_count);
end
$$;

-- Failed streams ---------------------------------------------------------------------------

alter table public.outcome_labels
  add column if not exists generation_status text not null default 'completed';
alter table public.outcome_labels
  drop constraint if exists outcome_labels_generation_status_check;
alter table public.outcome_labels
  add constraint outcome_labels_generation_status_check
  check (generation_status in ('completed', 'failed', 'cancelled', 'interrupted'));

-- track_messages as in …000500_outcomes.sql, plus generation_status.
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
    quality_score, generation_status
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
    ),
    coalesce(r.generation_status, 'completed')
  from jsonb_to_recordset(p_rows) as r(
    id uuid, organization_id text, campaign_id text, lead_id text, channel text, route text,
    message_body text, subject_line text, agent_decisions jsonb, framework text, tone text,
    model_id text, model_version text, variant text, provider text, request_id text,
    prompt_messages jsonb, lead_data jsonb, cost_usd numeric, latency_ms integer,
    prompt_tokens integer, completion_tokens integer, created_at timestamptz,
    generation_status text
  )
  on conflict (id) do nothing;
  get diagnostics v_count = row_count;
  return jsonb_build_object('inserted', v_count, 'received', jsonb_array_length(p_rows));
end
$$;

-- Reconciliation ---------------------------------------------------------------------------

alter table public.webhook_events drop constraint if exists webhook_events_status_check;
alter table public.webhook_events add constraint webhook_events_status_check
  check (status in ('applied', 'unmatched', 'ignored', 'reconciled', 'failed')) not valid;
alter table public.webhook_events validate constraint webhook_events_status_check;

-- reconcile_webhook_events as in …000600_webhooks.sql, except that one event's effect the database
-- refuses (a value out of its column's range, a constraint) no longer rolls back the whole sweep:
-- each apply runs in its own subtransaction; a refused event becomes status 'failed' (never
-- examined again) and a dead letter, counted in the result as dead_lettered. Only data errors
-- (classes 22, 23, 54) are caught: anything else (a deadlock, a lost connection) still fails the
-- sweep, which the next one retries. The per-outcome call (the insert trigger) leaves a refused
-- event unmatched for the sweep to dead-letter, so every dead letter is counted where it is made.
create or replace function public.reconcile_webhook_events(
  p_limit integer default 1000,
  p_outcome_id uuid default null
) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_examined integer := 0;
  v_reconciled integer := 0;
  v_failed integer := 0;
  v_matches jsonb := '[]'::jsonb;
  v_event record;
  v_resolved uuid;
  v_reached text[];
  v_transitions jsonb := '[]'::jsonb;
  v_unresolved bigint[] := '{}';
  v_state text;
  v_message text;
begin
  for v_event in
    select w.id, w.organization_id, w.outcome_id, w.sg_message_ids, w.deal_id, w.lead_id,
      w.occurred_at
    from public.webhook_events w
    where w.status = 'unmatched' and (p_outcome_id is null or w.outcome_id = p_outcome_id)
    order by w.reconcile_checked_at nulls first, w.id
    limit least(greatest(coalesce(p_limit, 1000), 1), 100000)
    for update skip locked
  loop
    v_examined := v_examined + 1;
    v_resolved := public.resolve_webhook_outcome(v_event.organization_id, v_event.outcome_id,
      coalesce(v_event.sg_message_ids, '{}'), v_event.deal_id, v_event.lead_id,
      v_event.occurred_at);
    if v_resolved is not null then
      v_matches := v_matches || jsonb_build_object('id', v_event.id, 'outcome_id', v_resolved);
    elsif p_outcome_id is null then
      v_unresolved := v_unresolved || v_event.id;
    end if;
  end loop;

  for v_event in
    select w.id, w.source, w.event_id, w.event_type, w.organization_id, m.outcome_id,
      w.occurred_at, w.effect, w.payload
    from jsonb_to_recordset(v_matches) as m(id bigint, outcome_id uuid)
    join public.webhook_events w on w.id = m.id
    order by m.outcome_id, w.occurred_at, w.event_id
  loop
    begin
      v_reached := public.apply_webhook_effect(v_event.outcome_id, v_event.occurred_at,
        v_event.event_id, v_event.effect);
    exception when data_exception or integrity_constraint_violation or program_limit_exceeded then
      get stacked diagnostics v_state = returned_sqlstate, v_message = message_text;
      if p_outcome_id is null then
        update public.webhook_events
        set status = 'failed', outcome_id = v_event.outcome_id, processed_at = now()
        where id = v_event.id;
        insert into public.dead_letters as d (
          source, record_id, organization_id, payload, error_message, sql_state
        )
        select 'reconciliation', left(v_event.source || ':' || v_event.event_id, 500),
          coalesce(v_event.organization_id, o.organization_id),
          jsonb_build_object('source', v_event.source, 'event_id', v_event.event_id,
            'event_type', v_event.event_type, 'outcome_id', v_event.outcome_id,
            'occurred_at', v_event.occurred_at, 'effect', v_event.effect,
            'payload', v_event.payload)::text,
          left(v_message, 2000), v_state
        from (select 1) one
        left join public.outcome_labels o on o.id = v_event.outcome_id
        on conflict (source, record_id) do update set
          occurrences = d.occurrences + 1, last_failed_at = now(),
          error_message = excluded.error_message, sql_state = excluded.sql_state;
        v_failed := v_failed + 1;
      end if;
      continue;
    end;
    if v_reached is not null then
      update public.webhook_events
      set status = 'reconciled', outcome_id = v_event.outcome_id, processed_at = now()
      where id = v_event.id;
      v_reconciled := v_reconciled + 1;
      if cardinality(v_reached) > 0 then
        v_transitions := v_transitions || jsonb_build_object(
          'outcome_id', v_event.outcome_id, 'stages', to_jsonb(v_reached));
      end if;
    end if;
  end loop;

  if cardinality(v_unresolved) > 0 then
    update public.webhook_events
    set reconcile_checked_at = now()
    where id = any(v_unresolved);
  end if;

  return jsonb_build_object(
    'examined', v_examined,
    'reconciled', v_reconciled,
    'dead_lettered', v_failed,
    'still_unmatched', v_examined - v_reconciled - v_failed,
    'stages_by_version', public.webhook_stages_by_version(v_transitions));
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
      'record_dead_letters', 'track_messages', 'reconcile_webhook_events'
    )
  loop
    execute format('revoke all on function %s from public, anon, authenticated', v_function);
    execute format('grant execute on function %s to service_role', v_function);
  end loop;
end
$$;
