/**
 * The weekly cycle inside the gateway (`training.schedule`, a cron expression read by croner in
 * the process's local time, like crontab). Every instance runs the schedule; the orchestrator
 * turns a firing into one run (its slot is unique in `training_runs`), or none while the route
 * still has a run in progress or too few training-ready outcomes.
 */
import { Cron } from 'croner';
import { ConfigError, type GatewayConfig } from '../../../config/index.ts';
import type { Logger } from '../../../metrics/index.ts';
import { type FineTuningProvider, fineTuningProviderEntry } from '../fine-tuners/index.ts';

export interface TrainingScheduleOptions {
  /** Cron expression, e.g. `0 3 * * 1` (Mondays 03:00). */
  cron: string;
  provider: FineTuningProvider;
  deployImmediately: boolean;
  abTestTraffic: number | null;
}

export interface TrainingSchedule {
  nextRun(): Date | null;
  stop(): void;
}

/**
 * The schedule the config asks for: `training.schedule` with the first fine-tuning vendor that
 * has a key (OpenAI, then Together), registering the model without deploying it. Null when no
 * schedule is set; a schedule without any usable vendor is a configuration error.
 */
export function scheduleFromConfig(config: GatewayConfig): TrainingScheduleOptions | null {
  const cron = config.training.schedule;
  if (!cron) {
    return null;
  }
  const candidates = config.training.schedule_provider
    ? [config.training.schedule_provider]
    : (['openai', 'together'] as const);
  const provider = candidates.find(
    (candidate) => fineTuningProviderEntry(candidate, config)?.entry.api_key,
  );
  if (!provider) {
    throw new ConfigError([
      `training.schedule: a scheduled training cycle needs ${candidates.map((name) => `${name.toUpperCase()}_API_KEY`).join(' or ')}`,
    ]);
  }
  const deploy = config.training.schedule_deploy_immediately;
  return {
    cron,
    provider,
    deployImmediately: deploy,
    abTestTraffic: deploy ? config.training.schedule_ab_test_traffic : null,
  };
}

/** Calls `onFire(scheduledTime)` at every firing; overlapping firings are skipped (protect). */
export function startTrainingSchedule(
  cron: string,
  onFire: (scheduled: Date) => Promise<void>,
  logger: Logger,
): TrainingSchedule {
  let job: Cron;
  try {
    job = new Cron(
      cron,
      { protect: true, unref: true, name: 'rekindle-training' },
      async (self: Cron) => {
        // The time the firing was planned for, not when the callback got to run (a busy event
        // loop may start it late): every instance then names the same slot.
        const scheduled = self.previousRuns(1, new Date(Date.now() + 1))[0] ?? new Date();
        await onFire(scheduled).catch((error: unknown) => {
          logger.warn('scheduled training cycle failed to start', { error });
        });
      },
    );
  } catch (error) {
    throw new ConfigError([
      `training.schedule: not a valid cron expression "${cron}": ${(error as Error).message}`,
    ]);
  }
  return { nextRun: () => job.nextRun(), stop: () => job.stop() };
}

/** One run per route and scheduled minute, whichever instance fires first. */
export function scheduleSlot(route: string, scheduled: Date): string {
  const minute = Math.floor(scheduled.getTime() / 60_000) * 60_000;
  return `${route}@${new Date(minute).toISOString()}`;
}
