-- Stored responses of /v1/responses: Row Level Security keeps each organization to its own rows
-- (read and delete), anon sees nothing, the store functions answer only for the organization named,
-- and expired rows are neither answered nor kept by the purge.
begin;
create extension if not exists pgtap;
select plan(10);

select public.store_responses(jsonb_build_array(
  jsonb_build_object('id', 'resp_rls_a', 'organization_id', 'rls_sr_a',
    'response', '{"id":"resp_rls_a","object":"response"}'::jsonb,
    'created_at', now(), 'expires_at', now() + interval '30 days'),
  jsonb_build_object('id', 'resp_rls_b', 'organization_id', 'rls_sr_b',
    'response', '{"id":"resp_rls_b","object":"response"}'::jsonb,
    'created_at', now(), 'expires_at', now() + interval '30 days'),
  jsonb_build_object('id', 'resp_rls_old', 'organization_id', 'rls_sr_a',
    'response', '{"id":"resp_rls_old","object":"response"}'::jsonb,
    'created_at', now() - interval '31 days', 'expires_at', now() - interval '1 day')
));

select is(public.get_stored_response('rls_sr_a', 'resp_rls_a') -> 'response' ->> 'id', 'resp_rls_a',
  'get_stored_response: the organization reads its response');
select is(public.get_stored_response('rls_sr_b', 'resp_rls_a'), null,
  'get_stored_response: another organization gets nothing');
select is(public.get_stored_response('rls_sr_a', 'resp_rls_old'), null,
  'get_stored_response: an expired response is not answered');
select is(public.delete_stored_response('rls_sr_b', 'resp_rls_a'), false,
  'delete_stored_response: another organization deletes nothing');

set local role authenticated;
select set_config('request.jwt.claims',
  '{"role":"authenticated","app_metadata":{"organization_id":"rls_sr_a"}}', true);
select results_eq($$select id from public.stored_responses where id like 'resp_rls_%' order by id$$,
  $$values ('resp_rls_a'::text), ('resp_rls_old'::text)$$,
  'stored_responses: org A sees only its rows');
select lives_ok($$delete from public.stored_responses where id = 'resp_rls_b'$$,
  'stored_responses: a delete of org B''s row runs');
reset role;
select isnt_empty($$select 1 from public.stored_responses where id = 'resp_rls_b'$$,
  'stored_responses: org A''s delete left org B''s row alone');

set local role anon;
select throws_ok($$select id from public.stored_responses$$, '42501', null,
  'stored_responses: anon cannot read');
reset role;

select ok(public.purge_stored_responses(1000) >= 1, 'purge_stored_responses deletes expired rows');
select is_empty($$select 1 from public.stored_responses where id = 'resp_rls_old'$$,
  'the expired response is gone after the purge');

select * from finish();
rollback;
