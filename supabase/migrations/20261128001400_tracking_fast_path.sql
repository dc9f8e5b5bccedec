-- The tracking write path runs for every generated message, so it is kept lean (measured on PGlite,
-- 500-row batches: see docs/performance.md):
--  * the quality score's SQL function carries no SET clause, so the planner can inline it;
--  * the BEFORE trigger that applies it carries none either (a SET clause saves and restores the
--    setting on every row); every name in both is schema-qualified or from pg_catalog;
--  * events that arrived before their outcome are picked up once per INSERT statement, through a
--    transition table, instead of one lookup per row;
--  * track_messages reads only the columns it inserts (jsonb_to_recordset) rather than building a
--    whole outcome_labels record per row, and gives a new message its score (no stage reached
--    yet) itself, so the per-row trigger only runs for inserts that leave the score to it, and for
--    updates.

create or replace function public.outcome_quality_score(
  p_bounced boolean,
  p_spam_reported boolean,
  p_unsubscribed boolean,
  p_delivered boolean,
  p_opened boolean,
  p_clicked boolean,
  p_replied boolean,
  p_reply_sentiment_score numeric,
  p_reply_sentiment_label text,
  p_meeting_booked boolean,
  p_deal_closed boolean
) returns numeric
language sql
immutable
parallel safe
as $$
  select case
    when coalesce(p_bounced, false) or coalesce(p_spam_reported, false)
      or coalesce(p_unsubscribed, false) then 0.0
    when coalesce(p_deal_closed, false) then 1.0
    when coalesce(p_meeting_booked, false) then 0.9
    when coalesce(p_replied, false) then pg_catalog.round(greatest(
      0.5 + 0.3 * least(1.0, greatest(0.0, coalesce(
        p_reply_sentiment_score,
        case p_reply_sentiment_label
          when 'positive' then 1.0
          when 'neutral' then 0.5
          when 'negative' then 0.0
        end,
        0.0
      ))),
      case when p_reply_sentiment_label = 'positive' then 0.6 else 0.0 end
    ), 4)
    when coalesce(p_clicked, false) then 0.4
    when coalesce(p_opened, false) then 0.3
    when coalesce(p_delivered, false) then 0.2
    else 0.1
  end
$$;

create or replace function public.outcome_labels_before_write()
returns trigger
language plpgsql
as $$
begin
  new.quality_score := public.outcome_quality_score(
    new.bounced, new.spam_reported, new.unsubscribed, new.delivered, new.opened, new.clicked,
    new.replied, new.reply_sentiment_score, new.reply_sentiment_label, new.meeting_booked,
    new.deal_closed
  );
  if tg_op = 'UPDATE' then
    new.updated_at := pg_catalog.now();
  end if;
  return new;
end
$$;

drop trigger if exists outcome_labels_quality_score on public.outcome_labels;
drop trigger if exists outcome_labels_quality_score_insert on public.outcome_labels;
drop trigger if exists outcome_labels_quality_score_update on public.outcome_labels;
create trigger outcome_labels_quality_score_insert
  before insert on public.outcome_labels
  for each row when (new.quality_score is null)
  execute function public.outcome_labels_before_write();
create trigger outcome_labels_quality_score_update
  before update on public.outcome_labels
  for each row execute function public.outcome_labels_before_write();

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

drop trigger if exists outcome_labels_reconcile_webhooks on public.outcome_labels;
drop trigger if exists outcome_labels_reconcile_webhooks_batch on public.outcome_labels;
create trigger outcome_labels_reconcile_webhooks_batch
  after insert on public.outcome_labels
  referencing new table as inserted_outcomes
  for each statement execute function public.outcome_labels_reconcile_webhooks_batch();

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
    quality_score
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
    )
  from jsonb_to_recordset(p_rows) as r(
    id uuid, organization_id text, campaign_id text, lead_id text, channel text, route text,
    message_body text, subject_line text, agent_decisions jsonb, framework text, tone text,
    model_id text, model_version text, variant text, provider text, request_id text,
    prompt_messages jsonb, lead_data jsonb, cost_usd numeric, latency_ms integer,
    prompt_tokens integer, completion_tokens integer, created_at timestamptz
  )
  on conflict (id) do nothing;
  get diagnostics v_count = row_count;
  return jsonb_build_object('inserted', v_count, 'received', jsonb_array_length(p_rows));
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
      'track_messages', 'outcome_labels_reconcile_webhooks_batch'
    )
  loop
    execute format('revoke all on function %s from public, anon, authenticated', v_function);
    execute format('grant execute on function %s to service_role', v_function);
  end loop;
end
$$;
