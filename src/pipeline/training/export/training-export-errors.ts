import { GatewayError } from '../../../errors/index.ts';
import type { TrainingExportStats } from './training-export-stats.ts';

/** OpenAI refuses a training file with fewer examples than this. */
export const openAIMinimumExamples = 10;

/** Too few examples survived the filters; carries the stats so the caller can show why. */
export class InsufficientTrainingDataError extends GatewayError {
  readonly stats: TrainingExportStats;

  constructor(stats: TrainingExportStats, minExamples: number, vendorMinimum: number) {
    super('insufficient_training_data', describe(stats, minExamples, vendorMinimum));
    this.name = 'InsufficientTrainingDataError';
    this.stats = stats;
  }
}

function describe(stats: TrainingExportStats, minExamples: number, vendorMinimum: number): string {
  const reasons = Object.entries(stats.filtered)
    .filter(([reason, count]) => reason !== 'total' && count > 0)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
  const need =
    stats.written.total < minExamples
      ? `need at least ${minExamples}`
      : stats.format === 'openai'
        ? `OpenAI needs at least ${vendorMinimum} in the training file; ${stats.written.train} went there`
        : 'the training file would be empty';
  return (
    `Not enough training examples: ${stats.written.total} written (${need}). ` +
    `Fetched ${stats.fetched} outcomes; filtered ${stats.filtered.total}${reasons ? ` (${reasons})` : ''}. ` +
    `Collect more tracked outcomes, lower --min-quality-score (now ${stats.min_quality_score}), ` +
    'or lower training.min_examples.'
  );
}
