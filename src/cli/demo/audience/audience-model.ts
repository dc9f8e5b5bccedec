/**
 * The simulated audience: how recipients react to a message, depending on the model version that
 * wrote it. The baseline's rates are in the range the seed describes; a trained version's are
 * clearly better with `--variant-lift better` (so the experiment can decide within the demo's
 * weeks) and exactly the baseline's with `--variant-lift none`. Reactions are planned at send
 * time with their own timestamps (delivery in minutes, replies within days, deals within weeks)
 * and delivered when the simulated clock reaches them.
 */
import type { Random } from '../random.ts';
import { dayMs, hourMs, minuteMs } from '../simulated-clock.ts';
import type { Lead } from './leads.ts';
import { type ReplyMood, replyTexts } from './reply-texts.ts';

export type VariantLift = 'better' | 'none';

export interface ResponseProfile {
  readonly bounce: number;
  readonly open: number;
  readonly clickGivenOpen: number;
  readonly spamReport: number;
  readonly unsubscribe: number;
  readonly reply: number;
  /** Mood of a reply (shares sum to 1). */
  readonly mood: Readonly<Record<ReplyMood, number>>;
  readonly meetingGivenPositive: number;
  readonly meetingGivenNeutral: number;
  readonly dealGivenMeeting: number;
}

/** Per message: reply 12 % (the seed's 12.3 %), meeting ≈ 4.4 %, close ≈ 3.3 % (seed: 3.1 %). */
const baselineProfile: ResponseProfile = {
  bounce: 0.02,
  open: 0.42,
  clickGivenOpen: 0.15,
  spamReport: 0.001,
  unsubscribe: 0.004,
  reply: 0.12,
  mood: { positive: 0.4, neutral: 0.35, negative: 0.25 },
  meetingGivenPositive: 0.7,
  meetingGivenNeutral: 0.25,
  dealGivenMeeting: 0.75,
};

/** Per message: reply 24 %, meeting ≈ 11.3 %, close ≈ 8.8 %; fewer negative replies. */
const improvedProfile: ResponseProfile = {
  bounce: 0.02,
  open: 0.5,
  clickGivenOpen: 0.2,
  spamReport: 0.001,
  unsubscribe: 0.003,
  reply: 0.24,
  mood: { positive: 0.5, neutral: 0.32, negative: 0.18 },
  meetingGivenPositive: 0.75,
  meetingGivenNeutral: 0.3,
  dealGivenMeeting: 0.78,
};

/**
 * The untrained base model reads the baseline profile; a trained version the lift's — for good:
 * a promoted version keeps the rates its model earns.
 */
export function profileFor(
  modelVersion: string,
  baseVersion: string,
  lift: VariantLift,
): ResponseProfile {
  return modelVersion === baseVersion || lift === 'none' ? baselineProfile : improvedProfile;
}

type SendGridEventName = 'delivered' | 'open' | 'click' | 'bounce' | 'spamreport' | 'unsubscribe';

export type AudienceEvent =
  | { kind: 'sendgrid'; at: number; outcomeId: string; event: SendGridEventName; lead: Lead }
  | { kind: 'reply'; at: number; outcomeId: string; text: string; mood: ReplyMood }
  | { kind: 'meeting'; at: number; outcomeId: string; meetingTime: number }
  | { kind: 'deal'; at: number; outcomeId: string; amount: number; dealId: string };

export interface SentMessage {
  readonly outcomeId: string;
  readonly lead: Lead;
  readonly sentAt: number;
  readonly modelVersion: string;
}

/** Everything this recipient will do about the message, with the time each thing happens. */
export function planReactions(
  message: SentMessage,
  profile: ResponseProfile,
  random: Random,
): AudienceEvent[] {
  const { outcomeId, lead, sentAt } = message;
  const events: AudienceEvent[] = [];
  const sendGrid = (event: SendGridEventName, at: number) =>
    events.push({ kind: 'sendgrid', at, outcomeId, event, lead });
  if (random.chance(profile.bounce)) {
    sendGrid('bounce', sentAt + random.between(1, 20) * minuteMs);
    return events;
  }
  sendGrid('delivered', sentAt + random.between(1, 10) * minuteMs);
  const opened = random.chance(profile.open);
  const openedAt = sentAt + random.between(0.5, 72) * hourMs;
  if (opened) {
    sendGrid('open', openedAt);
    if (random.chance(profile.clickGivenOpen)) {
      sendGrid('click', openedAt + random.between(1, 30) * minuteMs);
    }
    if (random.chance(profile.spamReport)) {
      sendGrid('spamreport', openedAt + random.between(1, 60) * minuteMs);
      return events;
    }
  }
  if (random.chance(profile.unsubscribe)) {
    sendGrid('unsubscribe', openedAt + random.between(1, 48) * hourMs);
    return events;
  }
  if (!random.chance(profile.reply)) {
    return events;
  }
  const mood = pickMood(profile, random);
  // Most replies come within the 7-day reply window; a few arrive later and are not counted.
  const repliedAt =
    sentAt + (random.chance(0.95) ? random.between(3 / 24, 6.5) : random.between(7.5, 10)) * dayMs;
  events.push({
    kind: 'reply',
    at: repliedAt,
    outcomeId,
    text: random.pick(replyTexts[mood]),
    mood,
  });
  const meetingChance =
    mood === 'positive'
      ? profile.meetingGivenPositive
      : mood === 'neutral'
        ? profile.meetingGivenNeutral
        : 0;
  if (!random.chance(meetingChance)) {
    return events;
  }
  const bookedAt = repliedAt + random.between(0.5, 3) * dayMs;
  const meetingTime = bookedAt + random.between(2, 6) * dayMs;
  events.push({ kind: 'meeting', at: bookedAt, outcomeId, meetingTime });
  if (random.chance(profile.dealGivenMeeting)) {
    events.push({
      kind: 'deal',
      at: meetingTime + random.between(1, 6) * dayMs,
      outcomeId,
      amount: Math.round(random.between(6_000, 30_000) / 100) * 100,
      dealId: `deal-${lead.id}`,
    });
  }
  return events;
}

function pickMood(profile: ResponseProfile, random: Random): ReplyMood {
  const draw = random.next();
  if (draw < profile.mood.positive) {
    return 'positive';
  }
  return draw < profile.mood.positive + profile.mood.neutral ? 'neutral' : 'negative';
}
