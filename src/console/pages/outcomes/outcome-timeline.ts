import type { OutcomeDetail } from '../../../store/index.ts';
import { formatInstant, formatScore, formatUsd } from '../../views/format.ts';

export interface OutcomeStage {
  readonly stage: string;
  readonly at: string | null;
  readonly detail: string | null;
}

function text(record: Readonly<Record<string, unknown>>, name: string): string | null {
  const value = record[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * The outcome's life, oldest first, from its own columns: sent, then every stage it reached with
 * the time the event said it happened (a stage set without a time is listed at the end).
 */
export function outcomeStages(detail: OutcomeDetail): OutcomeStage[] {
  const outcome = detail.outcome as OutcomeDetail['outcome'] & Readonly<Record<string, unknown>>;
  const stages: OutcomeStage[] = [{ stage: 'sent', at: outcome.created_at, detail: null }];
  const add = (
    reached: boolean,
    stage: string,
    timeColumn: string | null,
    about: string | null = null,
  ) => {
    if (reached) {
      stages.push({ stage, at: timeColumn ? text(outcome, timeColumn) : null, detail: about });
    }
  };
  add(outcome.delivered, 'delivered', 'delivered_at');
  add(outcome.opened, 'opened', 'opened_at');
  add(outcome.clicked, 'clicked', 'clicked_at');
  add(outcome.bounced, 'bounced', 'bounced_at');
  add(outcome.spam_reported, 'spam report', null);
  add(outcome.unsubscribed, 'unsubscribed', null);
  add(
    outcome.replied,
    'replied',
    'replied_at',
    [
      outcome.reply_sentiment_label
        ? `sentiment ${outcome.reply_sentiment_label} (${formatScore(outcome.reply_sentiment_score)})`
        : null,
      outcome.interest_signal ? `interest: ${outcome.interest_signal}` : null,
    ]
      .filter((part) => part !== null)
      .join(', ') || null,
  );
  add(
    outcome.meeting_booked,
    'meeting',
    'meeting_booked_at',
    outcome.meeting_time ? `for ${formatInstant(outcome.meeting_time)}` : null,
  );
  add(
    outcome.deal_closed,
    'deal',
    'deal_closed_at',
    outcome.deal_value === null ? null : `worth ${formatUsd(outcome.deal_value)}`,
  );
  const timed = stages.filter((stage) => stage.at !== null);
  const untimed = stages.filter((stage) => stage.at === null);
  timed.sort((left, right) => Date.parse(left.at ?? '') - Date.parse(right.at ?? ''));
  return [...timed, ...untimed];
}

export interface PromptMessage {
  readonly role: string;
  readonly content: string;
}

/** The prompt as chat messages; anything else stored there is shown as its JSON. */
export function promptMessages(prompt: unknown): PromptMessage[] | string | null {
  if (prompt === null || prompt === undefined) {
    return null;
  }
  if (Array.isArray(prompt)) {
    const messages = prompt.map((message): PromptMessage | null => {
      if (typeof message !== 'object' || message === null) {
        return null;
      }
      const { role, content } = message as { role?: unknown; content?: unknown };
      return {
        role: typeof role === 'string' ? role : 'message',
        content: typeof content === 'string' ? content : JSON.stringify(content ?? null, null, 2),
      };
    });
    if (messages.every((message) => message !== null)) {
      return messages as PromptMessage[];
    }
  }
  return JSON.stringify(prompt, null, 2);
}
