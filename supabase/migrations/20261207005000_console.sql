-- The operator console (/console, docs/console.md): its sessions, and the reads its pages make —
-- the overview's progress numbers over a window, the weekly flywheel series, keyset-paged outcome
-- search and an outcome's event timeline. Store-function conventions:
-- …000300_organizations_and_api_keys.sql (named p_ arguments, jsonb results, search_path '',
-- service_role only). Every read takes the organization explicitly: a session of an organization's
-- key passes its organization, an admin session may pass null for every organization.

-- Sessions -------------------------------------------------------------------------------------

-- One row per signed-in browser. The cookie holds a random session id; only its SHA-256 is stored,
-- so a copy of this table signs nobody in. kind: admin (the admin token; credential_hash is a
-- fingerprint of that token, so changing the token ends these sessions), key (an organization's
-- API key; revoking the key ends its sessions, see get_console_session), open (a loopback gateway
-- with no keys, as organization `default`).
create table if not exists public.console_sessions (
  id_hash text primary key,
  kind text not null check (kind in ('admin', 'key', 'open')),
  organization_id text,
  api_key_id uuid references public.api_keys (id) on delete cascade,
  credential_hash text,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  check ((kind = 'admin') = (organization_id is null)),
  check ((kind = 'key') = (api_key_id is not null))
);
create index if not exists console_sessions_expires_idx on public.console_sessions (expires_at);
create index if not exists console_sessions_api_key_idx on public.console_sessions (api_key_id)
  where api_key_id is not null;

revoke all on table public.console_sessions from anon, authenticated;
grant all on table public.console_sessions to service_role;
-- No policy: tenants never see sessions (the gateway reaches them through the functions below).
alter table public.console_sessions enable row level security;

-- Starts a session; expired sessions are swept on the way (the index keeps that cheap).
create or replace function public.create_console_session(
  p_id_hash text,
  p_kind text,
  p_organization_id text default null,
  p_api_key_id uuid default null,
  p_credential_hash text default null,
  p_ttl_seconds integer default 43200
) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_row public.console_sessions;
begin
  if p_id_hash is null or length(p_id_hash) < 32 then
    raise exception 'session id hash is required' using errcode = '22023';
  end if;
  delete from public.console_sessions where expires_at < now();
  insert into public.console_sessions (
    id_hash, kind, organization_id, api_key_id, credential_hash, expires_at
  ) values (
    p_id_hash, p_kind, p_organization_id, p_api_key_id, p_credential_hash,
    now() + make_interval(secs => greatest(coalesce(p_ttl_seconds, 43200), 60))
  )
  returning * into v_row;
  return to_jsonb(v_row);
end
$$;

-- The live session with this id hash, or null: expired, idle longer than p_idle_seconds, or
-- signed in with an API key that has since been revoked (such a session is deleted here). Marks
-- the session seen (at most once a minute, so page views do not all write).
create or replace function public.get_console_session(
  p_id_hash text,
  p_idle_seconds integer default 7200
) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_row public.console_sessions;
begin
  select * into v_row from public.console_sessions where id_hash = p_id_hash;
  if not found then
    return null;
  end if;
  if v_row.expires_at <= now()
    or v_row.last_seen_at <= now() - make_interval(secs => coalesce(p_idle_seconds, 7200))
    or (v_row.api_key_id is not null and not exists (
      select 1 from public.api_keys k where k.id = v_row.api_key_id and k.revoked_at is null))
  then
    delete from public.console_sessions where id_hash = p_id_hash;
    return null;
  end if;
  if v_row.last_seen_at < now() - interval '1 minute' then
    update public.console_sessions set last_seen_at = now() where id_hash = p_id_hash
    returning * into v_row;
  end if;
  return to_jsonb(v_row);
end
$$;

create or replace function public.delete_console_session(p_id_hash text)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_count integer;
begin
  delete from public.console_sessions where id_hash = p_id_hash;
  get diagnostics v_count = row_count;
  return jsonb_build_object('deleted', v_count);
end
$$;

-- Outcome indexes ------------------------------------------------------------------------------

-- Keyset paging newest first: (created_at, id) is unique and totally ordered, and a backward scan
-- of these ascending indexes serves `order by created_at desc, id desc` with the row comparison
-- `(created_at, id) < (…)` as an index condition, whatever the page. The first two replace
-- …000100's (organization_id, created_at desc) and (created_at), of which each is a superset, so
-- tracking writes no more indexes than before for them.
create index if not exists outcome_labels_org_created_id_idx
  on public.outcome_labels (organization_id, created_at, id);
drop index if exists public.outcome_labels_org_created_idx;
create index if not exists outcome_labels_created_id_idx
  on public.outcome_labels (created_at, id);
drop index if exists public.outcome_labels_created_idx;
create index if not exists outcome_labels_org_campaign_idx
  on public.outcome_labels (organization_id, campaign_id, created_at, id)
  where campaign_id is not null;
create index if not exists outcome_labels_org_version_idx
  on public.outcome_labels (organization_id, model_version, created_at, id)
  where model_version is not null;

-- Overview -------------------------------------------------------------------------------------

-- The deployment guide's progress numbers for messages created in [p_since, p_until): outcomes,
-- training-ready (the export's rule), the funnel, revenue, cost, average quality and sentiment.
create or replace function public.console_overview(
  p_organization_id text default null,
  p_since timestamptz default null,
  p_until timestamptz default null,
  p_min_quality_score numeric default 0.6
) returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'outcomes', count(*),
    'training_ready', count(*) filter (
      where o.quality_score >= coalesce(p_min_quality_score, 0.6)
        and o.message_body is not null and btrim(o.message_body) <> ''),
    'delivered', count(*) filter (where o.delivered),
    'opened', count(*) filter (where o.opened),
    'clicked', count(*) filter (where o.clicked),
    'replies', count(*) filter (where o.replied),
    'positive_replies', count(*) filter (where o.replied and o.reply_sentiment_label = 'positive'),
    'meetings', count(*) filter (where o.meeting_booked),
    'deals', count(*) filter (where o.deal_closed),
    'revenue', coalesce(sum(o.deal_value) filter (where o.deal_closed), 0),
    'cost_usd', coalesce(sum(o.cost_usd), 0),
    'avg_quality', round(avg(o.quality_score), 4),
    'avg_sentiment', round(avg(o.reply_sentiment_score) filter (where o.replied), 4)
  )
  from public.outcome_labels o
  where (p_organization_id is null or o.organization_id = p_organization_id)
    and (p_since is null or o.created_at >= p_since)
    and (p_until is null or o.created_at < p_until)
$$;

-- The flywheel per ISO week (UTC), the p_weeks weeks up to the one holding p_until, empty weeks
-- included: outcomes, training examples (the export's rule), replies, average reply sentiment and
-- its change from the week before (null when either week has no scored reply).
create or replace function public.console_flywheel_weekly(
  p_organization_id text default null,
  p_weeks integer default 12,
  p_until timestamptz default null,
  p_min_quality_score numeric default 0.6
) returns jsonb
language sql
stable
set search_path = ''
as $$
  with bounds as (
    select date_trunc('week', coalesce(p_until, now()) at time zone 'UTC') as last_week,
      least(greatest(coalesce(p_weeks, 12), 1), 104) as weeks
  ), series as (
    select b.last_week - make_interval(weeks => g) as week_start
    from bounds b, generate_series(0, b.weeks - 1) as g
  ), stats as (
    select date_trunc('week', o.created_at at time zone 'UTC') as week_start,
      count(*) as outcomes,
      count(*) filter (
        where o.quality_score >= coalesce(p_min_quality_score, 0.6)
          and o.message_body is not null and btrim(o.message_body) <> '') as training_examples,
      count(*) filter (where o.replied) as replies,
      avg(o.reply_sentiment_score) filter (where o.replied) as avg_sentiment
    from public.outcome_labels o, bounds b
    where (p_organization_id is null or o.organization_id = p_organization_id)
      and o.created_at >= (b.last_week - make_interval(weeks => b.weeks - 1)) at time zone 'UTC'
      and o.created_at < (b.last_week + interval '1 week') at time zone 'UTC'
    group by 1
  ), weeks as (
    select s.week_start, coalesce(t.outcomes, 0) as outcomes,
      coalesce(t.training_examples, 0) as training_examples, coalesce(t.replies, 0) as replies,
      t.avg_sentiment,
      t.avg_sentiment - lag(t.avg_sentiment) over (order by s.week_start) as sentiment_change
    from series s left join stats t on t.week_start = s.week_start
  )
  select coalesce(jsonb_agg(jsonb_build_object(
    'week_start', to_char(w.week_start, 'YYYY-MM-DD'),
    'iso_week', to_char(w.week_start, 'IYYY-"W"IW'),
    'outcomes', w.outcomes,
    'training_examples', w.training_examples,
    'replies', w.replies,
    'avg_sentiment', round(w.avg_sentiment, 4),
    'sentiment_change', round(w.sentiment_change, 4)
  ) order by w.week_start), '[]'::jsonb)
  from weeks w
$$;

-- Outcomes -------------------------------------------------------------------------------------

-- One page of outcomes, newest first, matching every filter given (exact lead, campaign, outcome
-- id or model version; created in [p_from, p_to)), after the keyset cursor (p_before_created_at,
-- p_before_id) of the previous page. Dynamic SQL puts only the given filters in the statement, so
-- each search is planned on the index that fits it. `matches` counts up to 10 000 (`capped` past
-- it); `next` is the cursor of the following page, null on the last one.
create or replace function public.console_search_outcomes(
  p_organization_id text default null,
  p_lead_id text default null,
  p_campaign_id text default null,
  p_outcome_id uuid default null,
  p_model_version text default null,
  p_from timestamptz default null,
  p_to timestamptz default null,
  p_before_created_at timestamptz default null,
  p_before_id uuid default null,
  p_limit integer default 50
) returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_limit integer := least(greatest(coalesce(p_limit, 50), 1), 200);
  v_filter text := 'true';
  v_page text;
  v_rows jsonb;
  v_matches bigint;
  v_last jsonb;
begin
  if p_organization_id is not null then v_filter := v_filter || ' and o.organization_id = $1'; end if;
  if p_lead_id is not null then v_filter := v_filter || ' and o.lead_id = $2'; end if;
  if p_campaign_id is not null then v_filter := v_filter || ' and o.campaign_id = $3'; end if;
  if p_outcome_id is not null then v_filter := v_filter || ' and o.id = $4'; end if;
  if p_model_version is not null then v_filter := v_filter || ' and o.model_version = $5'; end if;
  if p_from is not null then v_filter := v_filter || ' and o.created_at >= $6'; end if;
  if p_to is not null then v_filter := v_filter || ' and o.created_at < $7'; end if;
  v_page := v_filter;
  if p_before_created_at is not null and p_before_id is not null then
    v_page := v_page || ' and (o.created_at, o.id) < ($8, $9)';
  end if;
  execute format($sql$
    select coalesce(jsonb_agg(to_jsonb(r) order by r.created_at desc, r.id desc), '[]'::jsonb)
    from (
      select o.id, o.organization_id, o.campaign_id, o.lead_id, o.channel, o.route, o.model_id,
        o.model_version, o.variant, o.provider, o.subject_line, left(o.message_body, 140) as preview,
        o.delivered, o.opened, o.clicked, o.bounced, o.replied, o.reply_sentiment_label,
        o.meeting_booked, o.deal_closed, o.deal_value, o.quality_score, o.cost_usd, o.created_at
      from public.outcome_labels o
      where %s
      order by o.created_at desc, o.id desc
      limit %s
    ) r
  $sql$, v_page, v_limit + 1)
  into v_rows
  using p_organization_id, p_lead_id, p_campaign_id, p_outcome_id, p_model_version, p_from, p_to,
    p_before_created_at, p_before_id;
  execute format(
    'select count(*) from (select 1 from public.outcome_labels o where %s limit 10001) m',
    v_filter)
  into v_matches
  using p_organization_id, p_lead_id, p_campaign_id, p_outcome_id, p_model_version, p_from, p_to;
  if jsonb_array_length(v_rows) > v_limit then
    v_rows := v_rows - v_limit;
    v_last := v_rows -> (v_limit - 1);
  end if;
  return jsonb_build_object(
    'rows', v_rows,
    'matches', least(v_matches, 10000),
    'capped', v_matches > 10000,
    'next', case when v_last is null then null
      else jsonb_build_object('created_at', v_last -> 'created_at', 'id', v_last -> 'id') end
  );
end
$$;

-- An outcome with the provider events recorded for it (oldest first, at most 500), or null when
-- there is no such outcome in the organization (any organization's for p_organization_id null).
create or replace function public.console_outcome_detail(
  p_organization_id text,
  p_id uuid
) returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'outcome', to_jsonb(o),
    'events', coalesce((
      select jsonb_agg(jsonb_build_object(
        'id', e.id, 'source', e.source, 'event_type', e.event_type,
        'occurred_at', e.occurred_at, 'received_at', e.received_at, 'status', e.status
      ) order by coalesce(e.occurred_at, e.received_at), e.id)
      from (
        select * from public.webhook_events w
        where w.outcome_id = o.id
        order by coalesce(w.occurred_at, w.received_at), w.id
        limit 500
      ) e
    ), '[]'::jsonb)
  )
  from public.outcome_labels o
  where o.id = p_id and (p_organization_id is null or o.organization_id = p_organization_id)
$$;

do $$
declare
  v_function regprocedure;
begin
  for v_function in
    select p.oid::regprocedure from pg_proc p
    join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public' and p.proname in (
      'create_console_session', 'get_console_session', 'delete_console_session',
      'console_overview', 'console_flywheel_weekly', 'console_search_outcomes',
      'console_outcome_detail'
    )
  loop
    execute format('revoke all on function %s from public, anon, authenticated', v_function);
    execute format('grant execute on function %s to service_role', v_function);
  end loop;
end
$$;
