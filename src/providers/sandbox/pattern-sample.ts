/**
 * A string matching a simple regular expression (the `pattern` of a JSON Schema string): literals,
 * escapes (`\d`, `\w`, `\s`, escaped punctuation), `.`, character classes with ranges (negated
 * ones too), groups with alternation (the first branch is taken), anchors, and the quantifiers
 * `?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}` (the smallest count that is at least one, within bounds).
 * Back-references and lookarounds are out of scope: the caller checks the result against the
 * pattern and falls back when it does not match.
 */
export function samplePattern(pattern: string, pick: (count: number) => number): string {
  const parser = new PatternSampler(pattern, pick);
  return parser.alternatives();
}

const digits = '0123456789';
const wordChars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_';
const printable = `${wordChars} -.,:@/`;

class PatternSampler {
  private at = 0;

  constructor(
    private readonly source: string,
    private readonly pick: (count: number) => number,
  ) {}

  /** `a|b|c` up to the end or the closing `)`: the first branch, the others skipped. */
  alternatives(): string {
    const first = this.sequence();
    while (this.source[this.at] === '|') {
      this.at += 1;
      this.sequence();
    }
    return first;
  }

  private sequence(): string {
    let out = '';
    while (this.at < this.source.length) {
      const char = this.source[this.at];
      if (char === '|' || char === ')') {
        break;
      }
      const atom = this.atom();
      const count = this.quantifier();
      for (let index = 0; index < count; index++) {
        out += atom();
      }
    }
    return out;
  }

  /** One atom, as a function so each repetition may draw another character. */
  private atom(): () => string {
    const char = this.source[this.at] ?? '';
    this.at += 1;
    switch (char) {
      case '^':
      case '$':
        return () => '';
      case '.':
        return () => this.from(wordChars);
      case '\\':
        return this.escape();
      case '[':
        return this.characterClass();
      case '(': {
        if (this.source.startsWith('?:', this.at)) {
          this.at += 2;
        }
        const start = this.at;
        this.alternatives();
        const body = this.source.slice(start, this.at);
        this.at += 1;
        return () => new PatternSampler(body, this.pick).alternatives();
      }
      default:
        return () => char;
    }
  }

  private escape(): () => string {
    const char = this.source[this.at] ?? '';
    this.at += 1;
    switch (char) {
      case 'd':
        return () => this.from(digits);
      case 'w':
        return () => this.from(wordChars);
      case 's':
        return () => ' ';
      case 'b':
      case 'B':
        return () => '';
      default:
        return () => char;
    }
  }

  private characterClass(): () => string {
    const negated = this.source[this.at] === '^';
    if (negated) {
      this.at += 1;
    }
    let members = '';
    while (this.at < this.source.length && this.source[this.at] !== ']') {
      let char = this.source[this.at] ?? '';
      this.at += 1;
      if (char === '\\') {
        const escaped = this.source[this.at] ?? '';
        this.at += 1;
        members +=
          escaped === 'd' ? digits : escaped === 'w' ? wordChars : escaped === 's' ? ' ' : escaped;
        continue;
      }
      if (
        this.source[this.at] === '-' &&
        this.source[this.at + 1] !== ']' &&
        this.at + 1 < this.source.length
      ) {
        const end = this.source[this.at + 1] ?? char;
        this.at += 2;
        for (let code = char.charCodeAt(0); code <= end.charCodeAt(0); code++) {
          members += String.fromCharCode(code);
        }
        char = '';
      }
      members += char;
    }
    this.at += 1;
    const choices = negated
      ? [...printable].filter((candidate) => !members.includes(candidate)).join('')
      : members;
    return () => this.from(choices);
  }

  private quantifier(): number {
    const char = this.source[this.at];
    let count = 1;
    if (char === '?' || char === '*') {
      this.at += 1;
      count = char === '?' ? 0 : 1;
    } else if (char === '+') {
      this.at += 1;
    } else if (char === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.at));
      if (match !== null) {
        this.at += match[0].length;
        const min = Number(match[1]);
        const max = match[3] === undefined || match[3] === '' ? Infinity : Number(match[3]);
        count = Math.min(max, Math.max(min, 1));
      }
    }
    if (this.source[this.at] === '?') {
      this.at += 1;
    }
    return count;
  }

  private from(choices: string): string {
    return choices.length === 0 ? '' : (choices[this.pick(choices.length)] ?? '');
  }
}
