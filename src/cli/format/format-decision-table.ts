import {
  type ArmValue,
  type ComparedMetric,
  type ExperimentEvaluation,
  formatP,
  type MetricComparison,
  signedPercent,
  type VariantEvaluation,
} from '../../pipeline/index.ts';
import { textTable } from './text-table.ts';

type Interval = NonNullable<ArmValue['interval']>;

/** Rows of the seed's comparison table, then the guardrails the engine also watches. */
const tableRows: readonly ComparedMetric[] = [
  'messages_sent',
  'reply_rate',
  'meeting_rate',
  'close_rate',
  'negative_sentiment_rate',
  'cost_per_meeting',
  'bounce_rate',
  'spam_rate',
  'unsubscribe_rate',
  'error_rate',
];

const headers = ['Metric', 'Baseline', 'Variant', 'Lift', 'Anytime-valid 95% CI', 'Verdict'];

/** The readable decision: one comparison table per variant, then the decision and its reasons. */
export function formatDecisionTable(evaluation: ExperimentEvaluation): string {
  const lines: string[] = [
    `Experiment on route "${evaluation.route}" (evaluated ${evaluation.evaluated_at})`,
  ];
  if (evaluation.variants.length === 0) {
    // Nothing to compare (no baseline yet, or no variant beside it): the decision and its reason.
    const alone = evaluation.arms.every((arm) => arm.is_baseline);
    lines.push(
      evaluation.baseline === null
        ? 'No single baseline to compare with: nothing to decide yet.'
        : alone
          ? `Baseline ${evaluation.baseline} has no variant beside it: nothing to decide.`
          : 'Nothing to decide yet.',
      '',
      `Decision: ${evaluation.decision.toUpperCase()}`,
      ...evaluation.reasons.map((reason) => `  - ${reason}`),
    );
  }
  for (const variant of evaluation.variants) {
    lines.push('', ...formatVariant(evaluation, variant));
  }
  if (evaluation.variants.length > 1) {
    lines.push(
      '',
      `Route decision: ${evaluation.decision.toUpperCase()}${evaluation.promoted_variant ? ` ${evaluation.promoted_variant}` : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function formatVariant(evaluation: ExperimentEvaluation, variant: VariantEvaluation): string[] {
  const baselineArm = evaluation.arms.find((arm) => arm.is_baseline);
  const runtime = variant.runtime_days === null ? '' : `, running ${variant.runtime_days} days`;
  const rows = tableRows.flatMap((metric) => {
    const comparison = variant.comparisons.find((row) => row.metric === metric);
    return comparison ? [formatRow(comparison, variant, evaluation)] : [];
  });
  const lines = [
    `Baseline ${evaluation.baseline} (${baselineArm?.traffic_percentage ?? '?'} % of traffic) vs variant ${variant.model_version} (${variant.traffic_percentage} %${runtime})`,
    '',
    textTable({ headers, rows }, { rule: true }),
    '',
    `Decision: ${variant.decision.toUpperCase()} ${variant.model_version}`,
    ...variant.reasons.map((reason) => `  - ${reason}`),
  ];
  return lines;
}

function formatRow(
  comparison: MetricComparison,
  variant: VariantEvaluation,
  evaluation: ExperimentEvaluation,
): string[] {
  const money = comparison.metric === 'cost_per_meeting';
  const count = comparison.metric === 'messages_sent';
  const cell = (value: ArmValue) =>
    count ? formatCount(value.value) : money ? formatMoney(value) : formatRate(value);
  return [
    comparison.label,
    cell(comparison.baseline),
    cell(comparison.variant),
    comparison.lift === null ? '' : signedPercent(comparison.lift),
    formatInterval(comparison.lift_interval_anytime, signedPercent),
    verdict(comparison.metric, variant, evaluation),
  ];
}

function verdict(
  metric: ComparedMetric,
  variant: VariantEvaluation,
  evaluation: ExperimentEvaluation,
): string {
  if (metric === 'messages_sent') {
    const srm = evaluation.sample_ratio_mismatch;
    if (!srm.checked) {
      return 'SRM not checked';
    }
    return srm.ok
      ? `split ok (SRM p = ${formatP(srm.p_value ?? 1)})`
      : `SRM! p = ${formatP(srm.p_value ?? 0)}`;
  }
  const harm = variant.harm_tests.find((test) => test.metric === metric);
  if (harm?.significantly_worse) {
    return `FAIL: significantly ${harm.worse_when}`;
  }
  const check = variant.promotion_checks.find((item) => item.metric === metric);
  if (check) {
    if (!check.ready) {
      return 'not enough data';
    }
    return check.met
      ? `pass (≥ ${signedPercent(check.threshold)})`
      : `not yet (needs ≥ ${signedPercent(check.threshold)})`;
  }
  if (harm) {
    return harm.tested ? `ok (not ${harm.worse_when})` : 'not tested yet';
  }
  return 'info';
}

function formatRate(value: ArmValue): string {
  if (value.value === null) {
    return 'n/a';
  }
  const digits = value.value < 0.01 ? 3 : 2;
  const interval = formatInterval(value.interval, (x) => (x * 100).toFixed(digits));
  return `${(value.value * 100).toFixed(digits)}% ${interval}`.trimEnd();
}

function formatMoney(value: ArmValue): string {
  if (value.value === null) {
    return 'n/a';
  }
  const digits = value.value < 1 ? 4 : 2;
  const interval = formatInterval(value.interval, (x) => x.toFixed(digits));
  return `$${value.value.toFixed(digits)} ${interval}`.trimEnd();
}

function formatCount(value: number | null): string {
  return value === null ? 'n/a' : Math.round(value).toLocaleString('en-US');
}

function formatInterval(interval: Interval | null, format: (value: number) => string): string {
  return interval === null ? '' : `[${format(interval.lower)}, ${format(interval.upper)}]`;
}
