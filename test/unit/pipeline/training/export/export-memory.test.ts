import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  exportTrainingJsonl,
  type OutcomeRow,
} from '../../../../../src/pipeline/training/export/index.ts';
import { outcomeRow } from '../training-test-data.ts';

/** `global.gc` without restarting the worker with --expose-gc. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

const heapUsed = () => {
  collectGarbage();
  return process.memoryUsage().heapUsed;
};

/** Counts what it is given and keeps none of it. */
class CountingSink extends Writable {
  bytes = 0;
  lines = 0;
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void) {
    this.bytes += chunk.length;
    for (const byte of chunk) {
      if (byte === 10) {
        this.lines += 1;
      }
    }
    // Asynchronous, like a socket or file: back-pressure has to be honoured upstream.
    setImmediate(callback);
  }
}

describe('export memory', () => {
  it('streams 200k rows with bounded heap growth', { timeout: 180_000 }, async () => {
    const total = 200_000;
    const samples: number[] = [];
    async function* rows(): AsyncGenerator<OutcomeRow> {
      for (let index = 0; index < total; index += 1) {
        if (index === 20_000 || index === total - 1) {
          samples.push(heapUsed());
        }
        yield outcomeRow(index, { quality_score: index % 4 === 0 ? 0.3 : 0.8 }) as OutcomeRow;
      }
    }
    const train = new CountingSink();
    const validation = new CountingSink();
    const stats = await exportTrainingJsonl(
      rows(),
      { train, validation },
      {
        format: 'openai',
        validationFraction: 0.1,
        costs: {
          openai: { baseModel: 'gpt-4o-mini-2024-07-18', epochs: 'auto' },
          together: {
            baseModel: 'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference',
            epochs: 3,
            lora: true,
          },
        },
      },
    );
    train.end();
    validation.end();
    await Promise.all([finished(train), finished(validation)]);
    expect(stats.fetched).toBe(total);
    expect(stats.written.total).toBe(150_000);
    expect(train.lines + validation.lines).toBe(150_000);
    const [early, late] = samples as [number, number];
    const growth = late - early;
    // The output is over 50 MB; holding a tenth of it would break this bound (measured: ~60 kB).
    expect(train.bytes + validation.bytes).toBeGreaterThan(50 * 1024 * 1024);
    expect(growth).toBeLessThan(4 * 1024 * 1024);
    expect(stats.dedupe).toEqual({
      capacity: 2 ** 21,
      memory_bytes: 16 * 1024 * 1024,
      saturated: false,
    });
  });
});
