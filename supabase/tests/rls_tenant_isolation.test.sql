-- Row Level Security: an authenticated user of org A can neither read nor write org B's rows,
-- anon sees nothing, and claims in user_metadata (which users can edit) grant nothing. Identity is
-- switched exactly as PostgREST does it: SET LOCAL ROLE plus request.jwt.claims.
begin;
create extension if not exists pgtap;
select plan(43);

-- Two organizations' rows, written as the owner (RLS does not apply to it).
insert into public.organizations (id, name) values ('rls_org_a', 'A'), ('rls_org_b', 'B');
insert into public.api_keys (organization_id, key_hash, key_prefix) values
  ('rls_org_a', 'rls_hash_a', 'rk_rlsaaaaa'), ('rls_org_b', 'rls_hash_b', 'rk_rlsbbbbb');
insert into public.outcome_labels (id, organization_id, lead_id, message_body, prompt_messages,
  replied, reply_sentiment_label) values
  ('00000000-0000-4000-8000-0000000000a1', 'rls_org_a', 'lead_a', 'A', '[{"role":"user","content":"a"}]', true, 'positive'),
  ('00000000-0000-4000-8000-0000000000b1', 'rls_org_b', 'lead_b', 'B', '[{"role":"user","content":"b"}]', true, 'positive');
insert into public.webhook_events (source, event_id, organization_id, event_type, payload) values
  ('rls', 'ev_a', 'rls_org_a', 'delivered', '{}'), ('rls', 'ev_b', 'rls_org_b', 'delivered', '{}');
insert into public.training_runs (organization_id, provider, model_version, base_model) values
  ('rls_org_a', 'openai', 'rls_v_a', 'gpt-4o-mini'), ('rls_org_b', 'openai', 'rls_v_b', 'gpt-4o-mini');
insert into public.model_registry (route, model_id, provider, model_version)
  values ('rls_route', 'gpt-4o-mini', 'openai', 'rls_v1');
insert into public.rollout_events (route, model_version, action) values ('rls_route', 'rls_v1', 'register');

-- Org A, as PostgREST would run a request carrying org A's JWT.
set local role authenticated;
select set_config('request.jwt.claims',
  '{"sub":"00000000-0000-4000-8000-00000000aaaa","role":"authenticated","app_metadata":{"organization_id":"rls_org_a"}}',
  true);

select is(current_user::text, 'authenticated', 'the checks run as authenticated, not the owner');
select is((select rolsuper or rolbypassrls from pg_roles where rolname = current_user), false,
  'authenticated neither is a superuser nor bypasses RLS');

select results_eq($$select id from public.organizations$$, $$values ('rls_org_a'::text)$$,
  'organizations: org A sees only itself');
select results_eq($$select key_prefix from public.api_keys$$, $$values ('rk_rlsaaaaa'::text)$$,
  'api_keys: org A sees only its keys');
select throws_ok($$select key_hash from public.api_keys$$, '42501', null,
  'api_keys: key hashes are not readable by tenants');
select results_eq($$select lead_id from public.outcome_labels$$, $$values ('lead_a'::text)$$,
  'outcome_labels: org A sees only its outcomes');
select results_eq($$select event_id from public.webhook_events$$, $$values ('ev_a'::text)$$,
  'webhook_events: org A sees only its events');
select results_eq($$select model_version from public.training_runs$$, $$values ('rls_v_a'::text)$$,
  'training_runs: org A sees only its runs');
select isnt_empty($$select 1 from public.model_registry where route = 'rls_route'$$,
  'model_registry: readable by tenants');
select isnt_empty($$select 1 from public.rollout_events where route = 'rls_route'$$,
  'rollout_events: readable by tenants');
select results_eq($$select lead_id from public.training_ready_outcomes$$, $$values ('lead_a'::text)$$,
  'training_ready_outcomes (security_invoker): only org A');
select results_eq($$select sum(messages_sent)::int from public.flywheel_weekly$$, $$values (1)$$,
  'flywheel_weekly (security_invoker): counts only org A');

select throws_ok(
  $$insert into public.outcome_labels (organization_id, lead_id) values ('rls_org_b', 'intruder')$$,
  '42501', null, 'outcome_labels: org A cannot insert a row for org B');
select lives_ok(
  $$insert into public.outcome_labels (organization_id, lead_id) values ('rls_org_a', 'lead_a2')$$,
  'outcome_labels: org A can insert its own row');
select is_empty(
  $$update public.outcome_labels set lead_id = 'hacked' where organization_id = 'rls_org_b' returning id$$,
  'outcome_labels: updating org B rows touches nothing');
select throws_ok(
  $$update public.outcome_labels set organization_id = 'rls_org_b' where lead_id = 'lead_a'$$,
  '42501', null, 'outcome_labels: org A cannot move its row to org B');
select is_empty(
  $$delete from public.outcome_labels where organization_id = 'rls_org_b' returning id$$,
  'outcome_labels: deleting org B rows touches nothing');
select throws_ok(
  $$insert into public.api_keys (organization_id, key_hash, key_prefix) values ('rls_org_b', 'x', 'rk_x')$$,
  '42501', null, 'api_keys: tenants cannot create keys');
select throws_ok($$update public.api_keys set revoked_at = now()$$, '42501', null,
  'api_keys: tenants cannot revoke keys');
select throws_ok($$delete from public.organizations$$, '42501', null,
  'organizations: tenants cannot delete');
select throws_ok($$insert into public.webhook_events (source, event_id, organization_id, event_type, payload)
  values ('rls', 'ev_x', 'rls_org_b', 'open', '{}')$$, '42501', null,
  'webhook_events: tenants cannot insert');
select throws_ok($$update public.training_runs set status = 'failed'$$, '42501', null,
  'training_runs: tenants cannot update');
select throws_ok($$update public.model_registry set traffic_percentage = 50$$, '42501', null,
  'model_registry: writable by service_role only');
select throws_ok($$select public.list_active_api_keys()$$, '42501', null,
  'store functions are not callable by tenants');
select throws_ok($$select public.get_outcome('rls_org_b', '00000000-0000-4000-8000-0000000000b1')$$,
  '42501', null, 'tenants cannot read through the store functions either');

-- Org B's claims see org B only (the same rows, the other way round).
select set_config('request.jwt.claims',
  '{"role":"authenticated","app_metadata":{"organization_id":"rls_org_b"}}', true);
select results_eq($$select lead_id from public.outcome_labels$$, $$values ('lead_b'::text)$$,
  'outcome_labels: org B sees its row, untouched by org A');

-- Claims in user_metadata (editable by the user) grant nothing.
select set_config('request.jwt.claims',
  '{"role":"authenticated","user_metadata":{"organization_id":"rls_org_b"}}', true);
select is_empty($$select 1 from public.organizations$$, 'user_metadata: no organizations');
select is_empty($$select 1 from public.outcome_labels$$, 'user_metadata: no outcomes');
select is_empty($$select 1 from public.api_keys$$, 'user_metadata: no keys');
select throws_ok(
  $$insert into public.outcome_labels (organization_id, lead_id) values ('rls_org_b', 'intruder')$$,
  '42501', null, 'user_metadata: cannot insert');

-- No claims at all (an authenticated role without a JWT) also sees nothing.
select set_config('request.jwt.claims', '', true);
select is_empty($$select 1 from public.outcome_labels$$, 'no claims: no outcomes');

-- anon: the publishable key without a user sees nothing and can do nothing.
reset role;
set local role anon;
select set_config('request.jwt.claims', '{"role":"anon"}', true);
select is(current_user::text, 'anon', 'the next checks run as anon');
select throws_ok($$select 1 from public.organizations$$, '42501', null, 'anon: organizations');
select throws_ok($$select 1 from public.api_keys$$, '42501', null, 'anon: api_keys');
select throws_ok($$select 1 from public.outcome_labels$$, '42501', null, 'anon: outcome_labels');
select throws_ok($$select 1 from public.webhook_events$$, '42501', null, 'anon: webhook_events');
select throws_ok($$select 1 from public.training_runs$$, '42501', null, 'anon: training_runs');
select throws_ok($$select 1 from public.model_registry$$, '42501', null, 'anon: model_registry');
select throws_ok($$select 1 from public.model_leaderboard$$, '42501', null, 'anon: model_leaderboard');
select throws_ok(
  $$insert into public.outcome_labels (organization_id, lead_id) values ('rls_org_a', 'anon')$$,
  '42501', null, 'anon: cannot insert');
select throws_ok($$select public.track_messages('[]'::jsonb)$$, '42501', null,
  'anon: cannot call store functions');

-- Back to the owner: org B's rows are exactly as written.
reset role;
select results_eq(
  $$select lead_id from public.outcome_labels where organization_id = 'rls_org_b'$$,
  $$values ('lead_b'::text)$$, 'org B rows were neither changed, moved nor deleted');
select is((select count(*)::int from public.outcome_labels where organization_id = 'rls_org_a'), 2,
  'org A holds its original row and the one it inserted');

select * from finish();
rollback;
