/**
 * What every phase shares: the settings, the simulated clock, the running environment, the
 * campaigns, the audience's pending reactions and the progress output — and `simulateDays`, the
 * loop that moves the clock a day at a time, sends that day's emails and delivers every reaction
 * that has come due.
 */
import type { AudienceSender } from './audience/audience-sender.ts';
import type { CampaignSender } from './audience/campaign-sender.ts';
import type { EventQueue } from './audience/event-queue.ts';
import type { DemoEnvironment } from './demo-environment.ts';
import type { DemoProgress } from './demo-progress.ts';
import type { DemoSettings } from './demo-settings.ts';
import { dayMs, hourMs, type SimulatedClock } from './simulated-clock.ts';

export interface DemoContext {
  readonly settings: DemoSettings;
  readonly clock: SimulatedClock;
  readonly environment: DemoEnvironment;
  readonly campaigns: CampaignSender;
  readonly audience: AudienceSender;
  readonly queue: EventQueue;
  readonly progress: DemoProgress;
}

/** Sending days per simulated week: B2B email goes out on five days, reactions come on seven. */
const sendingDays = 5;

export interface SimulatedDays {
  /** First day's midnight (ms). */
  readonly start: number;
  readonly days: number;
  /** Emails for the whole span, spread over its sending days. */
  readonly emails: number;
  readonly campaign: (day: number) => string;
  readonly onSent: () => void;
}

/**
 * Day by day: at 08:00 the reactions due so far are delivered, at 09:00 the day's emails go out,
 * and tracking is flushed so the next deliveries find their messages stored.
 */
export async function simulateDays(context: DemoContext, span: SimulatedDays): Promise<void> {
  const { clock, environment } = context;
  const sendingDayCount = countSendingDays(span.days);
  let sent = 0;
  let sendingDay = 0;
  for (let day = 0; day < span.days; day += 1) {
    const morning = span.start + day * dayMs;
    clock.advanceTo(morning + 8 * hourMs);
    await deliverDue(context);
    if (day % 7 < sendingDays) {
      sendingDay += 1;
      const target = Math.round((span.emails * sendingDay) / sendingDayCount);
      clock.advanceTo(morning + 9 * hourMs);
      await context.campaigns.send(target - sent, span.campaign(day), span.onSent);
      sent = target;
      await environment.gateway.tracking.flush();
    }
  }
}

/** Delivers every reaction due by now (tracking flushed first, so each finds its message). */
export async function deliverDue(context: DemoContext): Promise<void> {
  await context.environment.gateway.tracking.flush();
  await context.audience.deliver(context.queue.takeDue(context.clock.now()));
}

function countSendingDays(days: number): number {
  let count = 0;
  for (let day = 0; day < days; day += 1) {
    if (day % 7 < sendingDays) {
      count += 1;
    }
  }
  return Math.max(1, count);
}
