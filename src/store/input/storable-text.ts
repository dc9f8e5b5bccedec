/**
 * What PostgreSQL can store: `text` and `jsonb` refuse NUL (SQLSTATE 22021 / 22P05), and a
 * string with an unpaired UTF-16 surrogate has no UTF-8 form (jsonb refuses its `\uD800` escape;
 * text would silently get U+FFFD from the driver). Identifiers with such characters are refused at
 * the input boundary; free text (message content, replies, upstream answers, raw webhook
 * payloads) is kept with each such character replaced by U+FFFD, and the replacements counted.
 */

// Any NUL or surrogate; a match is then checked precisely (a surrogate pair is fine).
const suspect = /[\0\uD800-\uDFFF]/;

export const unstorableTextMessage = 'must not contain NUL characters or unpaired surrogates';

/** Whether `value` can be stored as is: no NUL, every surrogate paired. */
export function isStorableText(value: string): boolean {
  if (!suspect.test(value)) {
    return true;
  }
  return firstUnstorable(value, 0) === -1;
}

/** Index of the first NUL or unpaired surrogate at or after `from`, or -1. */
function firstUnstorable(value: string, from: number): number {
  const length = value.length;
  for (let index = from; index < length; index += 1) {
    const code = value.charCodeAt(index);
    if (code === 0) {
      return index;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      if (code <= 0xdbff) {
        const next = value.charCodeAt(index + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          index += 1;
          continue;
        }
      }
      return index;
    }
  }
  return -1;
}

/** Counts replaced characters across one request (or one row). */
export interface ReplacementCount {
  replaced: number;
}

/** `value` with every NUL and unpaired surrogate replaced by U+FFFD; `count` says how many. */
export function toStorableText(value: string, count: ReplacementCount): string {
  if (!suspect.test(value)) {
    return value;
  }
  let at = firstUnstorable(value, 0);
  if (at === -1) {
    return value;
  }
  let result = '';
  let start = 0;
  while (at !== -1) {
    result += `${value.slice(start, at)}\uFFFD`;
    count.replaced += 1;
    start = at + 1;
    at = firstUnstorable(value, start);
  }
  return result + value.slice(start);
}

/**
 * A JSON value (parsed, or about to be stored as jsonb) with every string — keys too — made
 * storable; the value itself when nothing needed replacing. Called only where a scan found such
 * characters (scanJsonText) or on values from outside the request (an upstream's answer).
 */
export function toStorableJson<T>(value: T, count: ReplacementCount): T {
  return storable(value, count) as T;
}

function storable(value: unknown, count: ReplacementCount): unknown {
  if (typeof value === 'string') {
    return toStorableText(value, count);
  }
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let index = 0; index < value.length; index += 1) {
      const item: unknown = value[index];
      const next = storable(item, count);
      if (next !== item && copy === null) {
        copy = value.slice(0, index);
      }
      copy?.push(next);
    }
    return copy ?? value;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  let changed = false;
  const fixed: Array<[string, unknown]> = [];
  for (const [key, item] of entries) {
    const nextKey = toStorableText(key, count);
    const next = storable(item, count);
    changed ||= nextKey !== key || next !== item;
    fixed.push([nextKey, next]);
  }
  return changed ? Object.fromEntries(fixed) : value;
}
