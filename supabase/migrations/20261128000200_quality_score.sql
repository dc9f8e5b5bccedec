-- Quality score: the one definition of how good a tracked message turned out, in [0, 1].
--
-- The score is the weight of the furthest stage the message reached:
--   bounced, spam_reported or unsubscribed  -> 0     (a negative outcome wipes out the rest)
--   deal_closed                              -> 1.0
--   meeting_booked                           -> 0.9
--   replied                                  -> 0.5 + 0.3 x sentiment, and at least 0.6 when the
--                                              reply is labelled positive
--   clicked                                  -> 0.4
--   opened                                   -> 0.3
--   delivered                                -> 0.2
--   sent (the row exists)                    -> 0.1
-- sentiment = reply_sentiment_score when known, else the label (positive 1, neutral 0.5,
-- negative 0), else 0: a reply whose sentiment is not known yet scores 0.5 and is not
-- training-ready at the default threshold (0.6) until it has been classified.
--
-- A BEFORE INSERT OR UPDATE trigger keeps outcome_labels.quality_score current, so every writer
-- (tracking buffer, tracking API, webhooks, SQL by hand) gets the same score.

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
set search_path = ''
as $$
  select case
    when coalesce(p_bounced, false) or coalesce(p_spam_reported, false)
      or coalesce(p_unsubscribed, false) then 0.0
    when coalesce(p_deal_closed, false) then 1.0
    when coalesce(p_meeting_booked, false) then 0.9
    when coalesce(p_replied, false) then round(greatest(
      0.5 + 0.3 * least(1.0, greatest(0.0, coalesce(
        p_reply_sentiment_score,
        case p_reply_sentiment_label
          when 'positive' then 1.0
          when 'neutral' then 0.5
          when 'negative' then 0.0
        end,
        0.0
      ))),
      case when p_reply_sentiment_label = 'positive' then 0.6 else 0.0 end
    ), 4)
    when coalesce(p_clicked, false) then 0.4
    when coalesce(p_opened, false) then 0.3
    when coalesce(p_delivered, false) then 0.2
    else 0.1
  end
$$;

comment on function public.outcome_quality_score(
  boolean, boolean, boolean, boolean, boolean, boolean, boolean, numeric, text, boolean, boolean
) is 'Quality of a tracked message in [0,1] from the furthest stage reached; see docs/data-model.md.';

create or replace function public.outcome_labels_before_write()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.quality_score := public.outcome_quality_score(
    new.bounced, new.spam_reported, new.unsubscribed, new.delivered, new.opened, new.clicked,
    new.replied, new.reply_sentiment_score, new.reply_sentiment_label, new.meeting_booked,
    new.deal_closed
  );
  if tg_op = 'UPDATE' then
    new.updated_at := now();
  end if;
  return new;
end
$$;

drop trigger if exists outcome_labels_quality_score on public.outcome_labels;
create trigger outcome_labels_quality_score
  before insert or update on public.outcome_labels
  for each row execute function public.outcome_labels_before_write();

-- Rows written before this migration get their score now (the trigger recomputes it).
update public.outcome_labels set quality_score = null where quality_score is null;
