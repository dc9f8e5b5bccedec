import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { assignmentBucket, bucketCount } from '../../../src/router/registry-snapshot.ts';

/** The assignment contract: sha256(route ‖ 0x00 ‖ key), first 4 bytes big-endian, scaled. */
function referenceBucket(route: string, key: string): number {
  const digest = createHash('sha256').update(route).update('\u0000').update(key).digest();
  return Math.floor((digest.readUInt32BE(0) / 2 ** 32) * bucketCount);
}

describe('assignmentBucket', () => {
  it('keeps every lead in the bucket it always had (pinned values)', () => {
    expect(assignmentBucket('outreach', 'lead-42')).toBe(8422);
    expect(assignmentBucket('outreach', 'lead-1')).toBe(363);
    expect(assignmentBucket('weighted', 'campaign-7')).toBe(138);
    expect(assignmentBucket('outreach', 'ä-ünïcode-🙂')).toBe(6087);
    expect(assignmentBucket('outreach', '')).toBe(6255);
  });

  it('matches the reference digest for 2,000 keys', () => {
    for (let index = 0; index < 2_000; index++) {
      const key = `lead-${index}-${'x'.repeat(index % 7)}`;
      expect(assignmentBucket('outreach', key)).toBe(referenceBucket('outreach', key));
    }
  });
});
