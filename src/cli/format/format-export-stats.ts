import type { TrainingExportStats } from '../../pipeline/index.ts';

const numberFormat = new Intl.NumberFormat('en-US');

/** What `rekindle export` wrote, filtered and estimated (its output without --json). */
export function formatExportStats(output: string, stats: TrainingExportStats): string {
  const reasons = Object.entries(stats.filtered)
    .filter(([reason, count]) => reason !== 'total' && count > 0)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
  const lines = [
    `Exported ${stats.written.total} examples to ${output} (${stats.format} format, ${stats.keep_pii ? 'PII KEPT' : 'PII scrubbed'}).`,
    `  fetched ${stats.fetched}, filtered ${stats.filtered.total}${reasons ? ` (${reasons})` : ''}`,
    `  average quality ${stats.average_quality_score ?? '—'} (threshold ${stats.min_quality_score}), about ${numberFormat.format(stats.estimated_tokens.total)} tokens`,
  ];
  for (const [provider, estimate] of Object.entries(stats.estimated_cost_usd ?? {})) {
    const usd = estimate.estimated_usd === null ? 'price unknown' : `$${estimate.estimated_usd}`;
    lines.push(
      `  estimated training cost on ${provider}: ${usd} (${estimate.base_model}, ${estimate.epochs} epochs, ${numberFormat.format(estimate.billed_tokens)} billed tokens)`,
    );
  }
  if (stats.limit_reached) {
    lines.push('  stopped at --limit');
  }
  if (stats.dedupe.saturated) {
    lines.push(
      '  dedupe table saturated: later duplicates were not caught (raise dedupe_capacity)',
    );
  }
  return lines.join('\n');
}
