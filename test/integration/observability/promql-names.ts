/**
 * The metric names and label names a PromQL expression refers to, found by a small tokenizer (not
 * a full parser: Prometheus itself checks the syntax). A query that groups `by (modle)` or matches
 * `{route=…}` on a metric without that label still parses and may still return data, so names are
 * checked against the metric definitions separately.
 */
export interface PromqlNames {
  readonly metrics: ReadonlySet<string>;
  readonly labels: ReadonlySet<string>;
}

type Token =
  | { kind: 'identifier'; text: string }
  | { kind: 'string'; text: string }
  | { kind: 'number'; text: string }
  | { kind: 'punctuation'; text: string };

/** Keywords that take a parenthesised list of label names. */
const labelListKeywords = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

/** Keywords and aggregation operators that are never metric names. */
const keywords = new Set([
  ...labelListKeywords,
  'and',
  'or',
  'unless',
  'atan2',
  'offset',
  'bool',
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
  'inf',
  'nan',
]);

export function namesInPromql(expr: string): PromqlNames {
  const tokens = tokenize(expr);
  const metrics = new Set<string>();
  const labels = new Set<string>();
  let index = 0;
  const next = () => tokens[index + 1];
  while (index < tokens.length) {
    const token = tokens[index] as Token;
    if (token.kind === 'punctuation' && token.text === '{') {
      index = readMatchers(tokens, index + 1, labels);
      continue;
    }
    if (token.kind === 'punctuation' && token.text === '[') {
      index = skipPast(tokens, index, ']');
      continue;
    }
    if (token.kind === 'identifier') {
      const following = next();
      const opensParenthesis = following?.kind === 'punctuation' && following.text === '(';
      if (labelListKeywords.has(token.text) && opensParenthesis) {
        index = readLabelList(tokens, index + 2, labels);
        continue;
      }
      if (!opensParenthesis && !keywords.has(token.text.toLowerCase())) {
        metrics.add(token.text);
      }
    }
    index += 1;
  }
  return { metrics, labels };
}

/** Label names used in a Grafana legend format such as `{{route}} · {{model_version}}`. */
export function labelsInLegend(legendFormat: string | undefined): string[] {
  return [...(legendFormat ?? '').matchAll(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g)].map(
    (match) => match[1] as string,
  );
}

/** `{label op "value", ...}` starting after the `{`; returns the index after the `}`. */
function readMatchers(tokens: readonly Token[], start: number, labels: Set<string>): number {
  let index = start;
  while (index < tokens.length) {
    const token = tokens[index] as Token;
    if (token.kind === 'punctuation' && token.text === '}') {
      return index + 1;
    }
    if (token.kind === 'identifier' && token.text !== '__name__') {
      labels.add(token.text);
    }
    index += 1;
  }
  return index;
}

/** `(a, b)` starting after the `(`; returns the index after the `)`. */
function readLabelList(tokens: readonly Token[], start: number, labels: Set<string>): number {
  let index = start;
  while (index < tokens.length) {
    const token = tokens[index] as Token;
    if (token.kind === 'punctuation' && token.text === ')') {
      return index + 1;
    }
    if (token.kind === 'identifier') {
      labels.add(token.text);
    }
    index += 1;
  }
  return index;
}

function skipPast(tokens: readonly Token[], start: number, closing: string): number {
  let index = start;
  while (index < tokens.length) {
    const token = tokens[index] as Token;
    if (token.kind === 'punctuation' && token.text === closing) {
      return index + 1;
    }
    index += 1;
  }
  return index;
}

function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < expr.length) {
    const character = expr[index] as string;
    if (/\s/.test(character)) {
      index += 1;
    } else if (character === '#') {
      const end = expr.indexOf('\n', index);
      index = end === -1 ? expr.length : end;
    } else if (character === '"' || character === "'" || character === '`') {
      let end = index + 1;
      while (end < expr.length && expr[end] !== character) {
        end += expr[end] === '\\' && character !== '`' ? 2 : 1;
      }
      tokens.push({ kind: 'string', text: expr.slice(index + 1, end) });
      index = end + 1;
    } else if (/[0-9.]/.test(character)) {
      // Numbers and durations (0.95, 5m, 1h30m, 1e3, 0x1F) in one token.
      const match = /^[0-9.][0-9a-zA-Z.]*/.exec(expr.slice(index)) as RegExpExecArray;
      tokens.push({ kind: 'number', text: match[0] });
      index += match[0].length;
    } else if (/[a-zA-Z_:]/.test(character)) {
      const match = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(expr.slice(index)) as RegExpExecArray;
      tokens.push({ kind: 'identifier', text: match[0] });
      index += match[0].length;
    } else {
      const twoCharacters = expr.slice(index, index + 2);
      const text = ['!=', '=~', '!~', '==', '<=', '>='].includes(twoCharacters)
        ? twoCharacters
        : character;
      tokens.push({ kind: 'punctuation', text });
      index += text.length;
    }
  }
  return tokens;
}
