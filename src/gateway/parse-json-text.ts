import { jsonHasUnstorableText, jsonTooDeep, maxJsonDepth, scanJsonText } from '../store/index.ts';
import { InvalidRequestError } from './errors.ts';

export interface ParsedJson {
  readonly json: unknown;
  /** Some string holds a NUL or an unpaired surrogate (found by the scan, before parsing). */
  readonly unstorableText: boolean;
}

/**
 * The one input boundary for JSON bodies: nesting is bounded before parsing (a 400, never the
 * RangeError a 100,000-level body gave further on, nor a JSON.stringify failure on the way to the
 * upstream), and the same linear pass says whether any string holds characters the store cannot
 * keep.
 */
export function parseJsonText(
  text: string,
  invalidMessage = 'The body is not valid JSON.',
): ParsedJson {
  const scan = scanJsonText(text);
  if (scan === jsonTooDeep) {
    throw new InvalidRequestError(
      `The JSON body nests deeper than ${maxJsonDepth} levels.`,
      null,
      'json_too_deep',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InvalidRequestError(invalidMessage, null, 'invalid_json');
  }
  return { json, unstorableText: (scan & jsonHasUnstorableText) !== 0 };
}
