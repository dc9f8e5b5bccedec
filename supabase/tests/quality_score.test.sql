-- The quality score: one SQL definition, kept current by a trigger on outcome_labels.
begin;
create extension if not exists pgtap;
select plan(17);

-- (bounced, spam, unsubscribed, delivered, opened, clicked, replied, score, label, meeting, deal)
select is(public.outcome_quality_score(false, false, false, false, false, false, false, null, null, false, false), 0.1, 'sent only: 0.1');
select is(public.outcome_quality_score(false, false, false, true, false, false, false, null, null, false, false), 0.2, 'delivered: 0.2');
select is(public.outcome_quality_score(false, false, false, true, true, false, false, null, null, false, false), 0.3, 'opened: 0.3');
select is(public.outcome_quality_score(false, false, false, true, true, true, false, null, null, false, false), 0.4, 'clicked: 0.4');
select is(public.outcome_quality_score(false, false, false, true, true, true, true, null, null, false, false), 0.5, 'replied, sentiment unknown: 0.5 (not training-ready)');
select is(public.outcome_quality_score(false, false, false, true, false, false, true, 1.0, 'positive', false, false), 0.8, 'replied, fully positive: 0.8');
select is(public.outcome_quality_score(false, false, false, true, false, false, true, null, 'positive', false, false), 0.8, 'replied, labelled positive: 0.8');
select is(public.outcome_quality_score(false, false, false, true, false, false, true, 0.2, 'positive', false, false), 0.6, 'replied positive with a low score: still 0.6 (training-ready)');
select is(public.outcome_quality_score(false, false, false, true, false, false, true, null, 'neutral', false, false), 0.65, 'replied, neutral: 0.65');
select is(public.outcome_quality_score(false, false, false, true, false, false, true, 0.0, 'negative', false, false), 0.5, 'replied, negative: 0.5');
select is(public.outcome_quality_score(false, false, false, true, true, false, true, 0.9, 'positive', true, false), 0.9, 'meeting booked: 0.9');
select is(public.outcome_quality_score(false, false, false, true, true, false, true, 0.9, 'positive', true, true), 1.0, 'deal closed: 1.0');
select is(public.outcome_quality_score(true, false, false, false, false, false, false, null, null, false, false), 0.0, 'bounced: 0');
select is(public.outcome_quality_score(false, true, false, true, true, false, false, null, null, false, false), 0.0, 'spam report: 0');
select is(public.outcome_quality_score(false, false, true, true, true, true, true, 1.0, 'positive', false, false), 0.0, 'unsubscribed: 0 whatever came before');

insert into public.outcome_labels (id, organization_id, lead_id)
values ('00000000-0000-4000-8000-00000000c001', 'quality_org', 'lead_q');
select is((select quality_score from public.outcome_labels where id = '00000000-0000-4000-8000-00000000c001'),
  0.1::numeric(5, 4), 'trigger: a new row scores 0.1');
update public.outcome_labels set delivered = true, opened = true, clicked = true
where id = '00000000-0000-4000-8000-00000000c001';
select is((select quality_score from public.outcome_labels where id = '00000000-0000-4000-8000-00000000c001'),
  0.4::numeric(5, 4), 'trigger: an update recomputes the score');

select * from finish();
rollback;
