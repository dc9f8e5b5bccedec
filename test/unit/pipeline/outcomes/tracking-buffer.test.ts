import { describe, expect, it } from 'vitest';
import type { TrackedMessage, TrackingSink } from '../../../../src/gateway/gateway-dependencies.ts';
import { createMetrics, type Logger } from '../../../../src/metrics/index.ts';
import { TrackingBuffer } from '../../../../src/pipeline/outcomes/tracking-buffer.ts';
import type { TrackedMessageRow } from '../../../../src/store/index.ts';
import { StoreError } from '../../../../src/store/index.ts';

/** A store double that records every batch and fails on demand. */
function recordingStore(failures: Array<'connection' | null> = []) {
  const batches: string[][] = [];
  let calls = 0;
  return {
    batches,
    get calls() {
      return calls;
    },
    failAlways: false,
    async trackMessages(rows: readonly TrackedMessageRow[]) {
      calls += 1;
      const failure = failures.shift();
      if (failure || this.failAlways) {
        throw new StoreError('connection refused', { sqlState: '08006' });
      }
      const bad = rows.find((row) => row.organization_id === '');
      if (bad) {
        throw new StoreError('null value in column "organization_id"', { sqlState: '23502' });
      }
      batches.push(rows.map((row) => row.id));
      return { inserted: rows.length, received: rows.length };
    },
  };
}

function recordingLogger() {
  const lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  const logger: Logger = {
    debug: (message, fields) =>
      lines.push({ level: 'debug', message, ...(fields ? { fields } : {}) }),
    info: (message, fields) =>
      lines.push({ level: 'info', message, ...(fields ? { fields } : {}) }),
    warn: (message, fields) =>
      lines.push({ level: 'warn', message, ...(fields ? { fields } : {}) }),
    error: (message, fields) =>
      lines.push({ level: 'error', message, ...(fields ? { fields } : {}) }),
    child: () => logger,
  };
  return { logger, lines };
}

const row = (index: number, organizationId = 'org_a'): TrackedMessageRow => ({
  id: `row-${index}`,
  organization_id: organizationId,
  message_body: `message ${index}`,
});

async function metricValue(
  metrics: ReturnType<typeof createMetrics>,
  name: 'rekindle_tracking_dropped_total' | 'rekindle_tracking_buffer_size',
) {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  return metric?.values[0]?.value ?? 0;
}

const waitUntil = async (condition: () => boolean, timeoutMs = 2_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('timed out');
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('TrackingBuffer', () => {
  it('writes in batches of batch_size, in push order', async () => {
    const store = recordingStore();
    const buffer = new TrackingBuffer({ store, batchSize: 3, flushIntervalMs: 60_000 });
    for (let index = 0; index < 7; index += 1) {
      expect(buffer.push(row(index))).toBe(true);
    }
    expect(store.calls).toBe(0);
    await buffer.flush();
    expect(store.batches).toEqual([
      ['row-0', 'row-1', 'row-2'],
      ['row-3', 'row-4', 'row-5'],
      ['row-6'],
    ]);
    expect(buffer.stats).toMatchObject({ buffered: 0, written: 7, dropped: 0 });
  });

  it('flushes on its interval, and at once when a full batch is waiting', async () => {
    const store = recordingStore();
    const timed = new TrackingBuffer({ store, batchSize: 100, flushIntervalMs: 20 }).start();
    timed.push(row(1));
    await waitUntil(() => store.batches.length === 1);
    expect(store.batches[0]).toEqual(['row-1']);
    await timed.close();

    const eager = recordingStore();
    const buffer = new TrackingBuffer({
      store: eager,
      batchSize: 2,
      flushIntervalMs: 60_000,
    }).start();
    buffer.push(row(1));
    buffer.push(row(2));
    await waitUntil(() => eager.batches.length === 1);
    expect(eager.batches[0]).toEqual(['row-1', 'row-2']);
    await buffer.close();
  });

  it('retries a failed batch with backoff and loses no row', async () => {
    const store = recordingStore(['connection', 'connection']);
    const { logger, lines } = recordingLogger();
    const buffer = new TrackingBuffer({
      store,
      batchSize: 10,
      flushIntervalMs: 5,
      retryDelayMs: 10,
      logger,
    }).start();
    for (let index = 0; index < 5; index += 1) {
      buffer.push(row(index));
    }
    await waitUntil(() => store.batches.length > 0);
    for (let index = 5; index < 8; index += 1) {
      buffer.push(row(index));
    }
    await buffer.close();
    expect(store.batches.flat()).toEqual(Array.from({ length: 8 }, (_, index) => `row-${index}`));
    expect(buffer.stats).toMatchObject({ written: 8, dropped: 0, failedWrites: 2 });
    expect(lines.filter((line) => line.message.includes('retrying'))).toHaveLength(2);
  });

  it('counts and logs rows refused because the buffer is full', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const store = recordingStore();
    const { logger, lines } = recordingLogger();
    const buffer = new TrackingBuffer({ store, capacity: 3, batchSize: 10, metrics, logger });
    const accepted = [1, 2, 3, 4, 5].map((index) => buffer.push(row(index)));
    expect(accepted).toEqual([true, true, true, false, false]);
    expect(await metricValue(metrics, 'rekindle_tracking_dropped_total')).toBe(2);
    expect(await metricValue(metrics, 'rekindle_tracking_buffer_size')).toBe(3);
    expect(lines.some((line) => line.level === 'warn' && line.message.includes('full'))).toBe(true);
    await buffer.close();
    expect(store.batches.flat()).toEqual(['row-1', 'row-2', 'row-3']);
    expect(await metricValue(metrics, 'rekindle_tracking_buffer_size')).toBe(0);
  });

  it('close() drains everything that was buffered', async () => {
    const store = recordingStore();
    const buffer = new TrackingBuffer({ store, batchSize: 500, flushIntervalMs: 60_000 }).start();
    for (let index = 0; index < 1_200; index += 1) {
      buffer.push(row(index));
    }
    const stats = await buffer.close();
    expect(store.batches.map((batch) => batch.length)).toEqual([500, 500, 200]);
    expect(stats).toMatchObject({ buffered: 0, written: 1_200, dropped: 0 });
    expect(buffer.push(row(9_999))).toBe(false);
  });

  it('close() gives up at its deadline, counting what is left as dropped', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const store = recordingStore();
    store.failAlways = true;
    const { logger, lines } = recordingLogger();
    const buffer = new TrackingBuffer({ store, retryDelayMs: 10, metrics, logger });
    buffer.push(row(1));
    buffer.push(row(2));
    const stats = await buffer.close({ timeoutMs: 100 });
    expect(stats).toMatchObject({ buffered: 0, written: 0, dropped: 2 });
    expect(await metricValue(metrics, 'rekindle_tracking_dropped_total')).toBe(2);
    expect(lines.some((line) => line.level === 'error')).toBe(true);
  });

  it('isolates a row the store refuses for its data, writing the others', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const store = recordingStore();
    const buffer = new TrackingBuffer({ store, batchSize: 10, metrics });
    buffer.push(row(1));
    buffer.push(row(2, ''));
    buffer.push(row(3));
    await buffer.flush();
    expect(store.batches).toEqual([['row-1'], ['row-3']]);
    expect(buffer.stats).toMatchObject({ written: 2, dropped: 1, buffered: 0 });
    expect(await metricValue(metrics, 'rekindle_tracking_dropped_total')).toBe(1);
  });

  it('push() does no I/O: 50 000 pushes never call the store', () => {
    const store = recordingStore();
    const buffer = new TrackingBuffer({ store, capacity: 50_000, batchSize: 500 });
    const started = performance.now();
    for (let index = 0; index < 50_000; index += 1) {
      buffer.push(row(index));
    }
    const elapsed = performance.now() - started;
    expect(store.calls).toBe(0);
    expect(buffer.size).toBe(50_000);
    expect(elapsed).toBeLessThan(1_000);
  });
});

describe('TrackingBuffer as the gateway’s tracking sink', () => {
  it('accepts the gateway’s TrackedMessage rows', async () => {
    const store = recordingStore();
    const sink: TrackingSink = new TrackingBuffer({ store });
    const message: TrackedMessage = {
      id: 'row-gateway',
      organization_id: 'org_a',
      campaign_id: null,
      lead_id: 'lead',
      channel: 'email',
      route: 'outreach',
      message_body: 'hi',
      subject_line: null,
      agent_decisions: {},
      framework: null,
      tone: null,
      model_id: 'sandbox/outreach-v1',
      model_version: 'sandbox-v1',
      variant: 'baseline',
      provider: 'sandbox',
      request_id: 'req',
      prompt_messages: [],
      lead_data: {},
      cost_usd: 0,
      latency_ms: 1,
      prompt_tokens: 1,
      completion_tokens: 1,
      created_at: new Date().toISOString(),
    };
    expect(sink.push(message)).toBe(true);
  });
});
