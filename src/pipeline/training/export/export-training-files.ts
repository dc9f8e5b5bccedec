import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { type ExportTrainingJsonlOptions, exportTrainingJsonl } from './export-training-jsonl.ts';
import type { OutcomeRow } from './outcome-row.ts';
import type { TrainingExportStats } from './training-export-stats.ts';

export interface ExportFilePaths {
  trainPath: string;
  /** Without it every example goes to the training file. */
  validationPath?: string;
}

/**
 * Exports to files: written as `<path>.partial` and renamed into place only when the export
 * passed its checks, so a failed or aborted export never leaves a half file where a training run
 * would pick it up.
 */
export async function exportTrainingJsonlToFiles(
  rows: AsyncIterable<OutcomeRow>,
  paths: ExportFilePaths,
  options: ExportTrainingJsonlOptions,
): Promise<TrainingExportStats> {
  const outputs: Array<{ path: string; partial: string; stream: WriteStream }> = [];
  let writeError: unknown;
  const open = (path: string) => {
    const partial = `${path}.partial`;
    const stream = createWriteStream(partial);
    // A write still pending when a failed export destroys the stream errors out; without a
    // listener that would be an uncaught exception that takes the whole process down.
    stream.on('error', (error) => {
      writeError ??= error;
    });
    outputs.push({ path, partial, stream });
    return stream;
  };
  try {
    const train = open(paths.trainPath);
    const validation = paths.validationPath ? open(paths.validationPath) : undefined;
    const stats = await exportTrainingJsonl(
      rows,
      validation ? { train, validation } : { train },
      options,
    );
    for (const output of outputs) {
      output.stream.end();
      await finished(output.stream);
    }
    if (writeError !== undefined) {
      throw writeError;
    }
    for (const output of outputs) {
      await rename(output.partial, output.path);
    }
    return stats;
  } catch (error) {
    for (const output of outputs) {
      output.stream.destroy();
      await rm(output.partial, { force: true });
    }
    throw error;
  }
}
