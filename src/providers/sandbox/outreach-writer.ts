/**
 * The sandbox's "model": deterministic outreach-style email text built from the prompt. A hash of the
 * messages seeds the choice of subject, opener, value line, proof, call to action and sign-off, and
 * names, companies and roles found in the prompt fill the blanks — so the same prompt always gives
 * the same email, different leads get different ones, and nothing needs a network or a GPU.
 */
export interface OutreachFacts {
  readonly firstName: string | undefined;
  readonly company: string | undefined;
  readonly role: string | undefined;
  readonly sender: string | undefined;
}

const subjects = [
  'Quick idea for {company}',
  '{first}, a thought on {company}’s pipeline',
  'Worth a look, {first}?',
  'Helping {company} book more meetings',
  'A question about outbound at {company}',
  'Re: growth plans at {company}',
];
const openers = [
  'I noticed {company} has been growing its team, and as {role} you are probably feeling the pressure on pipeline.',
  'I have been following what {company} is building and wanted to reach out directly.',
  'Congrats on the recent momentum at {company} — it caught my eye.',
  'Teams like {company} often tell us their outreach takes too much manual work.',
  'As {role} at {company}, you likely juggle more campaigns than there are hours in the week.',
  'I will keep this short, {first}, because I know your inbox is busy.',
];
const valueLines = [
  'We help revenue teams write personalised outreach that gets replies, without adding headcount.',
  'Our customers typically see reply rates climb within the first month of switching.',
  'We learn from every reply and meeting, so the messages you send keep getting better.',
  'We turn your best-performing emails into a playbook the whole team can use.',
  'We make it easy to test new angles safely and keep only what actually books meetings.',
  'We connect outreach to real outcomes — replies, meetings and closed deals — not just opens.',
];
const proofLines = [
  'A team similar to yours doubled its meetings booked in one quarter.',
  'One of our customers cut the time spent writing sequences by more than half.',
  'Most teams are live within a week, with no change to their CRM.',
  'Sales leaders tell us the biggest win is finally knowing which messages work.',
  'It fits into the tools your reps already use every day.',
];
const callsToAction = [
  'Would a 15-minute call next week be useful?',
  'Open to a quick chat on Tuesday or Wednesday?',
  'Is this worth a short conversation, {first}?',
  'If I sent over a two-minute video, would you take a look?',
  'Who would be the right person at {company} to talk to about this?',
  'Would it make sense to compare notes for 20 minutes?',
];
const signOffs = ['Best,', 'Thanks,', 'Cheers,', 'Kind regards,'];

export function writeOutreachEmail(promptText: string, facts: OutreachFacts): string {
  const random = mulberry32(fnv1a(promptText));
  const pick = (options: readonly string[]) =>
    options[Math.floor(random() * options.length)] ?? options[0] ?? '';
  const fill = (template: string) =>
    template
      .replaceAll('{first}', facts.firstName ?? 'there')
      .replaceAll('{company}', facts.company ?? 'your company')
      .replaceAll('{role}', facts.role ?? 'a leader');
  const subject = fill(pick(subjects));
  const greeting = `Hi ${facts.firstName ?? 'there'},`;
  const body = [fill(pick(openers)), fill(pick(valueLines))].join(' ');
  const proof = fill(pick(proofLines));
  const callToAction = fill(pick(callsToAction));
  const signOff = `${pick(signOffs)}\n${facts.sender ?? 'Alex'}`;
  return `Subject: ${subject}\n\n${greeting}\n\n${body}\n\n${proof}\n\n${callToAction}\n\n${signOff}`;
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
const notNames = new Set(['The', 'This', 'Our', 'We', 'I', 'A', 'An', 'Please', 'You', 'Your']);

/** Names, company, role and sender as a human would spot them in a typical outreach prompt. */
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
  };
}

/** FNV-1a, 32 bits: fast, dependency-free, stable across processes and machines. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A tiny seeded PRNG so every template choice derives from the one prompt hash. */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}
