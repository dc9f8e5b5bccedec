/**
 * One linear pass over a raw JSON text, before it is parsed: how deep it nests, and whether any of
 * its strings will hold a NUL or an unpaired surrogate once parsed. Both can only come from the
 * text itself: a raw NUL or control character inside a string is not JSON (JSON.parse refuses it),
 * and text decoded from UTF-8 holds no lone surrogates — so the only sources are `\u0000` and
 * `\uD800`–`\uDFFF` escapes, and this pass sees every one of them.
 *
 * Nesting is bounded before parsing because everything recursive after the parse (JSON.stringify
 * of the upstream body, zod, canonical hashing of a webhook event) overflows the stack on a few
 * thousand levels, long after the parse itself succeeded.
 *
 * Cost: string contents are skipped with `indexOf` (native, vectorized), so the pass touches only
 * structural characters and escapes one by one; no allocation.
 */

/** Returned when the text nests deeper than allowed. */
export const jsonTooDeep = -1;
/** Bit set when some string will contain NUL or an unpaired surrogate after parsing. */
export const jsonHasUnstorableText = 1;

/** The depth every JSON endpoint accepts: far above any real body, far below any stack limit. */
export const maxJsonDepth = 64;

const quote = 0x22;
const backslash = 0x5c;
const openBrace = 0x7b;
const openBracket = 0x5b;
const closeBrace = 0x7d;
const closeBracket = 0x5d;

/** `jsonTooDeep`, or flags (0 for an ordinary text). Malformed JSON is left to JSON.parse. */
export function scanJsonText(text: string, maxDepth: number = maxJsonDepth): number {
  const length = text.length;
  let depth = 0;
  let flags = 0;
  // The next backslash at or after the current position (length when there is none).
  let nextBackslash = -1;
  let index = 0;
  while (index < length) {
    const code = text.charCodeAt(index);
    if (code === quote) {
      index += 1;
      // Find the closing quote; escapes before it are looked at one by one.
      while (true) {
        const close = text.indexOf('"', index);
        if (close === -1) {
          return flags;
        }
        if (nextBackslash < index) {
          nextBackslash = text.indexOf('\\', index);
          if (nextBackslash === -1) {
            nextBackslash = length;
          }
        }
        if (nextBackslash > close) {
          index = close + 1;
          break;
        }
        index = nextBackslash + readEscape(text, nextBackslash);
        if (
          text.charCodeAt(nextBackslash + 1) === 0x75 &&
          isUnstorableEscape(text, nextBackslash)
        ) {
          flags |= jsonHasUnstorableText;
        }
      }
      continue;
    }
    if (code === openBrace || code === openBracket) {
      depth += 1;
      if (depth > maxDepth) {
        return jsonTooDeep;
      }
    } else if (code === closeBrace || code === closeBracket) {
      depth -= 1;
    }
    index += 1;
  }
  return flags;
}

/** Length of the escape at `at` (a backslash): `\uXXXX` is six characters, the others two. */
function readEscape(text: string, at: number): number {
  return text.charCodeAt(at + 1) === 0x75 ? 6 : 2;
}

/** Hex value of four characters at `at`, or -1 when they are not hex digits. */
function hex4(text: string, at: number): number {
  let value = 0;
  for (let offset = 0; offset < 4; offset += 1) {
    const code = text.charCodeAt(at + offset);
    const digit =
      code >= 0x30 && code <= 0x39
        ? code - 0x30
        : code >= 0x61 && code <= 0x66
          ? code - 0x57
          : code >= 0x41 && code <= 0x46
            ? code - 0x37
            : -1;
    if (digit < 0) {
      return -1;
    }
    value = value * 16 + digit;
  }
  return value;
}

/**
 * Whether the `\u` escape at `at` gives NUL or a surrogate without its partner: a high surrogate
 * must be followed at once by a `\u` low surrogate, a low one must follow a high one (the high
 * one's check already looked past it, so a low one seen here stands alone).
 */
function isUnstorableEscape(text: string, at: number): boolean {
  const unit = hex4(text, at + 2);
  if (unit === 0) {
    return true;
  }
  if (unit < 0xd800 || unit > 0xdfff) {
    return false;
  }
  if (unit >= 0xdc00) {
    return !followsHighSurrogate(text, at);
  }
  if (text.charCodeAt(at + 6) !== backslash || text.charCodeAt(at + 7) !== 0x75) {
    return true;
  }
  const low = hex4(text, at + 8);
  return low < 0xdc00 || low > 0xdfff;
}

/** Whether the six characters before `at` are a `\u` high-surrogate escape (itself not escaped). */
function followsHighSurrogate(text: string, at: number): boolean {
  if (at < 6 || text.charCodeAt(at - 6) !== backslash || text.charCodeAt(at - 5) !== 0x75) {
    return false;
  }
  const high = hex4(text, at - 4);
  if (high < 0xd800 || high > 0xdbff) {
    return false;
  }
  // `\\uD83D` is an escaped backslash followed by text, not an escape: count the backslashes.
  let backslashes = 0;
  for (let index = at - 6; index >= 0 && text.charCodeAt(index) === backslash; index -= 1) {
    backslashes += 1;
  }
  return backslashes % 2 === 1;
}
