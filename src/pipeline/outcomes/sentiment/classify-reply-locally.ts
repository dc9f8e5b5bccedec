import { notInterestedCues, objectionCues, unsubscribeCues } from './decline-cues.ts';
import { interestCues, outOfOfficeCues, questionCues, referralCues } from './engagement-cues.ts';
import {
  type Cue,
  negativeWords,
  negators,
  positiveWords,
  proposesTime,
} from './sales-reply-lexicon.ts';
import {
  type InterestSignal,
  labelForScore,
  type SentimentAnalysis,
} from './sentiment-analysis.ts';

/**
 * The fast local classifier: cue scores per interest signal, then a sentiment score from a prior per
 * signal nudged by positive/negative words. Microseconds per reply, no network, deterministic.
 *
 * Precedence, from the most to the least unambiguous: an auto-reply is out of office whatever it says
 * ("contact Jamie while I'm away" is not a referral); an opt-out request wins over everything else it
 * contains; a hand-off to someone else is a referral; then objection, not interested, interested and
 * question compete on their scores (ties in that order: a reason to say no is an objection, and
 * "Tuesday at 2?" is interest, not a question).
 */
export function classifyReplyLocally(replyText: string): SentimentAnalysis {
  const text = normalizeReply(replyText);
  const signal = interestSignalOf(text);
  const score = sentimentScoreOf(text, signal);
  return {
    sentiment_score: score,
    sentiment_label: labelForScore(score),
    interest_signal: signal,
    source: 'local',
  };
}

/** Lower case, plain quotes, and without the quoted original message most mail clients append. */
export function normalizeReply(replyText: string): string {
  const lines: string[] = [];
  for (const line of replyText
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .split(/\r?\n/)) {
    const trimmed = line.trim();
    if (/^on .{3,200} wrote:$/i.test(trimmed) || /^-{2,}\s*original message/i.test(trimmed)) {
      break;
    }
    if (/^from:\s/i.test(trimmed) && lines.length > 0) {
      break;
    }
    if (!trimmed.startsWith('>')) {
      lines.push(trimmed);
    }
  }
  return lines.join(' ').replace(/\s+/g, ' ').trim().toLowerCase();
}

interface CueScore {
  score: number;
  /** Weight of negatable cues found negated ("not interested"): evidence for the opposite class. */
  negated: number;
}

function scoreCues(text: string, cues: readonly Cue[]): CueScore {
  let score = 0;
  let negated = 0;
  for (const cue of cues) {
    const match = cue.pattern.exec(text);
    if (match === null) {
      continue;
    }
    if (cue.negatable === true && isNegated(text, match.index)) {
      negated += cue.weight;
    } else {
      score += cue.weight;
    }
  }
  return { score, negated };
}

/** A negator among the three words before a match, within its sentence. */
function isNegated(text: string, index: number): boolean {
  const before = text.slice(0, index);
  const sentenceStart = Math.max(
    before.lastIndexOf('.'),
    before.lastIndexOf('!'),
    before.lastIndexOf('?'),
    before.lastIndexOf(','),
  );
  const window = before
    .slice(sentenceStart + 1)
    .trim()
    .split(/\s+/)
    .slice(-3)
    .join(' ');
  return negators.test(window);
}

function interestSignalOf(text: string): InterestSignal {
  if (scoreCues(text, outOfOfficeCues).score >= 2) {
    return 'out_of_office';
  }
  if (scoreCues(text, unsubscribeCues).score >= 2) {
    return 'unsubscribe';
  }
  if (scoreCues(text, referralCues).score >= 2.5) {
    return 'referral';
  }
  const interest = scoreCues(text, interestCues);
  const candidates: [InterestSignal, number][] = [
    ['objection', scoreCues(text, objectionCues).score],
    ['not_interested', scoreCues(text, notInterestedCues).score + interest.negated],
    ['interested', interest.score],
    ['question', scoreCues(text, questionCues).score + questionMarkWeight(text)],
  ];
  let best: [InterestSignal, number] = ['question', 0];
  for (const candidate of candidates) {
    // Strictly greater: on a tie the earlier signal in the list keeps the lead.
    if (candidate[1] > best[1]) {
      best = candidate;
    }
  }
  if (best[1] > 0) {
    return best[0];
  }
  // Nothing recognizable: a question if it asks one, interest only on clearly warm words, else the
  // conservative reading (claiming interest wrongly costs more than missing it).
  if (text.includes('?')) {
    return 'question';
  }
  return wordBalance(text) >= 2 ? 'interested' : 'not_interested';
}

function questionMarkWeight(text: string): number {
  if (!text.includes('?')) {
    return 0;
  }
  return proposesTime.test(text) ? 0.5 : 1.5;
}

/** Where each signal sits on the 0–1 scale before the words move it, and how far they may move it. */
const sentimentRanges: Record<InterestSignal, { prior: number; min: number; max: number }> = {
  interested: { prior: 0.8, min: 0.6, max: 1 },
  question: { prior: 0.55, min: 0.4, max: 0.75 },
  referral: { prior: 0.5, min: 0.4, max: 0.7 },
  out_of_office: { prior: 0.5, min: 0.5, max: 0.5 },
  objection: { prior: 0.35, min: 0.15, max: 0.5 },
  not_interested: { prior: 0.2, min: 0.05, max: 0.34 },
  unsubscribe: { prior: 0.05, min: 0, max: 0.1 },
};

function sentimentScoreOf(text: string, signal: InterestSignal): number {
  const range = sentimentRanges[signal];
  const score = range.prior + 0.05 * wordBalance(text);
  return Math.round(Math.min(range.max, Math.max(range.min, score)) * 100) / 100;
}

/** Positive minus negative words, a negated word counting for the other side. */
function wordBalance(text: string): number {
  let balance = 0;
  for (const match of text.matchAll(positiveWords)) {
    balance += isNegated(text, match.index) ? -1 : 1;
  }
  for (const match of text.matchAll(negativeWords)) {
    balance += isNegated(text, match.index) ? 1 : -1;
  }
  return balance;
}
