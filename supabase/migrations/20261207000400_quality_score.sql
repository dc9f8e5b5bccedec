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
-- Triggers keep outcome_labels.quality_score current, so every writer (tracking buffer, tracking
-- API, webhooks, SQL by hand) gets the same score. The tracking write path runs for every
-- generated message, so it is kept lean (measured on PGlite: docs/performance.md):
--  * the score function carries no SET clause, so the planner can inline it;
--  * the BEFORE trigger function that applies it carries none either (a SET clause saves and
--    restores the setting on every row); every name in both is schema-qualified or from pg_catalog;
--  * track_messages gives a new message its score (no stage reached yet) itself, so the insert
--    trigger only runs for inserts that leave the score to it; every update runs it.

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
  select case
    when coalesce(p_bounced, false) or coalesce(p_spam_reported, false)
      or coalesce(p_unsubscribed, false) then 0.0
    when coalesce(p_deal_closed, false) then 1.0
    when coalesce(p_meeting_booked, false) then 0.9
    when coalesce(p_replied, false) then pg_catalog.round(greatest(
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

comment on function public.outcome_quality_score is
  'Quality of a tracked message in [0,1] from the furthest stage reached; see docs/data-model.md.';

create or replace function public.outcome_labels_before_write()
returns trigger
language plpgsql
as $$
begin
  new.quality_score := public.outcome_quality_score(
    new.bounced, new.spam_reported, new.unsubscribed, new.delivered, new.opened, new.clicked,
    new.replied, new.reply_sentiment_score, new.reply_sentiment_label, new.meeting_booked,
    new.deal_closed
  );
  if tg_op = 'UPDATE' then
    new.updated_at := pg_catalog.now();
  end if;
  return new;
end
$$;

drop trigger if exists outcome_labels_quality_score_insert on public.outcome_labels;
create trigger outcome_labels_quality_score_insert
  before insert on public.outcome_labels
  for each row when (new.quality_score is null)
  execute function
    public.outcome_labels_before_write();
drop trigger if exists outcome_labels_quality_score_update on public.outcome_labels;
create trigger outcome_labels_quality_score_update
  before update on public.outcome_labels
  for each row execute function
    public.outcome_labels_before_write();
