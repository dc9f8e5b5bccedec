import { describe, expect, it } from 'vitest';
import {
  classifyReplyLocally,
  normalizeReply,
} from '../../../../../src/pipeline/outcomes/sentiment/index.ts';

const signalOf = (text: string) => classifyReplyLocally(text).interest_signal;

describe('classifyReplyLocally', () => {
  it('reads a negated interest cue as the opposite', () => {
    expect(signalOf("I'm interested, let's find a time.")).toBe('interested');
    expect(signalOf("I'm not interested.")).toBe('not_interested');
    expect(signalOf('We are really not looking for anything like this.')).toBe('not_interested');
  });

  it('lets an auto-reply win over the hand-off it contains, and an opt-out over everything', () => {
    expect(
      signalOf('Out of office until Monday. Please contact my colleague Jo in the meantime.'),
    ).toBe('out_of_office');
    expect(signalOf('Talk to our CTO if you must, but remove me from this list.')).toBe(
      'unsubscribe',
    );
  });

  it('ignores the quoted original message', () => {
    const reply = [
      'Stop',
      '',
      'On Tue, Nov 25, 2026 at 9:14 AM Sam <sam@rekindle.example> wrote:',
      "> Worth a 15-minute call next week? Let's set up a time.",
    ].join('\n');
    expect(normalizeReply(reply)).toBe('stop');
    expect(signalOf(reply)).toBe('unsubscribe');
    expect(normalizeReply('Sounds good\n> quoted line\nThursday works')).toBe(
      'sounds good thursday works',
    );
  });

  it('scores positive replies high, opt-outs low, and labels by the shared thresholds', () => {
    const interested = classifyReplyLocally('Yes, love it. Book a call for Friday at 10am.');
    const unsubscribe = classifyReplyLocally('Unsubscribe me, this is spam.');
    const ooo = classifyReplyLocally('Automatic reply: I am on annual leave.');
    expect(interested).toMatchObject({ sentiment_label: 'positive', source: 'local' });
    expect(interested.sentiment_score).toBeGreaterThanOrEqual(0.8);
    expect(unsubscribe).toMatchObject({
      sentiment_label: 'negative',
      interest_signal: 'unsubscribe',
    });
    expect(unsubscribe.sentiment_score).toBeLessThanOrEqual(0.1);
    expect(ooo).toMatchObject({ sentiment_score: 0.5, sentiment_label: 'neutral' });
  });

  it('falls back conservatively when nothing is recognized', () => {
    expect(signalOf('Received.')).toBe('not_interested');
    expect(signalOf('Hm?')).toBe('question');
  });
});
