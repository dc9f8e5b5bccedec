-- CRM events without an organization (the seed's generic body `{"deal_id":"123","status":"closed",
-- "amount":15000}` posted to /webhooks/crm with no ?organization_id=).
--
-- The CRM secret is per gateway, not per organization: whoever holds it may already name any
-- organization in the query or the body, so an event it signs is trusted at gateway level. Such an
-- event finds its outcome when its keys point to exactly ONE organization; otherwise (unknown or
-- ambiguous) it is kept as 'unmatched' for the reconciliation sweep, never guessed and never refused.
--
--   * deal_id: the organizations whose outcomes carry that deal id. One → resolved there as if the
--     event had named it. Several → the lead id (when given) may single one out; else ambiguous.
--   * lead_id (no deal match): the organizations with an outcome for that lead. One → that
--     organization's newest outcome for the lead created before the event (the scoped rule).
--   * An event stored without an organization takes the organization of the outcome it is applied
--     to (insert, or reconciliation later), so a tenant sees it under Row Level Security.
--
-- Idempotent (create or replace, if not exists, drop trigger if exists); PGlite, PostgreSQL 15 and
-- Supabase alike. Re-creates only resolve_webhook_outcome (same signature, so ingest_webhook_events
-- and reconcile_webhook_events use it unchanged, and its grants are kept).

-- Outcomes carry a deal id only once a CRM event or the tracking API recorded one: a small partial
-- index, untouched by the tracking fast path (new outcomes have no deal id).
create index if not exists outcome_labels_deal_id_idx on public.outcome_labels (deal_id, organization_id)
  where deal_id is not null;

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
  execute function public.webhook_events_organization_from_outcome();

-- Only the gateway (service_role, or the owner it connects as) may call these.
do $$
declare
  v_function regprocedure;
begin
  for v_function in
    select p.oid::regprocedure from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public' and p.proname in (
      'webhook_lead_organizations', 'resolve_webhook_outcome',
      'webhook_events_organization_from_outcome'
    )
  loop
    execute format('revoke all on function %s from public, anon, authenticated', v_function);
    execute format('grant execute on function %s to service_role', v_function);
  end loop;
end
$$;
