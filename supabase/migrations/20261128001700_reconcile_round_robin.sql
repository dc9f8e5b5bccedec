-- The reconciliation sweep goes round the unmatched events instead of re-reading the oldest ones.
-- Before, every sweep examined the oldest `p_limit` unmatched events (order by id): once that many
-- could never be resolved (events for messages sent elsewhere, or CRM events whose lead two
-- organizations share), newer events that could be were never reached. Now an event examined in
-- vain is stamped `reconcile_checked_at` and goes behind those not yet examined; events never
-- examined come first. The per-outcome call (the tracking trigger's) is unchanged and stamps nothing.

alter table public.webhook_events add column if not exists reconcile_checked_at timestamptz;

create index if not exists webhook_events_unmatched_sweep_idx
  on public.webhook_events (reconcile_checked_at nulls first, id)
  where status = 'unmatched';

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
  v_matches jsonb := '[]'::jsonb;
  v_event record;
  v_resolved uuid;
  v_reached text[];
  v_transitions jsonb := '[]'::jsonb;
  v_unresolved bigint[] := '{}';
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

  -- Applied in outcome order, like ingest, so a sweep and an ingest cannot deadlock.
  for v_event in
    select w.id, w.event_id, m.outcome_id, w.occurred_at, w.effect
    from jsonb_to_recordset(v_matches) as m(id bigint, outcome_id uuid)
    join public.webhook_events w on w.id = m.id
    order by m.outcome_id, w.occurred_at, w.event_id
  loop
    v_reached := public.apply_webhook_effect(v_event.outcome_id, v_event.occurred_at,
      v_event.event_id, v_event.effect);
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

  -- A sweep goes round: what it examined in vain goes to the back of the queue.
  if cardinality(v_unresolved) > 0 then
    update public.webhook_events
    set reconcile_checked_at = now()
    where id = any(v_unresolved);
  end if;

  return jsonb_build_object(
    'examined', v_examined,
    'reconciled', v_reconciled,
    'still_unmatched', v_examined - v_reconciled,
    'stages_by_version', public.webhook_stages_by_version(v_transitions));
end
$$;
