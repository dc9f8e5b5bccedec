/**
 * Training-ready outcomes from the store → JSONL files. Rows are read page by page with the
 * store's keyset cursor (`export_training_outcomes`, ordered by id) and streamed through the
 * export core, so memory stays flat whatever the table size. Shared by training runs, the admin
 * export endpoint and `rekindle export`.
 */
import type { GatewayConfig } from '../../../config/index.ts';
import type { OutcomesStore } from '../../../store/index.ts';
import {
  type ExportFilePaths,
  exportTrainingJsonlToFiles,
  type OutcomeRow,
  type TrainingExportStats,
  type TrainingFormat,
  trainingCostSettingsFromConfig,
} from '../export/index.ts';

/** `POST /admin/training/export` sends the export's stats (JSON) in this header, before the body. */
export const exportStatsHeader = 'x-rekindle-export-stats';

export interface ExportOutcomesOptions {
  format: TrainingFormat;
  organizationId?: string | null;
  minQualityScore?: number;
  limit?: number | null;
  keepPii?: boolean;
  /** Default: `config.training.min_examples`. */
  minExamples?: number;
  /** Share written to `paths.validationPath` (default `config.training.validation_fraction`). */
  validationFraction?: number;
  /** Called every `progressEvery` rows read (and once at the end) with the count so far. */
  onProgress?: (fetched: number) => void;
  progressEvery?: number;
  /** Rows per store page (default 1000). */
  pageSize?: number;
  signal?: AbortSignal;
}

export function exportOutcomesToFiles(
  outcomes: Pick<OutcomesStore, 'exportTrainingReady'>,
  training: GatewayConfig['training'],
  paths: ExportFilePaths,
  options: ExportOutcomesOptions,
): Promise<TrainingExportStats> {
  const minQualityScore = options.minQualityScore ?? training.min_quality_score;
  const rows = outcomes.exportTrainingReady({
    organizationId: options.organizationId ?? null,
    minQualityScore,
    limit: options.pageSize ?? 1000,
  });
  return exportTrainingJsonlToFiles(counted(rows as AsyncIterable<OutcomeRow>, options), paths, {
    format: options.format,
    organizationId: options.organizationId ?? null,
    minQualityScore,
    limit: options.limit ?? null,
    keepPii: options.keepPii ?? false,
    validationFraction: options.validationFraction ?? training.validation_fraction,
    minExamples: options.minExamples ?? training.min_examples,
    ...(training.dedupe_capacity === undefined ? {} : { dedupeCapacity: training.dedupe_capacity }),
    costs: trainingCostSettingsFromConfig(training),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** Passes rows through, reporting how many were read; `return()` still reaches the source. */
async function* counted(
  rows: AsyncIterable<OutcomeRow>,
  options: ExportOutcomesOptions,
): AsyncGenerator<OutcomeRow> {
  const every = options.progressEvery ?? 1000;
  let fetched = 0;
  try {
    for await (const row of rows) {
      fetched += 1;
      if (fetched % every === 0) {
        options.onProgress?.(fetched);
      }
      yield row;
    }
  } finally {
    options.onProgress?.(fetched);
  }
}
