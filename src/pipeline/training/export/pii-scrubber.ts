/**
 * PII scrubbing for training data (webhooks-and-security.md §8). Order matters:
 *
 *   1. Whole tokens first: URLs with tracking tokens (while their query strings are intact), then
 *      every email address (the lead's own and any other), then phone numbers (the lead's in any
 *      written form, and anything phone-shaped), then URLs and bare domains that carry one of the
 *      lead's values ("https://calendly.com/dana-obrien", "acme.com" for Acme) — each becomes one
 *      placeholder (`{{url}}`, `{{email}}`, `{{phone}}`, `{{website}}` for the lead's own site).
 *   2. Then the lead's own values (we hold the record each message was written from) become
 *      template placeholders — NFKC-normalized, case-insensitive, whole words (so possessives like
 *      "Dana's" keep their "'s"), longest value first — never inside a placeholder.
 *
 * The other way round, names inside tokens were replaced first and broke them:
 * `jane39@acme.com` became `jane39@{{company}}.com` and the email detector no longer saw an email.
 * The result reads like the template a rep would write: "Hi {{first_name}}, …".
 *
 * Values are found by plain substring search in a case- and space-folded copy of the text, not by
 * a regex per value: a pattern would be compiled for every row, which measured 5–10× slower.
 */
import { createNameScrubber } from './name-scrubber.ts';
import { scrubContactDetails, scrubUrls, urlPlaceholder } from './pii-detectors.ts';

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
  /** Letters and digits only: how the value shows inside a URL (`dana-obrien`, `acmerobotics`). */
  compact: string;
  placeholder: string;
}

/** Lead fields whose value is a link: a token equal to it keeps this placeholder. */
const linkFields: ReadonlyArray<readonly [string, string]> = [
  ['website', '{{website}}'],
  ['linkedin_url', '{{linkedin_url}}'],
];

/**
 * A URL (scheme or `www.`) or a bare domain with a common top-level domain, with its path: one
 * token. Bare domains need a known TLD so that "Dana.See you" or "Node.js" are not domains.
 */
const linkTokenPattern =
  /\b(?:https?:\/\/|www\.)[^\s<>"'`()[\]{}]+|(?<![\p{L}\p{N}_@./-])(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+(?:com|org|net|io|co|ai|dev|app|biz|info|tech|xyz|me|us|uk|de|fr|es|it|nl|ca|au|in|jp|ch|se|no|dk|fi|be|at|ie|nz|br|mx|sg|eu|cloud|online|site|store|shop|agency|digital|software|group|global|company|team|studio|design|media|email|page|link|live|pro)(?![\p{L}\p{N}_-])(?:\/[^\s<>"'`()[\]{}]*)?/giu;
/** Cheap test before the link pattern: a dot between a letter or digit and a letter. */
const linkHint = /[\p{L}\p{N}]\.\p{L}/u;
const trailingPunctuation = /[.,;:!?]+$/u;
/** Placeholders already in the text (`{{email}}`): never matched again by a lead value. */
const placeholderPattern = /\{\{[a-z_]+\}\}/g;
const compactOf = (folded: string) => folded.replace(/[^\p{L}\p{N}]/gu, '');
const linkKey = (link: string) =>
  fold(link.normalize('NFKC').trim())
    .replace(/^https?:\/\//, '')
    .replace(/^www\./, '')
    .replace(/\/+$/, '');

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
      values.push({ folded, compact: compactOf(folded), placeholder });
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
  // Placeholders in the text stay as they are (a company called "Email" must not hit `{{email}}`).
  const claimed: Array<{ start: number; end: number; placeholder: string }> = Array.from(
    text.matchAll(placeholderPattern),
    (match) => ({ start: match.index, end: match.index + match[0].length, placeholder: match[0] }),
  );
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

/** Whether a value occurs as a whole word in a folded text. */
function containsWord(folded: string, value: string): boolean {
  for (let start = folded.indexOf(value); start !== -1; start = folded.indexOf(value, start + 1)) {
    if (!isWordCharacter(folded[start - 1]) && !isWordCharacter(folded[start + value.length])) {
      return true;
    }
  }
  return false;
}

/**
 * URLs and bare domains that carry one of the lead's values become one placeholder: the lead's own
 * website or LinkedIn URL keeps its name, anything else is `{{url}}`. Values are compared without
 * punctuation ("dana-obrien", "acmerobotics.com"); values shorter than 3 characters only as words.
 */
function replaceLeadLinks(
  text: string,
  values: readonly KnownValue[],
  links: ReadonlyMap<string, string>,
): string {
  if (!linkHint.test(text)) {
    return text;
  }
  return text.replace(linkTokenPattern, (match) => {
    const punctuation = trailingPunctuation.exec(match)?.[0] ?? '';
    const token = match.slice(0, match.length - punctuation.length);
    const own = links.get(linkKey(token));
    if (own !== undefined) {
      return own + punctuation;
    }
    const folded = fold(token);
    const compact = compactOf(folded);
    const carries = values.some((value) =>
      value.compact.length >= 3
        ? compact.includes(value.compact)
        : containsWord(folded, value.folded),
    );
    return carries ? urlPlaceholder + punctuation : match;
  });
}

function leadLinks(lead: LeadData): Map<string, string> {
  const links = new Map<string, string>();
  for (const [field, placeholder] of linkFields) {
    const value = lead[field];
    if (typeof value === 'string' && linkKey(value).length >= 4) {
      links.set(linkKey(value), placeholder);
    }
  }
  return links;
}

/** A function that scrubs one text for this lead; build it once per row, apply to every message. */
export function createPiiScrubber(lead: LeadData | null | undefined): (text: string) => string {
  const values = lead ? knownValues(lead) : [];
  const phones = lead ? leadPhoneDigits(lead) : [];
  const links = lead ? leadLinks(lead) : new Map<string, string>();
  const names = createNameScrubber();
  return (text) => {
    // Whole tokens first: tracking URLs, then emails and phones, then links naming the lead.
    const tokens = scrubContactDetails(scrubUrls(text.normalize('NFKC')), phones);
    const known =
      values.length === 0 && links.size === 0
        ? tokens
        : replaceKnown(replaceLeadLinks(tokens, values, links), values);
    // Then names nobody told us about (the gateway's own messages carry no lead record).
    return names(known);
  };
}
