import { describe, expect, it } from 'vitest';
import { createPiiScrubber } from '../../../../../src/pipeline/training/export/index.ts';

/**
 * Emails, phone numbers and links are replaced as whole tokens BEFORE the lead's names and company:
 * the other way round a name inside a token broke it (`jane39@{{company}}.com`) and the rest of
 * the token leaked. Each expectation is the whole scrubbed text.
 */
describe('PII scrubber: whole tokens before the lead’s own values', () => {
  it('an email on the company’s domain is one email, not a company', () => {
    const scrub = createPiiScrubber({ first_name: 'Jane', last_name: 'Roe', company: 'Acme' });
    expect(scrub('Reach me at jane39@acme.com.')).toBe('Reach me at {{email}}.');
  });

  it('an email made of the lead’s first and last name is one email', () => {
    const scrub = createPiiScrubber({
      first_name: 'Jane',
      last_name: 'Doe',
      full_name: 'Jane Doe',
      email: 'jane@doe.dev',
    });
    expect(scrub('Write to jane.doe@example.com today')).toBe('Write to {{email}} today');
  });

  it('an email starting with the first name is not split into name and email', () => {
    const scrub = createPiiScrubber({
      first_name: 'Dana',
      last_name: "O'Brien",
      email: 'dana.obrien@acmerobotics.com',
    });
    expect(scrub('Cc dana.smith@gmail.com')).toBe('Cc {{email}}');
  });

  it('a URL with the lead’s name in its path is one URL; their own profile keeps its name', () => {
    const scrub = createPiiScrubber({
      first_name: 'Dana',
      last_name: "O'Brien",
      linkedin_url: 'https://www.linkedin.com/in/danaobrien/',
    });
    expect(
      scrub(
        'Book https://calendly.com/dana-obrien/30min or see linkedin.com/in/danaobrien. Thanks, Dana',
      ),
    ).toBe('Book {{url}} or see {{linkedin_url}}. Thanks, {{first_name}}');
  });

  it('the company inside a domain makes the whole domain a placeholder, with or without a scheme', () => {
    const scrub = createPiiScrubber({ company: 'Acme Robotics Inc.', website: 'https://acme.io' });
    expect(
      scrub(
        'acme.io, acmerobotics.com/careers and https://www.acme-robotics.de/en at Acme Robotics',
      ),
    ).toBe('{{website}}, {{url}} and {{url}} at {{company}}');
  });

  it('uppercase emails, URLs and names are caught the same way', () => {
    const scrub = createPiiScrubber({ first_name: 'Jane', last_name: 'Doe', company: 'Acme' });
    expect(
      scrub(
        "JANE.DOE@EXAMPLE.COM, JANE39@ACME.COM, HTTPS://CALENDLY.COM/JANE-DOE and JANE'S team at ACME.",
      ),
    ).toBe("{{email}}, {{email}}, {{url}} and {{first_name}}'S team at {{company}}.");
  });

  it('phone numbers go first too, and placeholders are never rewritten by a lead value', () => {
    const scrub = createPiiScrubber({ first_name: 'Url', last_name: 'Phone', company: 'Email' });
    expect(scrub('Url Phone (Email): +44 20 7946 0958, https://example.org/a?id=42, x@y.io')).toBe(
      '{{first_name}} {{last_name}} ({{company}}): {{phone}}, {{url}}, {{email}}',
    );
  });

  it('leaves links and dotted words that carry nothing of the lead alone', () => {
    const scrub = createPiiScrubber({ first_name: 'Dana', company: 'Initech' });
    const plain =
      'Node.js guide: https://example.org/blog/how-to-write-cold-emails and docs.example.com. Dana.';
    expect(scrub(plain)).toBe(
      'Node.js guide: https://example.org/blog/how-to-write-cold-emails and docs.example.com. {{first_name}}.',
    );
  });
});
