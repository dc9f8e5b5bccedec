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

  it('sizes writes that hold the thread to maxBlockingWriteMs, then keeps to it', async () => {
    const sizes: number[] = [];
    const store = {
      async trackMessages(rows: readonly TrackedMessageRow[]) {
        sizes.push(rows.length);
        // Half a millisecond of this thread per row, as an embedded database would spend.
        const until = performance.now() + rows.length * 0.5;
        while (performance.now() < until) {
          // busy
        }
        return { inserted: rows.length, received: rows.length };
      },
    };
    const buffer = new TrackingBuffer({
      store,
      batchSize: 100,
      flushIntervalMs: 60_000,
      maxBlockingWriteMs: 5,
    });
    for (let index = 0; index < 130; index += 1) {
      buffer.push(row(index));
    }
    await buffer.flush();
    expect(sizes[0]).toBe(100);
    const later = sizes.slice(1);
    expect(later.length).toBeGreaterThanOrEqual(3);
    for (const size of later) {
      expect(size).toBeGreaterThanOrEqual(1);
      expect(size).toBeLessThanOrEqual(10);
    }
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(130);
    expect(buffer.stats).toMatchObject({ buffered: 0, written: 130 });
  });

  it('keeps batch_size for a store that waits on I/O', async () => {
    const sizes: number[] = [];
    const store = {
      async trackMessages(rows: readonly TrackedMessageRow[]) {
        sizes.push(rows.length);
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { inserted: rows.length, received: rows.length };
      },
    };
    const buffer = new TrackingBuffer({
      store,
      batchSize: 100,
      flushIntervalMs: 60_000,
      maxBlockingWriteMs: 5,
    });
    for (let index = 0; index < 230; index += 1) {
      buffer.push(row(index));
    }
    await buffer.flush();
    expect(sizes).toEqual([100, 100, 30]);
  });
});
