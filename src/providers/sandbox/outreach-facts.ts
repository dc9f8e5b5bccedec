/**
 * What an outreach prompt says about its lead, found the way a human would spot it: names, company,
 * role and sender as labels (`Name:`, `company_name=`) or phrases (`email to Sam`, `at Globex`)
 * state them, and the signal and pain a campaign prompt gives (`Signal:`, `Pain:`).
 */
export interface OutreachFacts {
  readonly firstName: string | undefined;
  readonly company: string | undefined;
  readonly role: string | undefined;
  readonly sender: string | undefined;
  /** What just happened at the company (`Signal: raised a Series B`). */
  readonly signal?: string | undefined;
  /** The problem the email speaks to (`Pain: forecasts nobody trusts`). */
  readonly pain?: string | undefined;
}

/** `(?:word|…)` matching the words in any case (`[nN][aA]…`), so `Name:` and `name:` both count. */
function anyCaseWords(...words: string[]): string {
  const caseless = (word: string) =>
    word.replace(/[a-z]/g, (letter) => `[${letter}${letter.toUpperCase()}]`);
  return `(?:${words.map(caseless).join('|')})`;
}
const label = (...words: string[]) => String.raw`\b${anyCaseWords(...words)}\s*[:=]\s*["']?`;
/** A capitalized word: names are captured only when written like names. */
const nameWord = String.raw`([A-Z][\p{L}'’-]+)`;
/** Up to four capitalized words; a full stop ends the name (`Company: Acme Corp. Title: …`). */
const companyWords = String.raw`([\p{Lu}0-9][\p{L}0-9&'’-]*(?:[ ][\p{Lu}0-9&][\p{L}0-9&'’-]*){0,3})`;
/** The rest of the sentence. */
const phrase = String.raw`([^\n.]+)`;

const namePatterns = [
  new RegExp(
    label('first name', 'first_name', 'name', 'lead', 'prospect', 'contact', 'recipient') +
      nameWord,
    'u',
  ),
  new RegExp(
    String.raw`\b${anyCaseWords('email', 'message', 'note', 'write', 'reach out', 'outreach')}\s+(?:to|for)\s+${nameWord}`,
    'u',
  ),
  new RegExp(String.raw`\b${anyCaseWords('hi', 'hello', 'dear')}\s+${nameWord}`, 'u'),
];
const companyPatterns = [
  new RegExp(
    label(
      'company',
      'company name',
      'company_name',
      'organization',
      'organisation',
      'account',
      'employer',
    ) + companyWords,
    'u',
  ),
  /\b(?:at|from|with)\s+([\p{Lu}][\p{L}0-9&'’-]+(?:[ ](?:[\p{Lu}][\p{L}0-9&'’-]*|Inc\.?|LLC|Ltd\.?|GmbH))*)/u,
];
const rolePattern = /\b(?:title|role|position|job[ _]title)\s*[:=]\s*["']?([^\n,;."']{2,60})/iu;
const senderPattern = new RegExp(
  String.raw`\b(?:${anyCaseWords('sender', 'sender name', 'sender_name')}\s*[:=]|${anyCaseWords('my name is', 'signed as', 'sign off as', 'sign as')})\s*["']?${nameWord}`,
  'u',
);
const signalPattern = new RegExp(label('signal', 'trigger') + phrase, 'u');
const painPattern = new RegExp(label('pain', 'pain point', 'challenge') + phrase, 'u');
const notNames = new Set(['The', 'This', 'Our', 'We', 'I', 'A', 'An', 'Please', 'You', 'Your']);

/** Names, company, role, sender, signal and pain as a human would spot them in the prompt. */
export function findOutreachFacts(promptText: string): OutreachFacts {
  const firstMatch = (patterns: readonly RegExp[]) => {
    for (const pattern of patterns) {
      const value = pattern.exec(promptText)?.[1]?.trim();
      if (value !== undefined && value.length > 0 && !notNames.has(value)) {
        return value;
      }
    }
    return undefined;
  };
  return {
    firstName: firstMatch(namePatterns),
    company: firstMatch(companyPatterns),
    role: rolePattern.exec(promptText)?.[1]?.trim(),
    sender: senderPattern.exec(promptText)?.[1]?.trim(),
    signal: signalPattern.exec(promptText)?.[1]?.trim(),
    pain: painPattern.exec(promptText)?.[1]?.trim(),
  };
}
