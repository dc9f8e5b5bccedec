import { describe, expect, it } from 'vitest';
import {
  findOutreachFacts,
  fnv1a,
  mulberry32,
  writeOutreachEmail,
} from '../../../../src/providers/sandbox/index.ts';

const campaignPrompt = [
  'Lead: Maria Lopez, VP Sales at Acme Corp (fintech, maria.lopez@acmecorp.example)',
  'Signal: raised a Series B.',
  'Pain: forecasts nobody trusts.',
  'Campaign: q4-reactivation. Goal: a 20-minute call.',
].join('\n');

describe('the one seeded hash and generator', () => {
  it('fnv1a gives the published FNV-1a 32-bit values', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });

  it('mulberry32 repeats its stream for a seed and stays in [0, 1)', () => {
    const first = mulberry32(42);
    const again = mulberry32(42);
    const draws = Array.from({ length: 1_000 }, () => first());
    expect(draws).toEqual(Array.from({ length: 1_000 }, () => again()));
    expect(draws.every((draw) => draw >= 0 && draw < 1)).toBe(true);
    expect(draws.slice(0, 3)).toEqual([
      0.6011037519201636, 0.44829055899754167, 0.8524657934904099,
    ]);
  });
});

describe('the outreach writer', () => {
  it('finds the lead, signal and pain a campaign prompt states', () => {
    expect(findOutreachFacts(campaignPrompt)).toMatchObject({
      firstName: 'Maria',
      company: 'Acme Corp',
      signal: 'raised a Series B',
      pain: 'forecasts nobody trusts',
    });
  });

  it('writes the generic email by default, and the shorter styles on the signal and pain', () => {
    const facts = findOutreachFacts(campaignPrompt);
    const generic = writeOutreachEmail(campaignPrompt, facts);
    expect(writeOutreachEmail(campaignPrompt, facts, 'generic')).toBe(generic);
    expect(generic).toMatch(/^Subject: .+\n\nHi Maria,\n\n/);

    const concise = writeOutreachEmail(campaignPrompt, facts, 'concise');
    expect(concise).toMatch(/^Subject: Acme Corp and forecasts nobody trusts\n\nMaria, /);
    expect(concise).toContain('saw that Acme Corp raised a Series B.');
    const question = writeOutreachEmail(campaignPrompt, facts, 'question');
    expect(question).toMatch(/^Subject: Forecasts nobody trusts\?\n\nHi Maria, quick one: /);
    expect(question).toContain('now that Acme Corp raised a Series B, is forecasts nobody trusts');

    for (const text of [concise, question]) {
      expect(text.length).toBeLessThan(generic.length);
      expect(text.endsWith('\n\nAlex')).toBe(true);
    }
    expect(writeOutreachEmail(campaignPrompt, facts, 'question')).toBe(question);
  });

  it('fills what the prompt does not say with neutral words', () => {
    const text = writeOutreachEmail('no facts here', findOutreachFacts('no facts here'), 'concise');
    expect(text).toContain('there, saw that your company is growing fast.');
    expect(text).toContain('too much manual work');
  });
});
