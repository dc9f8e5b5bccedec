-- Row Level Security and grants on the tables, the way Supabase expects them.
--
-- Who is who:
--   anon           the publishable key without a user: sees nothing, can do nothing.
--   authenticated  a signed-in user; the organization comes from the JWT claim
--                  app_metadata.organization_id (set server-side, the user cannot edit it). Never
--                  user_metadata, which the user can write.
--   service_role   the gateway's own key: bypasses RLS (the role has BYPASSRLS) and calls the store
--                  functions, which take the organization explicitly.
--
-- What authenticated may do:
--   organizations, webhook_events, training_runs  select own organization's rows
--   training_run_events                           select the events of own organization's runs
--   api_keys                                      select own organization's rows, never key_hash
--   outcome_labels                                select / insert / update / delete own rows; a row
--                                                 cannot be moved to another organization
--   model_registry, rollout_events                select all rows (the deployed models are global);
--                                                 writes are service_role only
--   rollout_automation_claims                     nothing (the gateway's bookkeeping)
-- Policies read the claim through `(select auth.jwt())` so it is evaluated once per statement.
-- Views and functions carry their own grants, in the file that defines them.

grant usage on schema public to anon, authenticated, service_role;

-- Supabase's default privileges grant everything on new public tables to anon and authenticated;
-- take it all back and grant the minimum.
revoke all on table
  public.organizations, public.api_keys, public.outcome_labels, public.webhook_events,
  public.training_runs, public.training_run_events, public.model_registry, public.rollout_events,
  public.rollout_automation_claims
  from anon, authenticated;
revoke all on sequence
  public.webhook_events_id_seq, public.training_run_events_id_seq, public.rollout_events_id_seq
  from anon, authenticated;

grant all on table
  public.organizations, public.api_keys, public.outcome_labels, public.webhook_events,
  public.training_runs, public.training_run_events, public.model_registry, public.rollout_events,
  public.rollout_automation_claims
  to service_role;
grant usage, select on sequence
  public.webhook_events_id_seq, public.training_run_events_id_seq, public.rollout_events_id_seq
  to service_role;

grant select on table public.organizations to authenticated;
grant select (
  id, organization_id, name, key_prefix, rpm_limit, created_at, revoked_at, last_used_at
) on table public.api_keys to authenticated;
grant select, insert, update, delete on table public.outcome_labels to authenticated;
grant select on table public.webhook_events to authenticated;
grant select on table public.training_runs to authenticated;
grant select on table public.training_run_events to authenticated;
grant select on table public.model_registry to authenticated;
grant select on table public.rollout_events to authenticated;

alter table public.organizations enable row level security;
alter table public.api_keys enable row level security;
alter table public.outcome_labels enable row level security;
alter table public.webhook_events enable row level security;
alter table public.training_runs enable row level security;
alter table public.training_run_events enable row level security;
alter table public.model_registry enable row level security;
alter table public.rollout_events enable row level security;
alter table public.rollout_automation_claims enable row level security;

-- Policies are dropped first so the file can be re-applied by hand.
drop policy if exists organizations_select_own on public.organizations;
create policy organizations_select_own on public.organizations
  for select to authenticated
  using (id = (select auth.jwt() -> 'app_metadata' ->> 'organization_id'));

drop policy if exists api_keys_select_own on public.api_keys;
create policy api_keys_select_own on public.api_keys
  for select to authenticated
  using (organization_id = (select auth.jwt() -> 'app_metadata' ->> 'organization_id'));

drop policy if exists outcome_labels_select_own on public.outcome_labels;
create policy outcome_labels_select_own on public.outcome_labels
  for select to authenticated
  using (organization_id = (select auth.jwt() -> 'app_metadata' ->> 'organization_id'));

drop policy if exists outcome_labels_insert_own on public.outcome_labels;
create policy outcome_labels_insert_own on public.outcome_labels
  for insert to authenticated
  with check (organization_id = (select auth.jwt() -> 'app_metadata' ->> 'organization_id'));

drop policy if exists outcome_labels_update_own on public.outcome_labels;
create policy outcome_labels_update_own on public.outcome_labels
  for update to authenticated
  using (organization_id = (select auth.jwt() -> 'app_metadata' ->> 'organization_id'))
  with check (organization_id = (select auth.jwt() -> 'app_metadata' ->> 'organization_id'));

drop policy if exists outcome_labels_delete_own on public.outcome_labels;
create policy outcome_labels_delete_own on public.outcome_labels
  for delete to authenticated
  using (organization_id = (select auth.jwt() -> 'app_metadata' ->> 'organization_id'));

drop policy if exists webhook_events_select_own on public.webhook_events;
create policy webhook_events_select_own on public.webhook_events
  for select to authenticated
  using (organization_id = (select auth.jwt() -> 'app_metadata' ->> 'organization_id'));

drop policy if exists training_runs_select_own on public.training_runs;
create policy training_runs_select_own on public.training_runs
  for select to authenticated
  using (organization_id = (select auth.jwt() -> 'app_metadata' ->> 'organization_id'));

-- Tenants see the events of their own organization's runs (as they see those runs).
drop policy if exists training_run_events_select_own on public.training_run_events;
create policy training_run_events_select_own on public.training_run_events
  for select to authenticated
  using (exists (
    select 1 from public.training_runs r
    where r.id = run_id
      and r.organization_id = (select auth.jwt() -> 'app_metadata' ->> 'organization_id')
  ));

drop policy if exists model_registry_select_all on public.model_registry;
create policy model_registry_select_all on public.model_registry
  for select to authenticated
  using (true);

drop policy if exists rollout_events_select_all on public.rollout_events;
create policy rollout_events_select_all on public.rollout_events
  for select to authenticated
  using (true);
