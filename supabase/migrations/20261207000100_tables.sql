-- Every table of the flywheel and its indexes. Names and the outcome_labels columns follow the seed
-- design, so SQL written against it runs verbatim; columns after `updated_at` in outcome_labels are
-- our additions. Grants and Row Level Security: …000200_row_level_security.sql.

create table if not exists organizations (
  id text primary key,
  name text,
  settings jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Only a SHA-256 hash of a key is stored; the key itself is shown once, by whoever created it.
create table if not exists api_keys (
  id uuid primary key default gen_random_uuid(),
  organization_id text not null references organizations (id) on delete cascade,
  name text,
  key_hash text not null unique,
  key_prefix text not null,
  rpm_limit integer check (rpm_limit is null or rpm_limit > 0),
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  last_used_at timestamptz
);
create index if not exists api_keys_organization_idx on api_keys (organization_id);

-- One row per generated (or reported) message, updated as its outcome events arrive.
create table if not exists outcome_labels (
  id uuid primary key default gen_random_uuid(),
  organization_id text not null,
  campaign_id text,
  lead_id text,
  channel text not null default 'email',
  message_body text,
  subject_line text,
  agent_decisions jsonb not null default '{}'::jsonb,
  framework text,
  tone text,
  model_id text,
  model_version text,
  variant text,
  provider text,
  request_id text,
  prompt_messages jsonb,
  delivered boolean not null default false,
  opened boolean not null default false,
  clicked boolean not null default false,
  bounced boolean not null default false,
  spam_reported boolean not null default false,
  unsubscribed boolean not null default false,
  replied boolean not null default false,
  reply_text text,
  reply_sentiment_score numeric(5, 4) check (reply_sentiment_score between 0 and 1),
  reply_sentiment_label text check (reply_sentiment_label in ('positive', 'neutral', 'negative')),
  interest_signal text,
  meeting_booked boolean not null default false,
  meeting_time timestamptz,
  deal_closed boolean not null default false,
  deal_value numeric(14, 2),
  quality_score numeric(5, 4),
  cost_usd numeric(14, 8),
  latency_ms integer,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- additions
  route text,
  lead_data jsonb not null default '{}'::jsonb,
  sg_message_id text,
  prompt_tokens integer,
  completion_tokens integer,
  delivered_at timestamptz,
  opened_at timestamptz,
  clicked_at timestamptz,
  bounced_at timestamptz,
  replied_at timestamptz,
  meeting_booked_at timestamptz,
  deal_closed_at timestamptz,
  deal_id text,
  -- the latest event time applied per field, so out-of-order events settle on the right value
  event_clock jsonb not null default '{}'::jsonb
);
create index if not exists outcome_labels_org_created_idx on outcome_labels (organization_id, created_at desc);
create index if not exists outcome_labels_org_lead_idx on outcome_labels (organization_id, lead_id, created_at desc);
create index if not exists outcome_labels_version_idx on outcome_labels (route, model_version, created_at);
create index if not exists outcome_labels_quality_idx on outcome_labels (organization_id, quality_score)
  where quality_score is not null;
create index if not exists outcome_labels_sg_message_idx on outcome_labels (sg_message_id)
  where sg_message_id is not null;
create index if not exists outcome_labels_deal_idx on outcome_labels (organization_id, deal_id)
  where deal_id is not null;
-- The training export's keyset scan and the weekly rollup.
create index if not exists outcome_labels_created_idx on public.outcome_labels (created_at);
-- Only rows written without a route (seed SQL, older tracking-API rows) are in this index: the
-- leaderboard resolves their route from the registry.
create index if not exists outcome_labels_unrouted_idx on public.outcome_labels (created_at)
  where route is null and variant is distinct from 'direct';
-- Outcomes carry a deal id only once a CRM event or the tracking API recorded one: a small partial
-- index, untouched by the tracking fast path (new outcomes have no deal id). CRM events without an
-- organization find their outcome through it.
create index if not exists outcome_labels_deal_id_idx on public.outcome_labels (deal_id, organization_id)
  where deal_id is not null;

-- Provider events (SendGrid, CRM, HubSpot), deduplicated on (source, event_id). effect is what the
-- event does to its outcome, computed in TypeScript; the keys after it find the outcome of an event
-- that arrived before it (…000600_webhooks.sql).
create table if not exists webhook_events (
  id bigint generated always as identity primary key,
  source text not null,
  event_id text not null,
  organization_id text,
  outcome_id uuid,
  event_type text not null,
  occurred_at timestamptz,
  payload jsonb not null,
  status text not null default 'applied'
    check (status in ('applied', 'unmatched', 'ignored', 'reconciled')),
  received_at timestamptz not null default now(),
  processed_at timestamptz,
  sg_message_ids text[],
  lead_id text,
  deal_id text,
  effect jsonb,
  -- when a reconciliation sweep last examined the event in vain (null: never)
  reconcile_checked_at timestamptz,
  unique (source, event_id)
);
create index if not exists webhook_events_outcome_idx on webhook_events (outcome_id);
create index if not exists webhook_events_unmatched_idx on webhook_events (received_at)
  where status = 'unmatched';
create index if not exists webhook_events_unmatched_outcome_idx on public.webhook_events (outcome_id)
  where status = 'unmatched';
-- The sweep's queue: events never examined first, then the least recently examined.
create index if not exists webhook_events_unmatched_sweep_idx
  on public.webhook_events (reconcile_checked_at nulls first, id)
  where status = 'unmatched';

-- Durable training runs, a state machine driven by …000700_training_runs.sql.
create table if not exists training_runs (
  id uuid primary key default gen_random_uuid(),
  organization_id text,
  route text not null default 'outreach',
  provider text not null check (provider in ('openai', 'together')),
  model_version text not null,
  base_model text not null,
  status text not null default 'exporting' check (status in (
    'exporting', 'uploading', 'queued', 'running', 'succeeded', 'registered', 'deployed',
    'failed', 'cancelled'
  )),
  min_quality_score numeric(5, 4) not null default 0.6,
  deploy_immediately boolean not null default false,
  ab_test_traffic numeric(5, 2),
  training_file_id text,
  validation_file_id text,
  provider_job_id text,
  provider_status text,
  fine_tuned_model text,
  stats jsonb not null default '{}'::jsonb,
  hyperparameters jsonb not null default '{}'::jsonb,
  error jsonb,
  attempts integer not null default 0,
  locked_by text,
  locked_until timestamptz,
  next_poll_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz,
  triggered_by text not null default 'api',
  schedule_slot text,
  last_error jsonb,
  poll_count integer not null default 0,
  trained_tokens bigint,
  registry_id uuid
);
create index if not exists training_runs_active_idx on training_runs (next_poll_at)
  where status not in ('deployed', 'failed', 'cancelled', 'registered');
-- One live run per (route, version); failed and cancelled runs give their version back.
create unique index if not exists training_runs_route_version_idx
  on public.training_runs (route, model_version)
  where status not in ('failed', 'cancelled');
-- A scheduled cycle fires on every instance at once; the slot makes it one run.
create unique index if not exists training_runs_schedule_slot_idx
  on public.training_runs (schedule_slot)
  where schedule_slot is not null;
create index if not exists training_runs_created_idx on public.training_runs (created_at desc);

-- Every status change of a run, with the worker that made it: the audit trail of a run.
create table if not exists public.training_run_events (
  id bigint generated always as identity primary key,
  run_id uuid not null references public.training_runs (id) on delete cascade,
  from_status text,
  to_status text not null,
  worker text,
  details jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);
create index if not exists training_run_events_run_idx on public.training_run_events (run_id, id);

-- The A/B registry: per route one baseline and any number of testing variants.
create table if not exists model_registry (
  id uuid primary key default gen_random_uuid(),
  route text not null default 'outreach',
  model_id text not null,
  provider text not null,
  model_version text not null,
  base_model text,
  status text not null default 'registered' check (status in (
    'registered', 'testing', 'active', 'deprecated', 'rolled_back'
  )),
  is_baseline boolean not null default false,
  traffic_percentage numeric(5, 2) not null default 0
    check (traffic_percentage >= 0 and traffic_percentage <= 100),
  ab_test_group text,
  training_run_id uuid references training_runs (id),
  training_stats jsonb not null default '{}'::jsonb,
  deployed_at timestamptz,
  promoted_at timestamptz,
  deprecated_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (route, model_version)
);
create unique index if not exists model_registry_one_baseline_idx on model_registry (route)
  where is_baseline;

-- Every registry change, manual or automatic, with the numbers behind it.
create table if not exists rollout_events (
  id bigint generated always as identity primary key,
  route text not null,
  model_version text,
  action text not null,
  automatic boolean not null default false,
  actor text,
  reason text,
  details jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);
create index if not exists rollout_events_route_idx on rollout_events (route, created_at desc);

-- Automatic registry changes. A decision is keyed by action, route, model version and the
-- variant's deployment time, so the same decision is acted on once, while a re-deployed variant is
-- judged afresh. A claim that failed may be retried (up to 3 attempts); one left 'claimed' by an
-- instance that died is taken over after a while (claim_rollout_action).
create table if not exists public.rollout_automation_claims (
  decision_key text primary key,
  route text not null,
  model_version text not null,
  action text not null check (action in ('promote', 'rollback')),
  status text not null default 'claimed' check (status in ('claimed', 'applied', 'failed')),
  holder text,
  attempts integer not null default 1,
  details jsonb not null default '{}'::jsonb,
  error text,
  claimed_at timestamptz not null default now(),
  finished_at timestamptz
);
create index if not exists rollout_automation_claims_route_idx
  on public.rollout_automation_claims (route, claimed_at desc);
