/** The key results as one JSON object (`rekindle demo --json`). */
import type { DemoReport } from './collect-demo-report.ts';
import type { TrainingStats } from './demo-tables.ts';

export function demoSummary(report: DemoReport, reportPath: string): Record<string, unknown> {
  const { experiment } = report;
  const rates: Record<string, unknown> = {};
  for (const row of experiment.leaderboard.rows) {
    rates[row.model_version] = {
      is_baseline: row.is_baseline,
      traffic_percentage: row.traffic_percentage,
      messages_sent: row.total_messages_sent,
      reply_rate: row.reply_rate,
      meeting_rate: row.meeting_rate,
      close_rate: row.close_rate,
      negative_sentiment_rate: row.negative_sentiment_rate,
      cost_per_message: row.cost_per_message,
      cost_per_meeting: row.cost_per_meeting,
    };
  }
  const last = experiment.looks.at(-1);
  return {
    seed: report.settings.seed,
    variant_lift: report.settings.variantLift,
    settings: report.settings,
    baseline: experiment.evaluation.baseline,
    variant: experiment.variant,
    decision: experiment.decision,
    decided_in_week: experiment.decidedInWeek,
    weeks_run: experiment.looks.length,
    promoted_version: experiment.action === 'promoted' ? experiment.variant : null,
    rolled_back_version: experiment.action === 'rolled_back' ? experiment.variant : null,
    reasons: experiment.evaluation.variants[0]?.reasons ?? experiment.evaluation.reasons,
    lifts: last
      ? {
          reply_rate: {
            lift: last.replyLift.lift,
            lower_bound: last.replyLift.lowerBound,
            threshold: last.replyLift.threshold,
          },
          close_rate: {
            lift: last.closeLift.lift,
            lower_bound: last.closeLift.lowerBound,
            threshold: last.closeLift.threshold,
          },
        }
      : null,
    rates,
    training_runs: report.runs.map((run) => ({
      model_version: run.model_version,
      provider: run.provider,
      status: run.status,
      fine_tuned_model: run.fine_tuned_model,
      examples: (run.stats as TrainingStats).written?.total ?? null,
      ab_test_traffic: run.ab_test_traffic,
    })),
    next_cycle: report.runs[1]
      ? { model_version: report.runs[1].model_version, status: report.runs[1].status }
      : null,
    messages_sent: report.outcome_progress.reduce((sum, row) => sum + row.messages, 0),
    webhooks_delivered: report.webhooks_delivered,
    registry: report.registry.map((row) => ({
      model_version: row.model_version,
      status: row.status,
      is_baseline: row.is_baseline,
      traffic_percentage: row.traffic_percentage,
    })),
    report: reportPath,
    simulated_now: report.simulated_now,
    duration_seconds: Math.round(report.duration_ms / 100) / 10,
  };
}
