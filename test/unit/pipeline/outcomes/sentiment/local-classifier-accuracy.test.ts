import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  classifyReplyLocally,
  type InterestSignal,
  interestSignals,
  labelForScore,
} from '../../../../../src/pipeline/outcomes/sentiment/index.ts';

interface LabelledReply {
  id: string;
  reply_text: string;
  interest_signal: InterestSignal;
  sentiment_label: string;
}

function load(name: string): LabelledReply[] {
  const url = new URL(`../../../../fixtures/replies/${name}`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { replies: LabelledReply[] }).replies;
}

/** Runs the classifier over a set, prints its confusion table, returns interest-signal accuracy. */
function evaluate(name: string, replies: LabelledReply[]): number {
  const confusion = new Map<string, number>();
  let correct = 0;
  let sentimentCorrect = 0;
  for (const reply of replies) {
    const result = classifyReplyLocally(reply.reply_text);
    expect(result.sentiment_score).toBeGreaterThanOrEqual(0);
    expect(result.sentiment_score).toBeLessThanOrEqual(1);
    expect(result.sentiment_label).toBe(labelForScore(result.sentiment_score));
    const key = `${reply.interest_signal}|${result.interest_signal}`;
    confusion.set(key, (confusion.get(key) ?? 0) + 1);
    correct += result.interest_signal === reply.interest_signal ? 1 : 0;
    sentimentCorrect += result.sentiment_label === reply.sentiment_label ? 1 : 0;
  }
  const short = (signal: string) => signal.replace('not_interested', 'not_int').slice(0, 9);
  const lines = [
    `${name}: interest signal ${correct}/${replies.length} (${((100 * correct) / replies.length).toFixed(1)} %), sentiment label ${sentimentCorrect}/${replies.length}`,
    `${'expected \\ got'.padEnd(16)}${interestSignals.map((signal) => short(signal).padStart(10)).join('')}`,
    ...interestSignals.map(
      (expected) =>
        `${expected.padEnd(16)}${interestSignals
          .map((got) => String(confusion.get(`${expected}|${got}`) ?? 0).padStart(10))
          .join('')}`,
    ),
  ];
  console.log(lines.join('\n'));
  return correct / replies.length;
}

describe('local reply classifier on labelled sales replies', () => {
  it('gets the interest signal right on at least 80 % of the labelled set', () => {
    const replies = load('labelled-replies.json');
    expect(replies.length).toBeGreaterThanOrEqual(60);
    expect(new Set(replies.map((reply) => reply.interest_signal))).toEqual(
      new Set(interestSignals),
    );
    expect(evaluate('labelled-replies.json', replies)).toBeGreaterThanOrEqual(0.8);
  });

  it('reports the sets written after the rules were frozen (see docs/webhooks.md)', () => {
    // held-out and fresh were each used once to extend the rules after being measured (60 % and
    // 57 % at first sight); unseen-replies.json never was. The floor only guards against regressions.
    evaluate('held-out-replies.json', load('held-out-replies.json'));
    evaluate('fresh-replies.json', load('fresh-replies.json'));
    expect(evaluate('unseen-replies.json', load('unseen-replies.json'))).toBeGreaterThanOrEqual(
      0.55,
    );
  });
});
