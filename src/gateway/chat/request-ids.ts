import { GatewayError } from '../../errors/index.ts';
import { isPrintableId, isStorableText, maxIdLength } from '../../store/index.ts';

/**
 * Bounds on what a chat request's metadata and `x-rekindle-*` headers may carry. Lead and campaign
 * ids end up in indexed columns (a 4 KB lead id once stopped all tracking: the btree row limit),
 * in headers and in logs; the other values are stored as free text in the tracked row.
 */
export const maxChannelLength = 64;
/** OpenAI's own limits on `metadata`: 16 pairs, keys up to 64 characters, values up to 512. */
const maxMetadataKeyLength = 64;
const maxMetadataValueLength = 512;

/** A lead or campaign id: non-empty, printable, at most 256 characters; else the request's 400. */
export function checkRequestId(value: string, param: string, maxLength = maxIdLength): string {
  if (value.length === 0 || value.length > maxLength) {
    throw new GatewayError(
      'invalid_value',
      `Invalid '${param}': must be 1 to ${maxLength} characters.`,
      { param: param },
    );
  }
  if (!isPrintableId(value)) {
    throw new GatewayError(
      'invalid_value',
      `Invalid '${param}': must be printable text (no control characters or unpaired surrogates).`,
      { param: param },
    );
  }
  return value;
}

/** Every metadata key and string value is bounded and storable (they reach the tracked row). */
export function checkMetadata(metadata: Readonly<Record<string, unknown>>): void {
  for (const [key, value] of Object.entries(metadata)) {
    if (key.length > maxMetadataKeyLength || !isStorableText(key)) {
      throw new GatewayError(
        'invalid_value',
        `Invalid 'metadata': keys must be at most ${maxMetadataKeyLength} characters of storable text.`,
        { param: 'metadata' },
      );
    }
    if (
      typeof value === 'string' &&
      (value.length > maxMetadataValueLength || !isStorableText(value))
    ) {
      throw new GatewayError(
        'invalid_value',
        `Invalid 'metadata.${key}': must be at most ${maxMetadataValueLength} characters, without NUL characters or unpaired surrogates.`,
        { param: `metadata.${key}` },
      );
    }
  }
}
