import {
  ambiguousFirstNames,
  companyEnds,
  firstNames,
  greetingWords,
  notCompanyAfterAt,
  notNames,
  places,
  signOffPattern,
} from './name-lists.ts';

export type NameKind = 'person' | 'sender' | 'company';

export interface FoundName {
  readonly value: string;
  readonly kind: NameKind;
}

interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Upper-case first letter, not an acronym, no digit. */
  readonly capitalised: boolean;
  /** First word of a sentence, line or list item: capitalised anyway. */
  readonly opensSentence: boolean;
}

const wordPattern = /[\p{L}\p{N}][\p{L}\p{N}'’&.-]*[\p{L}\p{N}]|[\p{L}\p{N}]/gu;
const particles = new Set(['van', 'de', 'da', 'von', 'del', 'la', 'le', 'di', 'dos', 'bin', 'al']);
const honorifics = new Set(['mr', 'mr.', 'ms', 'ms.', 'mrs', 'mrs.', 'dr', 'dr.', 'prof', 'prof.']);
const linkingWords = new Set(['from', 'with', 'join', 'joined', 'joining', 'into', 'inside']);
/** What follows a company that opens a sentence: "Initech just raised", "Globex is hiring". */
const subjectVerbs = new Set(
  `is was has had just recently came announced launched raised opened closed hired expanded
  acquired uses used seems looks made won keeps grew moved shipped released partnered signed
  posted appears caught popped`.split(/\s+/),
);

const lower = (token: Token | undefined) => (token?.text ?? '').toLowerCase().replace(/’/g, "'");
const bare = (text: string) => text.replace(/(?:['’]s|['’])$/u, '');

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(wordPattern)) {
    const raw = match[0].replace(/\.+$/, '');
    const start = match.index;
    const before = text.slice(0, start).replace(/[ \t"“'‘(*•–—-]+$/u, '');
    const last = before.at(-1);
    const word = bare(raw);
    const singular = word.replace(/s$/, '');
    const acronym = singular.length > 1 && singular === singular.toUpperCase();
    tokens.push({
      text: raw,
      start,
      end: start + raw.length,
      capitalised: /^\p{Lu}/u.test(word) && !acronym && !/\d/.test(word),
      opensSentence: last === undefined || /[.!?\n:;]/.test(last),
    });
  }
  return tokens;
}

/** Whether only spaces separate two tokens (a name does not run over commas or lines). */
const adjacent = (text: string, left: Token, right: Token) =>
  /^ +$/.test(text.slice(left.end, right.start)) && !/['’]s?$/.test(left.text);

const isNameWord = (token: Token | undefined) =>
  token?.capitalised === true &&
  !notNames.has(bare(lower(token))) &&
  !honorifics.has(lower(token)) &&
  !places.has(lower(token));

/** Capitalised words from `from` on, as one name (particles inside), at most four. */
function nameRun(text: string, tokens: readonly Token[], from: number): [number, number] | null {
  if (!isNameWord(tokens[from])) {
    return null;
  }
  let end = from;
  while (end - from < 3) {
    const next = tokens[end + 1];
    const after = tokens[end + 2];
    const current = tokens[end] as Token;
    const continues =
      isNameWord(next) || next?.text === '&' || companyEnds.has(lower(next).replace(/\.$/, ''));
    if (next && adjacent(text, current, next) && continues) {
      end += 1;
    } else if (next && after && particles.has(next.text) && adjacent(text, current, next)) {
      end += 2;
    } else {
      break;
    }
  }
  if (tokens[end]?.text === '&') {
    end -= 1;
  }
  return [from, end];
}

const runValue = (text: string, tokens: readonly Token[], [from, to]: [number, number]) =>
  bare(text.slice((tokens[from] as Token).start, (tokens[to] as Token).end));

const isFirstName = (token: Token | undefined) => firstNames.has(bare(lower(token)));

function kindOfRun(tokens: readonly Token[], [from, to]: [number, number]): NameKind {
  return companyEnds.has(lower(tokens[to])) || !isFirstName(tokens[from]) ? 'company' : 'person';
}

/** Greetings and sign-offs: the positions where outreach puts the two people's names. */
function positionalNames(text: string, tokens: readonly Token[], found: FoundName[]): void {
  const lines = text.split('\n');
  let offset = 0;
  let afterSignOff = false;
  for (const line of lines) {
    const lineTokens = tokens.filter((t) => t.start >= offset && t.end <= offset + line.length);
    const index = lineTokens.length > 0 ? tokens.indexOf(lineTokens[0] as Token) : -1;
    const trimmed = line.trim();
    if (index >= 0) {
      const two = `${lower(tokens[index])} ${lower(tokens[index + 1])}`;
      const greeting = greetingWords.test(two)
        ? 2
        : greetingWords.test(lower(tokens[index]))
          ? 1
          : 0;
      let at = index + greeting;
      if (greeting > 0 && honorifics.has(lower(tokens[at]))) {
        at += 1;
      }
      const run = greeting > 0 ? nameRun(text, tokens, at) : null;
      if (run) {
        found.push({ value: runValue(text, tokens, run), kind: 'person' });
      }
      if (afterSignOff || /^(?:[-–—]{1,2}|~)\s*\p{Lu}/u.test(trimmed)) {
        const signer = nameRun(text, tokens, index);
        if (signer) {
          found.push({ value: runValue(text, tokens, signer), kind: 'sender' });
        }
      }
      const inline = /^([\p{L} ]+?)[,!]\s+(\p{Lu}.*)$/u.exec(trimmed);
      if (inline?.[1] && signOffPattern.test(inline[1]) && inline[2]) {
        const first = lineTokens.find((t) => t.start >= offset + line.indexOf(inline[2] as string));
        const signer = first ? nameRun(text, tokens, tokens.indexOf(first)) : null;
        if (signer) {
          found.push({ value: runValue(text, tokens, signer), kind: 'sender' });
        }
      }
    }
    // "… Tuesday. — Sam": a dash and a name closing the line sign it too.
    const dashed = /\s[-–—]{1,2}\s*(\p{Lu}[\p{L}'’-]+(?: \p{Lu}[\p{L}'’-]+)?)$/u.exec(trimmed);
    if (dashed?.[1] && !notNames.has(dashed[1].toLowerCase())) {
      found.push({ value: dashed[1], kind: 'sender' });
    }
    if (trimmed !== '') {
      afterSignOff = signOffPattern.test(trimmed);
    }
    offset += line.length + 1;
  }
}

/** "at Initech", "from Globex", names from the list, "Initech's", "Acme Labs", other proper nouns. */
function contextualNames(text: string, tokens: readonly Token[], found: FoundName[]): void {
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index] as Token;
    const previous = lower(tokens[index - 1]);
    const run = nameRun(text, tokens, index);
    if (run === null) {
      continue;
    }
    const word = bare(lower(token));
    const ambiguous = ambiguousFirstNames.has(word) && run[1] === index;
    if (previous === 'at' || previous === '@') {
      if (!notCompanyAfterAt.has(word)) {
        found.push({ value: runValue(text, tokens, run), kind: kindOfRun(tokens, run) });
      }
    } else if (isFirstName(token) && !ambiguous) {
      found.push({ value: runValue(text, tokens, run), kind: 'person' });
    } else if (linkingWords.has(previous) || companyEnds.has(lower(tokens[run[1]]))) {
      found.push({ value: runValue(text, tokens, run), kind: 'company' });
    } else if (/['’]s?$/.test(token.text) && !ambiguous) {
      found.push({ value: bare(token.text), kind: 'company' });
    } else if (!token.opensSentence && !ambiguous) {
      found.push({ value: runValue(text, tokens, run), kind: kindOfRun(tokens, run) });
    } else if (run[1] > index || subjectVerbs.has(lower(tokens[run[1] + 1]))) {
      // Opening a sentence: two unknown capitalised words ("Northwind Traders …"), or one that
      // is the subject of what a company does ("Initech just raised …").
      found.push({ value: runValue(text, tokens, run), kind: kindOfRun(tokens, run) });
    }
    index = run[1];
  }
}

/**
 * Person and company names in outreach text, found without being told: the recipient after a
 * greeting, the sender after a sign-off, the company after "at" or "from", given names from a
 * list, possessives, names ending like companies ("Acme Labs"), and capitalised words inside a
 * sentence that are not known vocabulary. Errs towards finding (see docs/training.md for the
 * measured recall and false positives).
 */
export function findNames(text: string): FoundName[] {
  if (!/\p{Lu}/u.test(text)) {
    return [];
  }
  const tokens = tokenize(text);
  const found: FoundName[] = [];
  positionalNames(text, tokens, found);
  contextualNames(text, tokens, found);
  return found.filter((name) => name.value.length >= 2);
}
