/**
 * Phases 5–6: the weeks go by on the simulated clock with the new version on its share of the
 * route. At the end of every week the demo asks the gateway's experiment service for its decision
 * (`GET /admin/experiments/outreach`) and, like an operator who follows it, promotes the variant
 * when the engine says `promote` and rolls it back when it says `rollback` — never otherwise. The
 * engine sees only what the store holds: messages whose outcome windows have closed.
 */
import type {
  Decision,
  ExperimentEvaluation,
  Leaderboard,
  PromotionCheck,
} from '../../../pipeline/index.ts';
import { type DemoContext, deliverDue, simulateDays } from '../demo-context.ts';
import { route } from '../demo-settings.ts';
import { weekMs } from '../simulated-clock.ts';

export interface WeeklyLook {
  readonly week: number;
  readonly evaluatedAt: string;
  readonly decision: Decision;
  readonly replyLift: LiftView;
  readonly closeLift: LiftView;
  readonly variantMessages: number;
  readonly baselineMessages: number;
  readonly reason: string;
}

interface LiftView {
  readonly lift: number | null;
  readonly lowerBound: number | null;
  readonly threshold: number;
  readonly units: number;
  readonly met: boolean;
}

export interface ExperimentOutcome {
  readonly variant: string;
  readonly start: number;
  readonly looks: readonly WeeklyLook[];
  readonly decision: Decision;
  /** The week the engine decided promote or rollback; null while it kept testing. */
  readonly decidedInWeek: number | null;
  readonly action: 'promoted' | 'rolled_back' | 'none';
  /** The evaluation and leaderboard at the last look (the decision's numbers). */
  readonly evaluation: ExperimentEvaluation;
  readonly leaderboard: Leaderboard;
}

export async function runExperiment(
  context: DemoContext,
  input: { variant: string; start: number },
): Promise<ExperimentOutcome> {
  const { settings, clock, progress, environment } = context;
  const { admin } = environment;
  const looks: WeeklyLook[] = [];
  let evaluation: ExperimentEvaluation | undefined;
  let decidedInWeek: number | null = null;
  const bar = progress.bar('emails sent', settings.leadsPerWeek * settings.weeks);
  for (let week = 1; week <= settings.weeks; week += 1) {
    const weekStart = input.start + (week - 1) * weekMs;
    await simulateDays(context, {
      start: weekStart,
      days: 7,
      emails: settings.leadsPerWeek,
      campaign: () => `outbound-week-${settings.historyWeeks + week}`,
      onSent: () => bar.tick(),
    });
    clock.advanceTo(weekStart + weekMs);
    await deliverDue(context);
    evaluation = await admin.experiments.evaluate(route, {
      now: undefined,
      weeklyVolume: undefined,
    });
    const look = summarize(week, evaluation, input.variant);
    looks.push(look);
    progress.note(describeLook(look));
    if (look.decision === 'promote' || look.decision === 'rollback') {
      decidedInWeek = week;
      break;
    }
  }
  bar.done(`${looks.length} week(s), decision: ${evaluation?.decision ?? 'none'}`);
  if (!evaluation) {
    throw new Error('the experiment ran no week (weeks must be at least 1)');
  }
  // The board as the engine saw it, before acting changes the registry.
  const leaderboard = await admin.experiments.leaderboard(route, {
    now: new Date(evaluation.evaluated_at),
  });
  const action = await act(context, evaluation, input.variant);
  return {
    variant: input.variant,
    start: input.start,
    looks,
    decision: evaluation.decision,
    decidedInWeek,
    action,
    evaluation,
    leaderboard,
  };
}

async function act(
  context: DemoContext,
  evaluation: ExperimentEvaluation,
  variant: string,
): Promise<ExperimentOutcome['action']> {
  const judged = evaluation.variants.find((candidate) => candidate.model_version === variant);
  const reason = `rekindle evaluate: ${(judged?.reasons ?? evaluation.reasons).join('; ')}`;
  const { admin } = context.environment;
  if (evaluation.decision === 'promote' && evaluation.promoted_variant === variant) {
    await admin.models.change('promote', { route, ref: variant, reason });
    context.progress.note(`${variant} promoted: it is the baseline of ${route} now`);
    return 'promoted';
  }
  if (judged?.decision === 'rollback') {
    await admin.models.change('rollback', { route, ref: variant, reason });
    context.progress.note(`${variant} rolled back: its traffic returns to the baseline`);
    return 'rolled_back';
  }
  context.progress.note(`${variant} not promoted: the engine says ${evaluation.decision}`);
  return 'none';
}

function summarize(week: number, evaluation: ExperimentEvaluation, variant: string): WeeklyLook {
  const judged = evaluation.variants.find((candidate) => candidate.model_version === variant);
  const check = (metric: PromotionCheck['metric']): LiftView => {
    const found = judged?.promotion_checks.find((candidate) => candidate.metric === metric);
    return {
      lift: found?.lift ?? null,
      lowerBound: found?.anytime_interval?.lower ?? null,
      threshold: found?.threshold ?? 0,
      units: found?.units ?? 0,
      met: found?.met ?? false,
    };
  };
  const arms = evaluation.sample_ratio_mismatch.arms ?? [];
  const messagesOf = (version: string) =>
    arms.find((arm) => arm.model_version === version)?.observed ?? 0;
  return {
    week,
    evaluatedAt: evaluation.evaluated_at,
    decision: judged?.decision ?? evaluation.decision,
    replyLift: check('reply_rate'),
    closeLift: check('close_rate'),
    variantMessages: messagesOf(variant),
    baselineMessages: messagesOf(evaluation.baseline ?? ''),
    reason: judged?.reasons[0] ?? evaluation.reasons[0] ?? '',
  };
}

export function describeLook(look: WeeklyLook): string {
  const lift = (view: LiftView) =>
    view.lift === null
      ? 'n/a'
      : `${percent(view.lift)} (bound ${view.lowerBound === null ? 'n/a' : percent(view.lowerBound)}, needs ≥ ${percent(view.threshold)})`;
  const why = look.decision === 'promote' ? '' : ` — ${look.reason}`;
  return `week ${look.week}: ${look.decision}; reply lift ${lift(look.replyLift)}, close lift ${lift(look.closeLift)}${why}`;
}

function percent(value: number): string {
  return `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}%`;
}
