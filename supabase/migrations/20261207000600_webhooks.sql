-- Webhook ingest: provider events (SendGrid, CRM, HubSpot) committed to webhook_events and applied to
-- outcome_labels in ONE transaction, exactly once, in any order.
--
--   * Dedupe: unique (source, event_id) + insert ... on conflict do nothing; only rows that came back
--     are applied, so a replay (same batch again, a provider retry) changes nothing.
--   * Order independence: a flag only goes false -> true and keeps the EARLIEST event time in its
--     *_at column (or event_clock for spam_reported / unsubscribed); a value (meeting_time,
--     deal_value, deal_id) is "latest wins" by (occurred_at, event_id), the pair recorded in
--     outcome_labels.event_clock. Both merges are commutative, so a click before its delivery, or a
--     shuffled batch, ends on the same row.
--   * Nothing lost: an event whose outcome is not (yet) known is kept as status 'unmatched';
--     reconcile_webhook_events() applies it once the outcome appears (a trigger does so at once for
--     events naming the outcome id, the tracking buffer's common race).
--   * Deadlock freedom under concurrent batches: events are inserted in event_id order and outcome
--     rows are updated in outcome id order, so two transactions never wait on each other in a cycle.
--
-- Effects are computed in TypeScript (src/pipeline/outcomes/events/outcome-effect.ts, documented in
-- docs/webhooks.md) and arrive here as {flags, meeting_time, deal_value, deal_id}; SQL only merges.
--
-- CRM events without an organization (the seed's generic body `{"deal_id":"123","status":"closed",
-- "amount":15000}` posted to /webhooks/crm with no ?organization_id=). The CRM secret is per
-- gateway, not per organization: whoever holds it may already name any organization in the query or
-- the body, so an event it signs is trusted at gateway level. Such an event finds its outcome when
-- its keys point to exactly ONE organization; otherwise (unknown or ambiguous) it is kept as
-- 'unmatched' for the reconciliation sweep, never guessed and never refused.
--   * deal_id: the organizations whose outcomes carry that deal id. One → resolved there as if the
--     event had named it. Several → the lead id (when given) may single one out; else ambiguous.
--   * lead_id (no deal match): the organizations with an outcome for that lead. One → that
--     organization's newest outcome for the lead created before the event (the scoped rule).
--   * An event stored without an organization takes the organization of the outcome it is applied
--     to (insert, or reconciliation later), so a tenant sees it under Row Level Security.

-- Resolving an event's outcome ---------------------------------------------------------------

-- (occurred_at, event_id) of an event against a clock entry {"at": …, "id": …}: is the event newer?
create or replace function public.webhook_clock_is_newer(
  p_clock jsonb,
  p_occurred_at timestamptz,
  p_event_id text
) returns boolean
language sql
immutable
set search_path = ''
as $$
  select p_clock is null
    or jsonb_typeof(p_clock) is distinct from 'object'
    or p_occurred_at > (p_clock ->> 'at')::timestamptz
    -- byte order ("C"), not the database's collation, so every database breaks ties alike
    or (p_occurred_at = (p_clock ->> 'at')::timestamptz
      and p_event_id collate "C" > (p_clock ->> 'id') collate "C")
$$;

-- The organizations holding outcomes for a lead, without an index on lead_id alone (that would cost
-- every tracked message an extra index entry): a loose index scan walks the distinct organization
-- ids on (organization_id, created_at) and probes (organization_id, lead_id, created_at) for each.
-- Cost: (organizations + 1) index probes.
create or replace function public.webhook_lead_organizations(p_lead_id text)
returns text[]
language sql
stable
set search_path = ''
as $$
  with recursive organizations(id) as (
    (select o.organization_id from public.outcome_labels o
      order by o.organization_id limit 1)
    union all
    select (select o.organization_id from public.outcome_labels o
        where o.organization_id > organizations.id
        order by o.organization_id limit 1)
    from organizations
    where organizations.id is not null
  )
  select coalesce(array_agg(organizations.id order by organizations.id), '{}')
  from organizations
  where organizations.id is not null
    and exists (
      select 1 from public.outcome_labels o
      where o.organization_id = organizations.id and o.lead_id = p_lead_id
    )
$$;

-- The outcome an event belongs to, or null. An explicit outcome id is authoritative (it does not
-- fall through to weaker keys); otherwise SendGrid's message id, then the CRM deal, then the lead's
-- newest outcome created before the event. When the event names an organization, the outcome must
-- belong to it; when it names none, deal and lead resolve only within the one organization they
-- point to (see the header).
create or replace function public.resolve_webhook_outcome(
  p_organization_id text,
  p_outcome_id uuid,
  p_sg_message_ids text[],
  p_deal_id text,
  p_lead_id text,
  p_occurred_at timestamptz
) returns uuid
language plpgsql
stable
set search_path = ''
as $$
declare
  v_id uuid;
  v_organizations text[] := '{}';
begin
  if p_outcome_id is not null then
    select o.id into v_id from public.outcome_labels o
    where o.id = p_outcome_id
      and (p_organization_id is null or o.organization_id = p_organization_id);
    return v_id;
  end if;
  if cardinality(p_sg_message_ids) > 0 then
    select o.id into v_id from public.outcome_labels o
    where o.sg_message_id = any (p_sg_message_ids)
      and (p_organization_id is null or o.organization_id = p_organization_id)
    order by o.created_at desc, o.id desc
    limit 1;
    if v_id is not null then
      return v_id;
    end if;
  end if;
  if p_organization_id is null then
    if p_deal_id is not null then
      select coalesce(array_agg(distinct o.organization_id), '{}') into v_organizations
      from public.outcome_labels o
      where o.deal_id = p_deal_id;
    end if;
    if p_lead_id is not null and cardinality(v_organizations) <> 1 then
      if cardinality(v_organizations) > 1 then
        -- Several organizations share the deal id: the lead may single one out.
        v_organizations := array(
          select unnest(v_organizations)
          intersect
          select unnest(public.webhook_lead_organizations(p_lead_id)));
      else
        v_organizations := public.webhook_lead_organizations(p_lead_id);
      end if;
    end if;
    if cardinality(v_organizations) = 1 then
      return public.resolve_webhook_outcome(v_organizations[1], null, '{}', p_deal_id, p_lead_id,
        p_occurred_at);
    end if;
    return null;
  end if;
  if p_deal_id is not null then
    select o.id into v_id from public.outcome_labels o
    where o.organization_id = p_organization_id and o.deal_id = p_deal_id
    order by o.created_at desc, o.id desc
    limit 1;
    if v_id is not null then
      return v_id;
    end if;
  end if;
  if p_lead_id is not null then
    select o.id into v_id from public.outcome_labels o
    where o.organization_id = p_organization_id and o.lead_id = p_lead_id
    order by (o.created_at <= coalesce(p_occurred_at, now())) desc, o.created_at desc, o.id desc
    limit 1;
  end if;
  return v_id;
end
$$;

-- Applying events ----------------------------------------------------------------------------

-- Merges one event's effect into its outcome row (locked). Returns the stages (flag names) this
-- event moved from false to true -- what rekindle_outcomes_total counts, so an outcome reaches each
-- stage once however many opens or clicks arrive -- or NULL when the row does not exist.
create or replace function public.apply_webhook_effect(
  p_outcome_id uuid,
  p_occurred_at timestamptz,
  p_event_id text,
  p_effect jsonb
) returns text[]
language plpgsql
set search_path = ''
as $$
declare
  v_row public.outcome_labels;
  v_flags jsonb := coalesce(p_effect -> 'flags', '[]'::jsonb);
  v_clock jsonb;
  v_stamp jsonb := jsonb_build_object('at', p_occurred_at, 'id', p_event_id);
  v_reached text[] := '{}';
begin
  select * into v_row from public.outcome_labels where id = p_outcome_id for update;
  if not found then
    return null;
  end if;
  v_clock := coalesce(v_row.event_clock, '{}'::jsonb);
  -- The row is locked, so "was false before" is exact even with concurrent batches.
  select coalesce(array_agg(f.flag order by f.flag), '{}') into v_reached
  from jsonb_array_elements_text(v_flags) as f(flag)
  where f.flag in ('delivered', 'opened', 'clicked', 'bounced', 'spam_reported', 'unsubscribed',
      'meeting_booked', 'deal_closed')
    and not coalesce((to_jsonb(v_row) ->> f.flag)::boolean, false);

  if jsonb_typeof(p_effect -> 'meeting_time') = 'string'
    and public.webhook_clock_is_newer(v_clock -> 'meeting_time', p_occurred_at, p_event_id) then
    v_row.meeting_time := (p_effect ->> 'meeting_time')::timestamptz;
    v_clock := jsonb_set(v_clock, '{meeting_time}', v_stamp);
  end if;
  if jsonb_typeof(p_effect -> 'deal_value') = 'number'
    and public.webhook_clock_is_newer(v_clock -> 'deal_value', p_occurred_at, p_event_id) then
    v_row.deal_value := (p_effect ->> 'deal_value')::numeric;
    v_clock := jsonb_set(v_clock, '{deal_value}', v_stamp);
  end if;
  if jsonb_typeof(p_effect -> 'deal_id') = 'string'
    and public.webhook_clock_is_newer(v_clock -> 'deal_id', p_occurred_at, p_event_id) then
    v_row.deal_id := p_effect ->> 'deal_id';
    v_clock := jsonb_set(v_clock, '{deal_id}', v_stamp);
  end if;

  -- least() ignores NULL: the first time a flag is seen its time is the event's, later the earliest.
  if v_flags ? 'delivered' then
    v_row.delivered := true;
    v_row.delivered_at := least(v_row.delivered_at, p_occurred_at);
  end if;
  if v_flags ? 'opened' then
    v_row.opened := true;
    v_row.opened_at := least(v_row.opened_at, p_occurred_at);
  end if;
  if v_flags ? 'clicked' then
    v_row.clicked := true;
    v_row.clicked_at := least(v_row.clicked_at, p_occurred_at);
  end if;
  if v_flags ? 'bounced' then
    v_row.bounced := true;
    v_row.bounced_at := least(v_row.bounced_at, p_occurred_at);
  end if;
  if v_flags ? 'meeting_booked' then
    v_row.meeting_booked := true;
    v_row.meeting_booked_at := least(v_row.meeting_booked_at, p_occurred_at);
  end if;
  if v_flags ? 'deal_closed' then
    v_row.deal_closed := true;
    v_row.deal_closed_at := least(v_row.deal_closed_at, p_occurred_at);
  end if;
  if v_flags ? 'spam_reported' then
    v_row.spam_reported := true;
    v_clock := jsonb_set(v_clock, '{spam_reported_at}', to_jsonb(
      least((v_clock ->> 'spam_reported_at')::timestamptz, p_occurred_at)));
  end if;
  if v_flags ? 'unsubscribed' then
    v_row.unsubscribed := true;
    v_clock := jsonb_set(v_clock, '{unsubscribed_at}', to_jsonb(
      least((v_clock ->> 'unsubscribed_at')::timestamptz, p_occurred_at)));
  end if;

  update public.outcome_labels set
    delivered = v_row.delivered, delivered_at = v_row.delivered_at,
    opened = v_row.opened, opened_at = v_row.opened_at,
    clicked = v_row.clicked, clicked_at = v_row.clicked_at,
    bounced = v_row.bounced, bounced_at = v_row.bounced_at,
    spam_reported = v_row.spam_reported, unsubscribed = v_row.unsubscribed,
    meeting_booked = v_row.meeting_booked, meeting_booked_at = v_row.meeting_booked_at,
    meeting_time = v_row.meeting_time,
    deal_closed = v_row.deal_closed, deal_closed_at = v_row.deal_closed_at,
    deal_value = v_row.deal_value, deal_id = v_row.deal_id,
    event_clock = v_clock
  where id = p_outcome_id;
  return v_reached;
end
$$;

-- [{outcome_id, stages: [flag…]}] -> [{route, model_version, stage, count}]: the stages outcomes
-- newly reached, per route and model version (rekindle_outcomes_total{route,model_version,event}).
create or replace function public.webhook_stages_by_version(p_transitions jsonb)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
    'route', v.route, 'model_version', v.model_version, 'stage', v.stage, 'count', v.count)
    order by v.route, v.model_version, v.stage), '[]'::jsonb)
  from (
    select o.route, o.model_version, s.stage, count(*) as count
    from jsonb_to_recordset(coalesce(p_transitions, '[]'::jsonb))
      as t(outcome_id uuid, stages jsonb)
    cross join lateral jsonb_array_elements_text(t.stages) as s(stage)
    join public.outcome_labels o on o.id = t.outcome_id
    group by o.route, o.model_version, s.stage
  ) v
$$;

-- One webhook request: p_events is a JSON array of
--   {event_id, event_type, occurred_at, organization_id, outcome_id, sg_message_ids, lead_id,
--    deal_id, effect: {flags, meeting_time, deal_value, deal_id}, payload}
-- Returns {received, applied, duplicates, unmatched, ignored, by_type: {type: {…same…}},
--          applied_by_version: [{route, model_version, event_type, count}],
--          stages_by_version: [{route, model_version, stage, count}]} (stages newly reached).
create or replace function public.ingest_webhook_events(p_source text, p_events jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_inserted jsonb;
  v_event record;
  v_demoted text[] := '{}';
  v_reached text[];
  v_transitions jsonb := '[]'::jsonb;
  v_counts jsonb;
  v_by_type jsonb;
  v_by_version jsonb;
  v_by_stage jsonb;
begin
  if p_source is null or btrim(p_source) = '' or length(p_source) > 50 then
    raise exception 'p_source is required' using errcode = '22023';
  end if;
  if jsonb_typeof(p_events) is distinct from 'array' then
    raise exception 'p_events must be a JSON array' using errcode = '22023';
  end if;
  if exists (
    select 1 from jsonb_array_elements(p_events) e
    where coalesce(btrim(e ->> 'event_id'), '') = '' or coalesce(btrim(e ->> 'event_type'), '') = ''
  ) then
    raise exception 'every event needs event_id and event_type' using errcode = '22023';
  end if;

  with input as (
    select
      e ->> 'event_id' as event_id,
      e ->> 'event_type' as event_type,
      (e ->> 'occurred_at')::timestamptz as occurred_at,
      nullif(e ->> 'organization_id', '') as organization_id,
      case when (e ->> 'outcome_id') ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
        then (e ->> 'outcome_id')::uuid end as named_outcome_id,
      coalesce(array(select jsonb_array_elements_text(
        case when jsonb_typeof(e -> 'sg_message_ids') = 'array' then e -> 'sg_message_ids'
          else '[]'::jsonb end)), '{}') as sg_message_ids,
      nullif(e ->> 'lead_id', '') as lead_id,
      nullif(e ->> 'deal_id', '') as deal_id,
      coalesce(e -> 'effect', '{}'::jsonb) as effect,
      coalesce(e -> 'payload', 'null'::jsonb) as payload
    from jsonb_array_elements(p_events) e
  ),
  classified as (
    select i.*,
      (jsonb_array_length(coalesce(i.effect -> 'flags', '[]'::jsonb)) > 0
        or jsonb_typeof(i.effect -> 'meeting_time') = 'string'
        or jsonb_typeof(i.effect -> 'deal_value') = 'number'
        or jsonb_typeof(i.effect -> 'deal_id') = 'string') and i.occurred_at is not null
        as has_effect,
      public.resolve_webhook_outcome(i.organization_id, i.named_outcome_id, i.sg_message_ids,
        i.deal_id, i.lead_id, i.occurred_at) as resolved_outcome_id
    from input i
  ),
  inserted as (
    insert into public.webhook_events as w (
      source, event_id, organization_id, outcome_id, event_type, occurred_at, payload, status,
      processed_at, sg_message_ids, lead_id, deal_id, effect
    )
    select p_source, c.event_id, c.organization_id, coalesce(c.resolved_outcome_id, c.named_outcome_id),
      c.event_type, c.occurred_at, c.payload,
      case when not c.has_effect then 'ignored'
        when c.resolved_outcome_id is null then 'unmatched'
        else 'applied' end,
      case when c.has_effect and c.resolved_outcome_id is null then null else now() end,
      c.sg_message_ids, c.lead_id, c.deal_id, c.effect
    from classified c
    order by c.event_id
    on conflict (source, event_id) do nothing
    returning w.event_id, w.event_type, w.status, w.outcome_id, w.occurred_at, w.effect
  )
  select coalesce(jsonb_agg(to_jsonb(inserted)), '[]'::jsonb) into v_inserted from inserted;

  for v_event in
    select x.event_id, x.outcome_id, x.occurred_at, x.effect
    from jsonb_to_recordset(v_inserted)
      as x(event_id text, status text, outcome_id uuid, occurred_at timestamptz, effect jsonb)
    where x.status = 'applied'
    order by x.outcome_id, x.occurred_at, x.event_id
  loop
    v_reached := public.apply_webhook_effect(v_event.outcome_id, v_event.occurred_at,
      v_event.event_id, v_event.effect);
    if v_reached is null then
      -- The outcome vanished between resolution and update: keep the event for reconciliation.
      update public.webhook_events set status = 'unmatched', processed_at = null
      where source = p_source and event_id = v_event.event_id;
      v_demoted := v_demoted || v_event.event_id;
    elsif cardinality(v_reached) > 0 then
      v_transitions := v_transitions || jsonb_build_object(
        'outcome_id', v_event.outcome_id, 'stages', to_jsonb(v_reached));
    end if;
  end loop;

  with received as (
    select e ->> 'event_type' as event_type, count(*) as received
    from jsonb_array_elements(p_events) e group by 1
  ),
  stored as (
    select x.event_type,
      case when x.event_id = any (v_demoted) then 'unmatched' else x.status end as status
    from jsonb_to_recordset(v_inserted) as x(event_id text, event_type text, status text)
  ),
  per_type as (
    select r.event_type, r.received,
      count(s.status) filter (where s.status = 'applied') as applied,
      count(s.status) filter (where s.status = 'unmatched') as unmatched,
      count(s.status) filter (where s.status = 'ignored') as ignored,
      r.received - count(s.status) as duplicates
    from received r left join stored s on s.event_type = r.event_type
    group by r.event_type, r.received
  )
  select
    jsonb_build_object(
      'received', coalesce(sum(received), 0), 'applied', coalesce(sum(applied), 0),
      'duplicates', coalesce(sum(duplicates), 0), 'unmatched', coalesce(sum(unmatched), 0),
      'ignored', coalesce(sum(ignored), 0)),
    coalesce(jsonb_object_agg(event_type, jsonb_build_object(
      'received', received, 'applied', applied, 'duplicates', duplicates,
      'unmatched', unmatched, 'ignored', ignored)) filter (where event_type is not null),
      '{}'::jsonb)
  into v_counts, v_by_type
  from per_type;

  select coalesce(jsonb_agg(jsonb_build_object(
    'route', v.route, 'model_version', v.model_version, 'event_type', v.event_type,
    'count', v.count) order by v.route, v.model_version, v.event_type), '[]'::jsonb)
  into v_by_version
  from (
    select o.route, o.model_version, x.event_type, count(*) as count
    from jsonb_to_recordset(v_inserted)
      as x(event_id text, event_type text, status text, outcome_id uuid)
    join public.outcome_labels o on o.id = x.outcome_id
    where x.status = 'applied' and not (x.event_id = any (v_demoted))
    group by o.route, o.model_version, x.event_type
  ) v;

  v_by_stage := public.webhook_stages_by_version(v_transitions);

  return v_counts || jsonb_build_object('by_type', v_by_type, 'applied_by_version', v_by_version,
    'stages_by_version', v_by_stage);
end
$$;

-- Reconciliation -----------------------------------------------------------------------------

-- Applies 'unmatched' events whose outcome can now be resolved (status -> 'reconciled'). Rows other
-- transactions hold are skipped, so sweeps on several gateways never block each other. With
-- p_outcome_id, only events that named that outcome (the insert trigger's case). The sweep goes
-- round the unmatched events instead of re-reading the oldest ones: an event examined in vain is
-- stamped reconcile_checked_at and goes behind those not yet examined (events never examined come
-- first), so events that can never be resolved cannot starve newer ones. The per-outcome call
-- stamps nothing.
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

-- An outcome tracked after its first events arrived (the tracking buffer flushes every few seconds;
-- SendGrid's `processed`/`delivered` can be faster) picks them up as it is inserted: once per INSERT
-- statement, through a transition table, instead of one lookup per row.
create or replace function public.outcome_labels_reconcile_webhooks_batch()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_outcome uuid;
begin
  for v_outcome in
    select distinct w.outcome_id
    from public.webhook_events w
    join inserted_outcomes i on i.id = w.outcome_id
    where w.status = 'unmatched'
  loop
    perform public.reconcile_webhook_events(1000, v_outcome);
  end loop;
  return null;
end
$$;

drop trigger if exists outcome_labels_reconcile_webhooks_batch on public.outcome_labels;
create trigger outcome_labels_reconcile_webhooks_batch
  after insert on public.outcome_labels
  referencing new table as inserted_outcomes
  for each statement execute function
    public.outcome_labels_reconcile_webhooks_batch();

-- The per-row form of the trigger function above. No trigger uses it since the statement-level
-- trigger replaced it; it is kept so this baseline is exactly the schema it replaced, and is for a
-- later migration to drop.
create or replace function public.outcome_labels_reconcile_webhooks()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if exists (
    select 1 from public.webhook_events w where w.status = 'unmatched' and w.outcome_id = new.id
  ) then
    perform public.reconcile_webhook_events(1000, new.id);
  end if;
  return null;
end
$$;

-- An event stored without an organization belongs to the organization of its outcome: filled in
-- as the row is inserted with a resolved outcome, or when reconciliation sets the outcome later.
-- Never overwrites an organization the event named.
create or replace function public.webhook_events_organization_from_outcome()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  select o.organization_id into new.organization_id
  from public.outcome_labels o
  where o.id = new.outcome_id;
  return new;
end
$$;

drop trigger if exists webhook_events_organization_from_outcome on public.webhook_events;
create trigger webhook_events_organization_from_outcome
  before insert or update of outcome_id on public.webhook_events
  for each row
  when (new.organization_id is null and new.outcome_id is not null)
  execute function
    public.webhook_events_organization_from_outcome();

-- Only the gateway (service_role, or the owner it connects as) may call these.
do $$
declare
  v_function regprocedure;
begin
  for v_function in
    select p.oid::regprocedure from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public' and p.proname in (
      'webhook_clock_is_newer', 'webhook_lead_organizations', 'resolve_webhook_outcome',
      'apply_webhook_effect', 'webhook_stages_by_version', 'ingest_webhook_events',
      'reconcile_webhook_events', 'outcome_labels_reconcile_webhooks_batch',
      'outcome_labels_reconcile_webhooks', 'webhook_events_organization_from_outcome'
    )
  loop
    execute format('revoke all on function %s from public, anon, authenticated', v_function);
    execute format('grant execute on function %s to service_role', v_function);
  end loop;
end
$$;
