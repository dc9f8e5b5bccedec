/**
 * The seed's `DataFormatter.export_to_jsonl(output_path, organization_id, min_quality_score, limit)`
 * as a stream: outcome rows in (any async iterable — a store cursor, a generator), chat
 * fine-tuning JSONL out, one line at a time with back-pressure, so memory stays flat however many
 * rows pass through (the dedupe table is the one fixed allocation, see `fingerprint-set.ts`).
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { FingerprintSet } from './fingerprint-set.ts';
import type { OutcomeRow, TrainingFormat } from './outcome-row.ts';
import { createPiiScrubber } from './pii-scrubber.ts';
import {
  defaultTrainingCostSettings,
  estimateExampleTokens,
  estimateTrainingCosts,
  type TrainingCostSettings,
} from './training-cost.ts';
import { buildTrainingExample, parseLeadData } from './training-example.ts';
import { InsufficientTrainingDataError, openAIMinimumExamples } from './training-export-errors.ts';
import {
  emptyStats,
  type FilterReason,
  type TrainingExportStats,
} from './training-export-stats.ts';

export interface ExportTrainingJsonlOptions {
  format: TrainingFormat;
  /** Rows below are filtered (default 0.6, the seed's threshold). */
  minQualityScore?: number;
  /** Rows of other organizations are filtered (defence in depth; the query should scope too). */
  organizationId?: string | null;
  /** Stop after this many examples were written. */
  limit?: number | null;
  /** Keep names, emails, phones and URLs as they are (default false: scrubbed). */
  keepPii?: boolean;
  /** Share of examples, chosen by content hash, written to the validation target (default 0.1). */
  validationFraction?: number;
  /** Fewer examples than this fail the export (default 50, the seed's minimum). */
  minExamples?: number;
  /** Dedupe table slots (8 bytes each, rounded up to a power of two; default 2^21 = 16 MiB). */
  dedupeCapacity?: number;
  /** Base models and epochs the cost estimate assumes (default: `defaultTrainingCostSettings`). */
  costs?: TrainingCostSettings;
  signal?: AbortSignal;
}

export interface ExportTargets {
  train: Writable;
  /** Without it every example goes to `train`. */
  validation?: Writable;
}

const defaultDedupeCapacity = 2 ** 21;

async function writeLine(target: Writable, line: string): Promise<void> {
  if (!target.write(`${line}\n`)) {
    await once(target, 'drain');
  }
}

function qualityOf(row: OutcomeRow): number | null {
  const value =
    typeof row.quality_score === 'string' ? Number(row.quality_score) : row.quality_score;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * Writes the examples and returns the stats. The targets are not ended (the caller owns them).
 * Throws `InsufficientTrainingDataError` (with the stats) after writing when too few examples
 * passed; callers writing files discard them then (see `exportTrainingJsonlToFiles`).
 */
export async function exportTrainingJsonl(
  rows: AsyncIterable<OutcomeRow>,
  targets: ExportTargets,
  options: ExportTrainingJsonlOptions,
): Promise<TrainingExportStats> {
  const minQualityScore = options.minQualityScore ?? 0.6;
  const validationFraction = targets.validation ? (options.validationFraction ?? 0.1) : 0;
  const keepPii = options.keepPii ?? false;
  const seen = new FingerprintSet(options.dedupeCapacity ?? defaultDedupeCapacity);
  const stats = emptyStats(options.format, minQualityScore, keepPii, validationFraction, seen);
  const filter = (reason: FilterReason) => {
    stats.filtered[reason] += 1;
    stats.filtered.total += 1;
  };
  let qualitySum = 0;
  const validationThreshold = Math.floor(validationFraction * 2 ** 32);

  for await (const row of rows) {
    options.signal?.throwIfAborted();
    stats.fetched += 1;
    const quality = qualityOf(row);
    if (options.organizationId && row.organization_id !== options.organizationId) {
      filter('organization_mismatch');
      continue;
    }
    if (quality === null || quality < minQualityScore) {
      filter('below_quality_score');
      continue;
    }
    const scrub = keepPii
      ? (text: string) => text
      : createPiiScrubber(parseLeadData(row.lead_data));
    const example = buildTrainingExample(row, options.format, scrub);
    if (!example.ok) {
      filter(example.reason);
      continue;
    }
    const line = JSON.stringify({ messages: example.messages });
    const digest = createHash('sha256').update(line).digest();
    if (!seen.add(digest)) {
      filter('duplicate');
      continue;
    }
    const tokens = estimateExampleTokens(example.messages);
    const toValidation = digest.readUInt32BE(8) < validationThreshold;
    if (toValidation && targets.validation) {
      await writeLine(targets.validation, line);
      stats.written.validation += 1;
      stats.estimated_tokens.validation += tokens;
    } else {
      await writeLine(targets.train, line);
      stats.written.train += 1;
      stats.estimated_tokens.train += tokens;
    }
    stats.written.total += 1;
    if (example.builtPrompt) {
      stats.built_prompts += 1;
    }
    qualitySum += quality;
    if (options.limit != null && stats.written.total >= options.limit) {
      // Leaving the loop closes the source (its `return()`), e.g. a database cursor.
      stats.limit_reached = true;
      break;
    }
  }

  stats.average_quality_score =
    stats.written.total === 0
      ? null
      : Math.round((qualitySum / stats.written.total) * 10_000) / 10_000;
  stats.estimated_tokens.total = stats.estimated_tokens.train + stats.estimated_tokens.validation;
  stats.estimated_cost_usd = estimateTrainingCosts(options.costs ?? defaultTrainingCostSettings, {
    trainExamples: stats.written.train,
    trainTokens: stats.estimated_tokens.train,
    validationTokens: stats.estimated_tokens.validation,
  });
  stats.dedupe.saturated = seen.saturated;
  const minExamples = options.minExamples ?? 50;
  const vendorMinimum = options.format === 'openai' ? openAIMinimumExamples : 1;
  if (stats.written.total < minExamples || stats.written.train < vendorMinimum) {
    throw new InsufficientTrainingDataError(stats, minExamples, vendorMinimum);
  }
  return stats;
}
