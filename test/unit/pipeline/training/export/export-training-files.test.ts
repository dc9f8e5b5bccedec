import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  exportTrainingJsonlToFiles,
  InsufficientTrainingDataError,
} from '../../../../../src/pipeline/training/export/index.ts';
import type { OutcomeRow } from '../../../../../src/pipeline/training/export/outcome-row.ts';
import { fromArray, outcomeRow } from '../training-test-data.ts';

const directory = mkdtempSync(join(tmpdir(), 'rekindle-export-files-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const rows = (count: number) =>
  fromArray(
    Array.from({ length: count }, (_, index) => outcomeRow(index) as unknown as OutcomeRow),
  );

describe('exportTrainingJsonlToFiles', () => {
  it('with some examples but fewer than the minimum: a clear error, no file, and no crash', async () => {
    const trainPath = join(directory, 'few.jsonl');
    const validationPath = join(directory, 'few-validation.jsonl');
    const unhandled: unknown[] = [];
    const onUncaught = (error: unknown) => unhandled.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      await expect(
        exportTrainingJsonlToFiles(
          rows(49),
          { trainPath, validationPath },
          { format: 'openai', minExamples: 50 },
        ),
      ).rejects.toBeInstanceOf(InsufficientTrainingDataError);
      // A destroyed stream with a pending write reports its error on a later tick.
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(unhandled).toEqual([]);
    expect(existsSync(trainPath)).toBe(false);
    expect(existsSync(`${trainPath}.partial`)).toBe(false);
    expect(existsSync(validationPath)).toBe(false);
  });

  it('renames the files into place when the export passes', async () => {
    const trainPath = join(directory, 'enough.jsonl');
    const stats = await exportTrainingJsonlToFiles(
      rows(60),
      { trainPath },
      { format: 'openai', minExamples: 50 },
    );
    expect(readFileSync(trainPath, 'utf8').trim().split('\n')).toHaveLength(stats.written.train);
    expect(existsSync(`${trainPath}.partial`)).toBe(false);
  });
});
