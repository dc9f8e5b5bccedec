-- Flywheel correctness (issue 16): replies that are not interest no longer become training data.
--
-- Until now a reply scored 0.5 + 0.3 x sentiment whatever kind of reply it was, so the local
-- classifier's out-of-office auto-reply (sentiment 0.5) scored 0.65, an objection (0.4) 0.62 and a
-- referral 0.65: all three training-ready at the default threshold 0.6, and the model was taught to
-- write messages that earn auto-replies and objections. The reply's interest signal
-- (outcome_labels.interest_signal: the client's, or the sentiment analyzer's) now decides first:
--
--   interest_signal       score of a reply (no meeting or deal yet)
--   unsubscribe           0                 an opt-out, like the unsubscribe event
--   out_of_office         the furthest other stage, at least delivered (0.2): an auto-reply
--                         proves delivery and says nothing about the message
--   not_interested        0.45
--   objection             0.5
--   referral              0.55              the message reached the wrong person; the referred
--                                           colleague's own outcome is what counts
--   interested            0.5 + 0.3 x sentiment, at least 0.6
--   question, none, other 0.5 + 0.3 x sentiment, at least 0.6 when labelled positive (as before)
--
-- Signals are read case-insensitively with `-` as `_`; `ooo` and `auto_reply` mean out_of_office,
-- `opt_out` unsubscribe. The table is in docs/data-model.md.

create or replace function public.outcome_quality_score_with_signal(
  p_bounced boolean,
  p_spam_reported boolean,
  p_unsubscribed boolean,
  p_delivered boolean,
  p_opened boolean,
  p_clicked boolean,
  p_replied boolean,
  p_reply_sentiment_score numeric,
  p_reply_sentiment_label text,
  p_meeting_booked boolean,
  p_deal_closed boolean,
  p_interest_signal text
) returns numeric
language sql
immutable
parallel safe
as $$
  select case
    when coalesce(p_bounced, false) or coalesce(p_spam_reported, false)
      or coalesce(p_unsubscribed, false) then 0.0
    when coalesce(p_deal_closed, false) then 1.0
    when coalesce(p_meeting_booked, false) then 0.9
    when coalesce(p_replied, false) then (
      select case
        when s.signal in ('unsubscribe', 'opt_out') then 0.0
        when s.signal in ('out_of_office', 'ooo', 'auto_reply') then
          case
            when coalesce(p_clicked, false) then 0.4
            when coalesce(p_opened, false) then 0.3
            else 0.2
          end
        when s.signal = 'not_interested' then 0.45
        when s.signal = 'objection' then 0.5
        when s.signal = 'referral' then 0.55
        else pg_catalog.round(greatest(
          0.5 + 0.3 * least(1.0, greatest(0.0, coalesce(
            p_reply_sentiment_score,
            case p_reply_sentiment_label
              when 'positive' then 1.0
              when 'neutral' then 0.5
              when 'negative' then 0.0
            end,
            0.0
          ))),
          case
            when p_reply_sentiment_label = 'positive' or s.signal = 'interested' then 0.6
            else 0.0
          end
        ), 4)
      end
      from (select pg_catalog.replace(pg_catalog.lower(pg_catalog.btrim(p_interest_signal)), '-', '_')
        as signal) s
    )
    when coalesce(p_clicked, false) then 0.4
    when coalesce(p_opened, false) then 0.3
    when coalesce(p_delivered, false) then 0.2
    else 0.1
  end
$$;

comment on function public.outcome_quality_score_with_signal(
  boolean, boolean, boolean, boolean, boolean, boolean, boolean, numeric, text, boolean, boolean,
  text
) is
  'Quality of a tracked message in [0,1] from the furthest stage reached and, for a reply, its interest signal; see docs/data-model.md.';

-- A name of its own rather than an overload: `comment on function public.outcome_quality_score`
-- in …000400 names the function without its arguments, which an overload would make ambiguous.
-- The eleven-argument form (callers that know no interest signal, e.g. track_messages for a new
-- message) is the same definition without a signal, so there is one score, not two.
create or replace function public.outcome_quality_score(
  p_bounced boolean,
  p_spam_reported boolean,
  p_unsubscribed boolean,
  p_delivered boolean,
  p_opened boolean,
  p_clicked boolean,
  p_replied boolean,
  p_reply_sentiment_score numeric,
  p_reply_sentiment_label text,
  p_meeting_booked boolean,
  p_deal_closed boolean
) returns numeric
language sql
immutable
parallel safe
as $$
  select public.outcome_quality_score_with_signal(
    p_bounced, p_spam_reported, p_unsubscribed, p_delivered, p_opened, p_clicked, p_replied,
    p_reply_sentiment_score, p_reply_sentiment_label, p_meeting_booked, p_deal_closed, null::text
  )
$$;

-- Same trigger function (no SET clause, see …000400_quality_score.sql), now passing the signal.
create or replace function public.outcome_labels_before_write()
returns trigger
language plpgsql
as $$
begin
  new.quality_score := public.outcome_quality_score_with_signal(
    new.bounced, new.spam_reported, new.unsubscribed, new.delivered, new.opened, new.clicked,
    new.replied, new.reply_sentiment_score, new.reply_sentiment_label, new.meeting_booked,
    new.deal_closed, new.interest_signal
  );
  if tg_op = 'UPDATE' then
    new.updated_at := pg_catalog.now();
  end if;
  return new;
end
$$;

-- Rows scored by the old rule: the update trigger recomputes them.
update public.outcome_labels set quality_score = quality_score
where replied and interest_signal is not null;
