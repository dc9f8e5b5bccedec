import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createPiiScrubber } from '../../../../../src/pipeline/training/export/index.ts';
import {
  loadLabelledMessages,
  measureNameScrubber,
} from '../../../../fixtures/outreach-names/measure-name-scrubber.ts';

/**
 * Issue 16, item 7: names reached the training data unless the client sent `metadata.lead_*`.
 * The scrubber now finds person and company names itself; measured here on the labelled set of
 * test/fixtures/outreach-names (320 messages), whose figures docs/training.md states.
 */
describe('names are scrubbed without being told', () => {
  it('the README example exports without "Dana" and "Initech"', () => {
    const scrub = createPiiScrubber(null);
    const prompt = scrub('Write a short cold email to Dana at Initech');
    const reply = scrub(
      "Hi Dana,\n\nI noticed Initech's team is growing fast. Initech could cut onboarding time in half.\n\nBest,\nAlex",
    );
    expect(prompt).toBe('Write a short cold email to {{first_name}} at {{company}}');
    expect(reply).toBe(
      "Hi {{first_name}},\n\nI noticed {{company}}'s team is growing fast. {{company}} could cut onboarding time in half.\n\nBest,\n{{sender_name}}",
    );
  });

  it('booking and profile links are one {{url}} without a lead record', () => {
    expect(
      createPiiScrubber(null)(
        'Grab a time: https://calendly.com/sam-lee/15min or linkedin.com/in/samlee.',
      ),
    ).toBe('Grab a time: {{url}} or {{url}}.');
  });

  const figures = measureNameScrubber(loadLabelledMessages());

  it('on the labelled set: at least 300 messages, names and companies ≥ 98 %', () => {
    expect(figures.messages).toBeGreaterThanOrEqual(300);
    expect(figures.recall.person.recall, figures.missed.join('\n')).toBeGreaterThanOrEqual(0.98);
    expect(figures.recall.company.recall, figures.missed.join('\n')).toBeGreaterThanOrEqual(0.98);
  });

  it('on the labelled set: every email, phone and URL', () => {
    for (const type of ['email', 'phone', 'url'] as const) {
      expect(figures.recall[type].total).toBeGreaterThan(50);
      expect(figures.recall[type].recall, figures.missed.join('\n')).toBe(1);
    }
  });

  it('docs/training.md states the figures measured here', () => {
    const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
    const doc = readFileSync('docs/training.md', 'utf8');
    const row = (name: string, count: { total: number; caught: number; recall: number }) =>
      `| ${name} | ${count.total} | ${count.caught} | ${percent(count.recall)} |`;
    expect(doc).toContain(row('person names', figures.recall.person));
    expect(doc).toContain(row('company names', figures.recall.company));
    expect(doc).toContain(
      `${figures.nonPiiWordsReplaced} of ${figures.nonPiiWords} non-PII words (${percent(figures.falsePositiveRate)})`,
    );
  });
});
