/**
 * Phases 1–2: weeks of campaigns on the base model before any training. The history lies in the
 * simulated past and ends before the present, so the registry changes that follow (stamped by the
 * database's own clock) come after every message they must not cover.
 */
import { type DemoContext, deliverDue, simulateDays } from '../demo-context.ts';
import { dayMs, weekMs } from '../simulated-clock.ts';

export interface HistoryOutcome {
  readonly start: number;
  readonly end: number;
  readonly messages: number;
}

/** Midnight (UTC) `historyWeeks` weeks ago: the first day of the history. */
export function historyStart(historyWeeks: number, now: number): number {
  return Math.floor(now / dayMs) * dayMs - historyWeeks * weekMs;
}

export async function runHistory(context: DemoContext, start: number): Promise<HistoryOutcome> {
  const { settings, clock, progress } = context;
  const emails = settings.historyWeeks * settings.historyLeadsPerWeek;
  const bar = progress.bar('emails sent', emails);
  await simulateDays(context, {
    start,
    days: settings.historyWeeks * 7,
    emails,
    campaign: (day) => `outbound-week-${Math.floor(day / 7) + 1}`,
    onSent: () => bar.tick(),
  });
  bar.done(`${emails} emails on the base model`);
  // Up to the present: the reactions of the last days arrive before the training cycle starts.
  clock.advanceTo(Date.now());
  await deliverDue(context);
  return { start, end: clock.now(), messages: emails };
}
