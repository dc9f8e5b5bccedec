-- Replies that are not interest (issue 16, item 8): the interest signal decides a reply's score,
-- so auto-replies, opt-outs, objections, refusals and referrals stay below the training threshold.
begin;
create extension if not exists pgtap;
select plan(14);

-- (bounced, spam, unsubscribed, delivered, opened, clicked, replied, score, label, meeting, deal, signal)
select is(public.outcome_quality_score_with_signal(false, false, false, true, false, false, true, 0.5, 'neutral', false, false, 'out_of_office'), 0.2, 'out-of-office auto-reply: delivered (0.2), not 0.65');
select is(public.outcome_quality_score_with_signal(false, false, false, true, true, true, true, 0.5, 'neutral', false, false, 'out_of_office'), 0.4, 'auto-reply to a clicked message: the click (0.4)');
select is(public.outcome_quality_score_with_signal(false, false, false, true, false, false, true, 0.4, 'neutral', false, false, 'objection'), 0.5, 'objection: 0.5, not 0.62');
select is(public.outcome_quality_score_with_signal(false, false, false, true, false, false, true, 0.5, 'neutral', false, false, 'referral'), 0.55, 'referral: 0.55, not 0.65');
select is(public.outcome_quality_score_with_signal(false, false, false, true, false, false, true, 0.2, 'negative', false, false, 'not_interested'), 0.45, 'not interested: 0.45');
select is(public.outcome_quality_score_with_signal(false, false, false, true, false, false, true, 0.0, 'negative', false, false, 'unsubscribe'), 0.0, 'unsubscribe request: 0');
select is(public.outcome_quality_score_with_signal(false, false, false, true, false, false, true, 0.85, 'positive', false, false, 'interested'), 0.755, 'interested: 0.5 + 0.3 x sentiment');
select is(public.outcome_quality_score_with_signal(false, false, false, true, false, false, true, 0.3, 'neutral', false, false, 'interested'), 0.6, 'interested with a low score: still training-ready (0.6)');
select is(public.outcome_quality_score_with_signal(false, false, false, true, false, false, true, 0.55, 'neutral', false, false, 'question'), 0.665, 'question: 0.5 + 0.3 x sentiment');
select is(public.outcome_quality_score_with_signal(false, false, false, true, false, false, true, 0.5, 'neutral', false, false, ' Out-Of-Office '), 0.2, 'signals are read case-insensitively, - as _');
select is(public.outcome_quality_score_with_signal(false, false, false, true, false, false, true, 0.5, 'neutral', true, false, 'objection'), 0.9, 'a meeting after an objection: 0.9');
select is(public.outcome_quality_score(false, false, false, true, false, false, true, null, 'neutral', false, false), 0.65, 'eleven arguments (no signal): the rule as before');

insert into public.outcome_labels (id, organization_id, lead_id, delivered)
values ('00000000-0000-4000-8000-00000000c101', 'quality_org', 'lead_ooo', true);
update public.outcome_labels
set replied = true, reply_sentiment_score = 0.5, reply_sentiment_label = 'neutral',
  interest_signal = 'out_of_office'
where id = '00000000-0000-4000-8000-00000000c101';
select is((select quality_score from public.outcome_labels where id = '00000000-0000-4000-8000-00000000c101'),
  0.2::numeric(5, 4), 'trigger: an auto-reply leaves the row at 0.2');
select is((select count(*)::int from public.training_ready_outcomes where id = '00000000-0000-4000-8000-00000000c101'),
  0, 'an auto-reply is not training-ready');

select * from finish();
rollback;
