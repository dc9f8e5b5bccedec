-- The whole flywheel's tables. Names and the outcome_labels columns follow the seed design, so SQL
-- written against it runs verbatim; columns after `updated_at` in outcome_labels are our additions.

create table if not exists organizations (
  id text primary key,
  name text,
  settings jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

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
  unique (source, event_id)
);
create index if not exists webhook_events_outcome_idx on webhook_events (outcome_id);
create index if not exists webhook_events_unmatched_idx on webhook_events (received_at)
  where status = 'unmatched';

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
  finished_at timestamptz
);
create index if not exists training_runs_active_idx on training_runs (next_poll_at)
  where status not in ('deployed', 'failed', 'cancelled', 'registered');

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
