/**
 * Generic PII detectors: URLs that carry tracking tokens (run first, while query strings are
 * whole), then — after the lead's own values were replaced — email addresses, phone numbers and
 * long digit runs. Regex heuristics (no phone-number
 * library is installed); they err towards replacing.
 */

const emailPlaceholder = '{{email}}';
const phonePlaceholder = '{{phone}}';
export const urlPlaceholder = '{{url}}';

const urlPattern = /\b(?:https?:\/\/|www\.)[^\s<>"'`()[\]{}]+/giu;
const emailPattern = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
/** A digit, then digits and phone separators, ending in a digit; optional `+` or `(area)` first. */
const phoneCandidatePattern =
  /(?<![\p{L}\p{N}_])(?:\+ ?)?(?:\(\d{1,5}\) ?)?\d(?:[\d \t.\-/()]*\d)?(?![\p{L}\p{N}_])/gu;

/** Query parameters that only track (click ids, campaign tags): stripping them loses nothing. */
const trackingParameter =
  /^(?:utm_.*|sg_.*|mc_.*|_hs.*|hsa_.*|mkt_tok|fbclid|gclid|gbraid|wbraid|dclid|msclkid|yclid|igshid|twclid|li_fat_id|ref|source)$/i;
const trailingPunctuation = /[.,;:!?]+$/u;

/** A path or value that looks like an opaque per-recipient token or id. */
function looksLikeToken(value: string): boolean {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
    return true;
  }
  // Twelve characters or more mixing letters and at least two digits: a click id or a
  // per-recipient slug (`9c03j1633238X7`), not a word of a readable path.
  return /^[A-Za-z0-9_=%]{12,}$/.test(value) && /\d.*\d/.test(value) && /[A-Za-z]/.test(value);
}

/**
 * A URL with only tracking parameters loses its query string; one that carries anything
 * recipient-specific (other parameters, a token in its path or fragment) becomes `{{url}}`.
 */
export function scrubUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.startsWith('www.') ? `https://${raw}` : raw);
  } catch {
    return urlPlaceholder;
  }
  const pathTokens = url.pathname.split('/').some((segment) => looksLikeToken(segment));
  const fragmentToken = url.hash.length > 1 && looksLikeToken(url.hash.slice(1));
  const names = [...url.searchParams.keys()];
  const onlyTracking = names.every((name) => trackingParameter.test(name));
  if (pathTokens || fragmentToken || !onlyTracking) {
    return urlPlaceholder;
  }
  if (names.length === 0 && !url.hash) {
    return raw;
  }
  const queryStart = raw.search(/[?#]/);
  return queryStart === -1 ? raw : raw.slice(0, queryStart);
}

/** Number shapes that are not contact data: dates, year ranges, grouped amounts, decimals. */
function isNotPhone(candidate: string): boolean {
  const trimmed = candidate.trim();
  return (
    /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$/.test(trimmed) ||
    /^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$/.test(trimmed) ||
    /^(?:19|20)\d{2} ?[-/] ?(?:19|20)\d{2}$/.test(trimmed) ||
    /^\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?$/.test(trimmed) ||
    /^\d+\.\d{1,2}$/.test(trimmed)
  );
}

/**
 * Seven digits or more in a phone-like shape is a phone number (or another long id): replace. A
 * number ending in one of `knownPhones` (the lead's own, as digits) is replaced whatever its shape.
 */
function scrubPhones(text: string, knownPhones: readonly string[] = []): string {
  return text.replace(phoneCandidatePattern, (candidate) => {
    const digits = candidate.replace(/\D/g, '');
    if (knownPhones.some((known) => digits.endsWith(known.slice(-Math.min(known.length, 10))))) {
      return phonePlaceholder;
    }
    return digits.length < 7 || isNotPhone(candidate) ? candidate : phonePlaceholder;
  });
}

/** Tracking URLs first: before known values are replaced, so query strings are still whole. */
export function scrubUrls(text: string): string {
  if (!text.includes('http') && !text.includes('www.') && !text.includes('WWW.')) {
    return text;
  }
  return text.replace(urlPattern, (match) => {
    const punctuation = trailingPunctuation.exec(match)?.[0] ?? '';
    return scrubUrl(match.slice(0, match.length - punctuation.length)) + punctuation;
  });
}

/** Emails and phone numbers the lead's record did not name. */
export function scrubContactDetails(text: string, knownPhones: readonly string[] = []): string {
  // The cheap `includes` spares the email pattern's scan of every word of a text without an @.
  const withoutEmails = text.includes('@') ? text.replace(emailPattern, emailPlaceholder) : text;
  return scrubPhones(withoutEmails, knownPhones);
}
