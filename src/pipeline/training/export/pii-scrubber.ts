/**
 * PII scrubbing for training data (webhooks-and-security.md §8). First the lead's own values (we
 * hold the record each message was written from) become template placeholders — NFKC-normalized,
 * case-insensitive, whole words (so possessives like "Dana's" keep their "'s"), longest value
 * first — then generic detectors catch emails and phone numbers the record did not name. URLs with
 * tracking tokens are handled before both, while their query strings are still intact. The result
 * reads like the template a rep would write: "Hi {{first_name}}, …".
 *
 * Values are found by plain substring search in a case- and space-folded copy of the text, not by
 * a regex per value: a pattern would be compiled for every row, which measured 5–10× slower.
 */
import { scrubContactDetails, scrubUrls } from './pii-detectors.ts';

export type LeadData = Readonly<Record<string, unknown>>;

/** Lead fields scrubbed by value, with their placeholder (aliases share one placeholder). */
const leadFieldPlaceholders: ReadonlyArray<readonly [string, string]> = [
  ['full_name', '{{full_name}}'],
  ['name', '{{full_name}}'],
  ['first_name', '{{first_name}}'],
  ['last_name', '{{last_name}}'],
  ['company', '{{company}}'],
  ['company_name', '{{company}}'],
  ['email', '{{email}}'],
  ['title', '{{title}}'],
  ['job_title', '{{title}}'],
  ['linkedin_url', '{{linkedin_url}}'],
  ['website', '{{website}}'],
];
/** Phones are matched by their digits (any written form), see `scrubContactDetails`. */
const phoneFields = ['phone', 'phone_number', 'mobile'];

const legalSuffix =
  /[,\s]+(?:inc\.?|incorporated|llc|l\.l\.c\.|ltd\.?|limited|gmbh|corp\.?|corporation|co\.?|plc|ag|s\.a\.|b\.v\.|pty\.? ltd\.?)$/i;
const genericMailboxes = new Set(['info', 'sales', 'hello', 'contact', 'admin', 'support', 'team']);
const wordCharacter = /[\p{L}\p{N}_]/u;
const isWordCharacter = (character: string | undefined) =>
  character !== undefined && wordCharacter.test(character);

interface KnownValue {
  /** Folded like the text (lower case, one space for any whitespace, straight apostrophes). */
  folded: string;
  placeholder: string;
}

/**
 * Lower case, every whitespace character a space, curly apostrophes straight — one code unit for
 * one code unit, so positions in the folded copy are positions in the text. Characters whose lower
 * case has another length (İ) are kept as they are.
 */
function fold(text: string): string {
  const lower = text.toLowerCase();
  const sameLength =
    lower.length === text.length
      ? lower
      : Array.from(text, (character) => {
          const folded = character.toLowerCase();
          return folded.length === character.length ? folded : character;
        }).join('');
  return sameLength.replace(/\s/g, ' ').replace(/’/g, "'");
}

function knownValues(lead: LeadData): KnownValue[] {
  const values: KnownValue[] = [];
  const add = (raw: string, placeholder: string) => {
    const folded = fold(raw.normalize('NFKC').trim().replace(/\s+/g, ' '));
    if (folded.length >= 2 && !values.some((value) => value.folded === folded)) {
      values.push({ folded, placeholder });
    }
  };
  for (const [field, placeholder] of leadFieldPlaceholders) {
    const raw = lead[field];
    const value = typeof raw === 'string' ? raw.trim() : '';
    if (!value) {
      continue;
    }
    add(value, placeholder);
    if (placeholder === '{{company}}' && legalSuffix.test(value)) {
      add(value.replace(legalSuffix, ''), placeholder);
    }
    if (placeholder === '{{email}}') {
      const localPart = value.split('@')[0] ?? '';
      if (localPart.length >= 4 && !genericMailboxes.has(localPart.toLowerCase())) {
        add(localPart, '{{email_local_part}}');
      }
    }
    if (placeholder === '{{website}}') {
      add(
        value
          .replace(/^https?:\/\//i, '')
          .replace(/^www\./i, '')
          .replace(/\/+$/, ''),
        placeholder,
      );
    }
  }
  return values.sort((left, right) => right.folded.length - left.folded.length);
}

function leadPhoneDigits(lead: LeadData): string[] {
  return phoneFields
    .map((field) => lead[field])
    .map((value) =>
      typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '',
    )
    .map((value) => value.replace(/\D/g, ''))
    .filter((digits) => digits.length >= 7);
}

/**
 * Every whole-word occurrence of every value, longest value first; a span already claimed by a
 * longer value is not matched again by a shorter one ("Dana Smith" before "Dana").
 */
function replaceKnown(text: string, values: readonly KnownValue[]): string {
  const folded = fold(text);
  const claimed: Array<{ start: number; end: number; placeholder: string }> = [];
  for (const value of values) {
    let from = 0;
    for (;;) {
      const start = folded.indexOf(value.folded, from);
      if (start === -1) {
        break;
      }
      const end = start + value.folded.length;
      from = start + 1;
      const bounded = !isWordCharacter(text[start - 1]) && !isWordCharacter(text[end]);
      const free = claimed.every((span) => end <= span.start || start >= span.end);
      if (bounded && free) {
        claimed.push({ start, end, placeholder: value.placeholder });
        from = end;
      }
    }
  }
  if (claimed.length === 0) {
    return text;
  }
  claimed.sort((left, right) => left.start - right.start);
  let result = '';
  let position = 0;
  for (const span of claimed) {
    result += text.slice(position, span.start) + span.placeholder;
    position = span.end;
  }
  return result + text.slice(position);
}

/** A function that scrubs one text for this lead; build it once per row, apply to every message. */
export function createPiiScrubber(lead: LeadData | null | undefined): (text: string) => string {
  const values = lead ? knownValues(lead) : [];
  const phones = lead ? leadPhoneDigits(lead) : [];
  return (text) => {
    const normalized = scrubUrls(text.normalize('NFKC'));
    return scrubContactDetails(
      values.length > 0 ? replaceKnown(normalized, values) : normalized,
      phones,
    );
  };
}
