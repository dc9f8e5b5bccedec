import { GatewayError } from '../errors/index.ts';
import { jsonHasUnstorableText, jsonTooDeep, maxJsonDepth, scanJsonText } from '../store/index.ts';

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
    throw new GatewayError(
      'json_too_deep',
      `The JSON body nests deeper than ${maxJsonDepth} levels.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new GatewayError('invalid_json', invalidMessage);
  }
  return { json, unstorableText: (scan & jsonHasUnstorableText) !== 0 };
}
