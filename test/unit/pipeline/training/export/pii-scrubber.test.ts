import { describe, expect, it } from 'vitest';
import { createPiiScrubber, scrubUrl } from '../../../../../src/pipeline/training/export/index.ts';

const lead = {
  first_name: 'Dana',
  last_name: "O'Brien",
  full_name: "Dana O'Brien",
  company: 'Acme Robotics Inc.',
  email: 'dana.obrien@acmerobotics.com',
  phone: '+1 (415) 555-0132',
  title: 'VP of Operations',
};

describe('PII scrubber', () => {
  const scrub = createPiiScrubber(lead);

  it('replaces the lead’s own values with placeholders: names, possessives, uppercase, full name first', () => {
    expect(
      scrub("Hi Dana, DANA's team loved it. Dana O’Brien, VP of Operations, signed off."),
    ).toBe(
      "Hi {{first_name}}, {{first_name}}'s team loved it. {{full_name}}, {{title}}, signed off.",
    );
    expect(scrub('Mr. o’brien and Ms. OBrienne')).toBe('Mr. {{last_name}} and Ms. OBrienne');
  });

  it('replaces the company with and without its legal suffix, and the email with its local part', () => {
    expect(scrub('Acme Robotics Inc. and acme robotics both')).toBe(
      '{{company}} and {{company}} both',
    );
    expect(scrub('Write to DANA.OBRIEN@ACMEROBOTICS.COM or just dana.obrien on Slack')).toBe(
      'Write to {{email}} or just {{email_local_part}} on Slack',
    );
  });

  it('finds the lead’s phone in any written form', () => {
    expect(scrub('Call 415-555-0132, (415) 555 0132, +14155550132 or 415.555.0132.')).toBe(
      'Call {{phone}}, {{phone}}, {{phone}} or {{phone}}.',
    );
  });

  it('detects other emails and international phone numbers, and leaves dates and amounts alone', () => {
    expect(
      scrub('Cc sam.lee@partner.io and +44 20 7946 0958, +49 (0)30 1234567, 0033 1 42 68 53 00.'),
    ).toBe('Cc {{email}} and {{phone}}, {{phone}}, {{phone}}.');
    const plain =
      'On 2026-11-28 we saved $1,250,000 (up 12.5%) over 2024-2025; see slide 14 of 30.';
    expect(scrub(plain)).toBe(plain);
  });

  it('strips tracking-only query strings and replaces URLs that carry tokens', () => {
    expect(scrub('Pricing: https://example.org/pricing?utm_source=mail&utm_campaign=q4.')).toBe(
      'Pricing: https://example.org/pricing.',
    );
    expect(scrub('Book: https://u123.ct.sendgrid.net/ls/click?upn=aGVsbG8td29ybGQ2Nzg5')).toBe(
      'Book: {{url}}',
    );
    expect(scrubUrl('https://example.org/invite/Zx81kQp0aLmN72rT9vW3')).toBe('{{url}}');
    expect(scrubUrl('https://example.org/blog/how-to-write-cold-emails-2024')).toBe(
      'https://example.org/blog/how-to-write-cold-emails-2024',
    );
    expect(scrubUrl('https://example.org/a?id=42')).toBe('{{url}}');
  });

  it('never lets a planted canary through, in any field', () => {
    const canaries = {
      first_name: 'Zyxcanary',
      last_name: 'Qwcanarson',
      full_name: 'Zyxcanary Qwcanarson',
      company: 'Canarycorp Ltd',
      email: 'canary.mail@canary-domain.test',
      phone: '+61 2 9876 5432',
      title: 'Chief Canary Officer',
    };
    const canaryScrub = createPiiScrubber(canaries);
    const text = `${Object.values(canaries).join(' | ')} | ${Object.values(canaries).join(' ').toUpperCase()}`;
    const scrubbed = canaryScrub(text);
    for (const value of Object.values(canaries)) {
      expect(scrubbed.toLowerCase()).not.toContain(value.toLowerCase());
    }
    expect(scrubbed.toLowerCase()).not.toContain('canary');
  });

  it('without a lead record, still applies the detectors', () => {
    expect(createPiiScrubber(null)('Reach jo@x.dev or 212 555 0100')).toBe(
      'Reach {{email}} or {{phone}}',
    );
  });
});
