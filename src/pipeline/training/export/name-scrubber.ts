import { findNames, type NameKind } from './find-names.ts';

interface Learned {
  readonly value: string;
  readonly placeholder: string;
}

/**
 * Links that name a person whatever their path looks like: booking pages and profiles. Matched
 * with or without a scheme.
 */
const personalLinkPattern =
  /(?:https?:\/\/)?(?:www\.)?(?:calendly\.com|cal\.com|savvycal\.com|meetings\.hubspot\.com|app\.chilipiper\.com|linkedin\.com\/in|x\.com|twitter\.com)\/[^\s<>"'`()[\]{}]+/giu;
const trailingPunctuation = /[.,;:!?]+$/u;
const placeholderPattern = /\{\{[a-z_]+\}\}/g;
const wordCharacter = /[\p{L}\p{N}_]/u;

function placeholdersOf(value: string, kind: NameKind): Learned[] {
  const words = value.split(' ');
  if (kind === 'company') {
    return [{ value, placeholder: '{{company}}' }];
  }
  if (kind === 'sender') {
    return [value, ...(words.length > 1 ? words : [])].map((part) => ({
      value: part,
      placeholder: '{{sender_name}}',
    }));
  }
  if (words.length === 1) {
    return [{ value, placeholder: '{{first_name}}' }];
  }
  return [
    { value, placeholder: '{{full_name}}' },
    { value: words[0] as string, placeholder: '{{first_name}}' },
    { value: words.at(-1) as string, placeholder: '{{last_name}}' },
  ];
}

/** Occurrences that start with a capital (or are all capitals), as whole words. */
function replaceLearned(text: string, learned: readonly Learned[]): string {
  const claimed = Array.from(text.matchAll(placeholderPattern), (match) => ({
    start: match.index,
    end: match.index + match[0].length,
    placeholder: match[0],
  }));
  for (const { value, placeholder } of learned) {
    for (let start = text.indexOf(value); start !== -1; start = text.indexOf(value, start + 1)) {
      const end = start + value.length;
      const bounded =
        !wordCharacter.test(text[start - 1] ?? '') && !wordCharacter.test(text[end] ?? '');
      if (bounded && claimed.every((span) => end <= span.start || start >= span.end)) {
        claimed.push({ start, end, placeholder });
      }
    }
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

/**
 * Names the lead's record did not give: found in each text (`findNames`) and remembered for the
 * rest of the row, so a company named in the prompt ("… to Dana at Initech") is scrubbed from the
 * generated message too, wherever it stands. Booking and profile links become `{{url}}`.
 */
export function createNameScrubber(): (text: string) => string {
  const learned: Learned[] = [];
  const known = new Set<string>();
  return (text) => {
    const withoutLinks = text.replace(personalLinkPattern, (match) => {
      const punctuation = trailingPunctuation.exec(match)?.[0] ?? '';
      return `{{url}}${punctuation}`;
    });
    for (const name of findNames(withoutLinks)) {
      for (const entry of placeholdersOf(name.value, name.kind)) {
        if (entry.value.length >= 2 && !known.has(entry.value)) {
          known.add(entry.value);
          learned.push(entry, { value: entry.value.toUpperCase(), placeholder: entry.placeholder });
        }
      }
    }
    learned.sort((left, right) => right.value.length - left.value.length);
    return learned.length === 0 ? withoutLinks : replaceLearned(withoutLinks, learned);
  };
}
