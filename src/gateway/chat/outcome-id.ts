import { randomUUID } from 'node:crypto';

/**
 * A UUIDv7 (RFC 9562) for a tracked message: 48-bit Unix milliseconds, version 7, 74 random bits.
 * Built from `randomUUID()` (Node's pooled entropy; its version nibble and the 12 hex digits in
 * front of it are replaced by 7 and the timestamp), about 1 µs against ~6 µs for `uuid`'s v7 on the
 * request path. Ids minted within one millisecond are unique but not ordered among themselves
 * (`uuid` adds a counter for that); `created_at` orders rows.
 */
export function newOutcomeId(nowMs: number = Date.now()): string {
  const random = randomUUID();
  const time = nowMs.toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15)}`;
}
