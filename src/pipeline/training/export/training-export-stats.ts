import type { FingerprintSet } from './fingerprint-set.ts';
import type { TrainingFormat } from './outcome-row.ts';
import type { ProviderCostEstimate } from './training-cost.ts';
import type { ExampleRejection } from './training-example.ts';

export type FilterReason =
  | 'below_quality_score'
  | 'organization_mismatch'
  | 'duplicate'
  | ExampleRejection;

/** What an export did; snake_case because it is stored (`training_runs.stats`) and printed as JSON. */
export interface TrainingExportStats {
  format: TrainingFormat;
  min_quality_score: number;
  keep_pii: boolean;
  validation_fraction: number;
  /** Rows read from the source. */
  fetched: number;
  filtered: { total: number } & Record<FilterReason, number>;
  written: { total: number; train: number; validation: number };
  /** Written examples whose prompt was built from the row (it had no prompt_messages). */
  built_prompts: number;
  /** Mean quality score of the written examples. */
  average_quality_score: number | null;
  estimated_tokens: { train: number; validation: number; total: number };
  estimated_cost_usd: { openai: ProviderCostEstimate; together: ProviderCostEstimate } | null;
  dedupe: { capacity: number; memory_bytes: number; saturated: boolean };
  /** True when `limit` stopped the export before the source ran out. */
  limit_reached: boolean;
}

export function emptyStats(
  format: TrainingFormat,
  minQualityScore: number,
  keepPii: boolean,
  validationFraction: number,
  dedupe: FingerprintSet,
): TrainingExportStats {
  return {
    format,
    min_quality_score: minQualityScore,
    keep_pii: keepPii,
    validation_fraction: validationFraction,
    fetched: 0,
    filtered: {
      total: 0,
      below_quality_score: 0,
      organization_mismatch: 0,
      missing_output: 0,
      invalid_prompt: 0,
      unsupported_messages: 0,
      duplicate: 0,
    },
    written: { total: 0, train: 0, validation: 0 },
    built_prompts: 0,
    average_quality_score: null,
    estimated_tokens: { train: 0, validation: 0, total: 0 },
    estimated_cost_usd: null,
    dedupe: { capacity: dedupe.capacity, memory_bytes: dedupe.memoryBytes, saturated: false },
    limit_reached: false,
  };
}
