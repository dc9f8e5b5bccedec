-- 20261128001500_contract_fixes.sql: the registry operations take the model first and default the
-- route to `outreach`; the stored baseline always holds what the testing variants leave, so a
-- route's active_models add up to 100; outcomes written with the seed's columns only (no route)
-- count on the leaderboard.
begin;
create extension if not exists pgtap;
select plan(36);

-- One definition per operation: no overload left to make a call ambiguous.
select is((select count(*)::int from pg_proc p join pg_namespace n on n.oid = p.pronamespace
           where n.nspname = 'public' and p.proname = f.name), 1, f.name || ' has one signature')
from (values ('register_model'), ('set_baseline_model'), ('deploy_model'), ('promote_model'),
             ('deprecate_model'), ('rollback_model')) as f(name);
select is(
  (select array_agg(p.proname::text order by p.proname) from pg_proc p
   join pg_namespace n on n.oid = p.pronamespace
   where n.nspname = 'public' and p.proname in ('register_model', 'set_baseline_model',
     'deploy_model', 'promote_model', 'deprecate_model', 'rollback_model')
     and exists (select 1 from unnest(p.proargnames) with ordinality a(name, position)
                 where a.name = 'p_route'
                   and a.position > p.pronargs - p.pronargdefaults)),
  array['deploy_model', 'deprecate_model', 'promote_model', 'register_model', 'rollback_model',
        'set_baseline_model'],
  'every registry operation gives p_route a default');

-- The seed's calls, positional and without a route.
select is(public.register_model('gpt-4o-mini', 'openai', 'cf_v1') ->> 'route', 'outreach',
  'register_model: route defaults to outreach');
select public.register_model('ft:gpt-4o-mini:acme::cf2', 'openai', 'cf_v2');
select public.register_model('gpt-4o', 'openai', 'cf_v3');
select is(public.set_baseline_model('cf_v1') ->> 'traffic_percentage', '100.00',
  'set_baseline_model(ref): the only model of outreach takes all of its traffic');
select is((select sum(traffic_percentage) from public.active_models where route = 'outreach'),
  100::numeric, 'active_models of outreach add up to 100 after set_baseline');

select is(public.deploy_model('cf_v2', 10) ->> 'traffic_percentage', '10.00',
  'deploy_model(ref, traffic): deployed on outreach at 10 %');
select is((select traffic_percentage from public.model_registry
           where route = 'outreach' and model_version = 'cf_v1'), 90.00::numeric(5, 2),
  'deploy: the baseline keeps the other 90 %');
select is((select sum(traffic_percentage) from public.active_models where route = 'outreach'),
  100::numeric, 'active_models add up to 100 after deploy');

select lives_ok($$select public.deploy_model(p_ref => 'cf_v3', p_traffic_percentage => 25,
  p_route => 'outreach', p_ab_test_group => 'C')$$, 'deploy_model with named arguments');
select is((select traffic_percentage from public.model_registry
           where route = 'outreach' and model_version = 'cf_v1'), 65.00::numeric(5, 2),
  'a second variant: the baseline keeps 65 %');
select is((select sum(traffic_percentage) from public.active_models where route = 'outreach'),
  100::numeric, 'active_models add up to 100 with two variants');
select throws_ok($$select public.deploy_model('cf_v3', 95)$$, '22023', null,
  'a deploy past 100 % is still refused');

select is(public.deprecate_model('cf_v3') ->> 'status', 'deprecated', 'deprecate_model(ref)');
select is((select traffic_percentage from public.model_registry
           where route = 'outreach' and model_version = 'cf_v1'), 90.00::numeric(5, 2),
  'deprecate: the variant''s share goes back to the baseline');

select is(public.rollback_model('cf_v2') ->> 'status', 'rolled_back', 'rollback_model(ref)');
select is((select traffic_percentage from public.model_registry
           where route = 'outreach' and model_version = 'cf_v1'), 100.00::numeric(5, 2),
  'rollback of a variant: the baseline takes everything again');

select public.deploy_model('cf_v2', 30);
select public.deploy_model('cf_v3', 20);
select is(public.promote_model('cf_v2') ->> 'traffic_percentage', '80.00',
  'promote_model(ref): the new baseline takes what cf_v3 leaves');
select is((select status || ' ' || traffic_percentage::text from public.model_registry
           where route = 'outreach' and model_version = 'cf_v1'), 'deprecated 0.00',
  'promote: the old baseline is deprecated with no traffic');
select is((select sum(traffic_percentage) from public.active_models where route = 'outreach'),
  100::numeric, 'active_models add up to 100 after promote');

select is(public.rollback_model() ->> 'model_version', 'cf_v1',
  'rollback_model(): the route outreach returns to its previous baseline');
select is((select traffic_percentage from public.model_registry
           where route = 'outreach' and model_version = 'cf_v1'), 80.00::numeric(5, 2),
  'rollback of the route: the restored baseline takes what cf_v3 leaves');
select is((select sum(traffic_percentage) from public.active_models where route = 'outreach'),
  100::numeric, 'active_models add up to 100 after a route rollback');

select public.register_model('gpt-4o-mini', 'openai', 'cf_other_v1', 'cf_other');
select is(public.set_baseline_model(p_ref => 'cf_other_v1', p_route => 'cf_other')
  ->> 'traffic_percentage', '100.00', 'another route keeps its own split');
select is((select traffic_percentage from public.model_registry
           where route = 'outreach' and model_version = 'cf_v1'), 80.00::numeric(5, 2),
  'a change on one route leaves the other route''s baseline alone');

-- Outcomes written with the seed's columns only: no route. 40 days old, so the leaderboard's
-- reply window has closed. cf_v1 is on outreach; cf_other_v1 only on cf_other; the model
-- 'ft:gpt-4o-mini:acme::cf2' is cf_v2's; neither 'cf_unregistered' nor its model is registered.
insert into public.outcome_labels (organization_id, campaign_id, lead_id, channel, message_body,
  model_id, model_version, replied, created_at)
select 'cf_org', 'cf_campaign', 'cf_lead_' || i, 'email', 'message ' || i, m.model_id,
  m.model_version, i <= m.replies, now() - interval '40 days'
from (values ('gpt-4o-mini', 'cf_v1', 4, 2), ('gpt-4o-mini', 'cf_other_v1', 3, 3),
             ('ft:gpt-4o-mini:acme::cf2', null, 2, 1), ('claude-3-5-haiku', 'cf_unregistered', 5, 0))
  as m(model_id, model_version, messages, replies)
cross join lateral generate_series(1, m.messages) as i;
-- A request the gateway tracked as direct is in no experiment.
insert into public.outcome_labels (organization_id, lead_id, model_id, model_version, variant,
  created_at)
values ('cf_org', 'cf_direct', 'gpt-4o-mini', 'cf_v1', 'direct', now() - interval '40 days');

select is((select total_messages_sent::int from public.model_leaderboard
           where route = 'outreach' and model_version = 'cf_v1'), 4,
  'leaderboard: unrouted rows of a registered version count on its route');
select is((select reply_rate from public.model_leaderboard
           where route = 'outreach' and model_version = 'cf_v1'), 0.5::numeric,
  'leaderboard: and their replies count');
select is((select total_messages_sent::int from public.model_leaderboard
           where route = 'cf_other' and model_version = 'cf_other_v1'), 3,
  'leaderboard: the route comes from the registry row of the version');
select is((select total_messages_sent::int from public.model_leaderboard
           where route = 'outreach' and model_version = 'cf_v2'), 2,
  'leaderboard: a row with only a model id gets the version and route of that model');
select is((select total_messages_sent::int from public.model_leaderboard
           where route = 'outreach' and model_version = 'cf_unregistered'), 5,
  'leaderboard: a version the registry does not know lands on the default route outreach');
select is((select count(*)::int from public.rollout_message_outcomes
           where organization_id = 'cf_org'), 14,
  'rollout_message_outcomes: every unrouted row but the direct one');
select is(
  (select sum((c ->> 'messages_sent')::int)::int
   from jsonb_array_elements(public.rollout_daily_cohorts('outreach', p_organization_id => 'cf_org')) c
   where c ->> 'model_version' = 'cf_v1'),
  4, 'rollout_daily_cohorts: the unrouted rows count for the route they resolve to');

select * from finish();
rollback;
