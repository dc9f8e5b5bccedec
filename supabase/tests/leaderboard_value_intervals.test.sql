-- 20261128001800_leaderboard_value_intervals.sql: model_leaderboard carries 95 % intervals for
-- revenue per message, cost per message and cost per meeting, after its older columns, and the
-- view stays readable the way it was.
begin;
create extension if not exists pgtap;
select plan(13);

select has_column('public', 'model_leaderboard', c.name, 'model_leaderboard has ' || c.name)
from (values ('revenue_per_message_ci95_lower'), ('revenue_per_message_ci95_upper'),
             ('cost_per_message_ci95_lower'), ('cost_per_message_ci95_upper'),
             ('cost_per_meeting_ci95_lower'), ('cost_per_meeting_ci95_upper')) as c(name);

select is(
  (select array_agg(a.attname::text order by a.attnum) from pg_attribute a
   where a.attrelid = 'public.model_leaderboard'::regclass and a.attnum > 54 and not a.attisdropped),
  array['revenue_per_message_ci95_lower', 'revenue_per_message_ci95_upper',
        'cost_per_message_ci95_lower', 'cost_per_message_ci95_upper',
        'cost_per_meeting_ci95_lower', 'cost_per_meeting_ci95_upper'],
  'the interval columns follow the 54 older ones, in this order');
select is(
  (select a.attname::text from pg_attribute a
   where a.attrelid = 'public.model_leaderboard'::regclass and a.attnum = 54),
  'unsubscribe_rate_ci95_upper', 'the older columns end where they did');

select col_type_is('public', 'model_leaderboard', 'cost_per_meeting_ci95_upper', 'numeric',
  'the bounds are numeric like the estimates');

select ok(has_table_privilege('authenticated', 'public.model_leaderboard', 'select'),
  'authenticated still reads model_leaderboard');
select ok(not has_table_privilege('anon', 'public.model_leaderboard', 'select'),
  'anon still does not');

-- t(0.975, 5) as published: 2.5705818356.
select is(round(public.student_t_quantile_975(5)::numeric, 10), 2.5705818356::numeric,
  'student_t_quantile_975(5)');
select ok(public.student_t_quantile_975(0) is null, 'student_t_quantile_975(0) is null');

select * from finish();
rollback;
