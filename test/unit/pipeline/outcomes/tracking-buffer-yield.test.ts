import { describe, expect, it } from 'vitest';
import { TrackingBuffer } from '../../../../src/pipeline/outcomes/tracking-buffer.ts';
import type { TrackedMessageRow } from '../../../../src/store/index.ts';

const row = (index: number): TrackedMessageRow => ({
  id: `row-${index}`,
  organization_id: 'org_a',
  message_body: `message ${index}`,
});

describe('TrackingBuffer on a store that writes on this thread', () => {
  it('lets the event loop run between two batches of a backlog', async () => {
    // Each write schedules an I/O-phase callback, as a request arriving meanwhile would be; the
    // next batch must only start after it ran.
    const ranBeforeBatch: boolean[] = [];
    let pending = false;
    const store = {
      async trackMessages(rows: readonly TrackedMessageRow[]) {
        ranBeforeBatch.push(!pending);
        pending = true;
        setImmediate(() => {
          pending = false;
        });
        return { inserted: rows.length, received: rows.length };
      },
    };
    const buffer = new TrackingBuffer({ store, batchSize: 2, flushIntervalMs: 60_000 });
    for (let index = 0; index < 7; index += 1) {
      buffer.push(row(index));
    }
    await buffer.flush();
    expect(ranBeforeBatch).toEqual([true, true, true, true]);
    expect(buffer.stats).toMatchObject({ buffered: 0, written: 7 });
  });
});
