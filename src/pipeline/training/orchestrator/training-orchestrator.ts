/**
 * The seed's `TrainingOrchestrator.run_training_cycle(model_version, min_quality_score,
 * deploy_immediately)` as a durable state machine in `training_runs`. A cycle is a row; any
 * orchestrator over the same store (every gateway instance, or `rekindle train` on its own)
 * leases due runs, advances each one step, and lets go. A restarted process finds its unfinished
 * runs in the store and carries on from the ids they hold.
 */
import { randomUUID } from 'node:crypto';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Logger, silentLogger } from '../../../metrics/index.ts';
import {
  type ListTrainingRunsFilter,
  type TrainingRun,
  type TrainingRunDetail,
  trainingRunStatuses,
} from '../../../store/index.ts';
import { createFineTuner, type FineTuner, type FineTuningProvider } from '../fine-tuners/index.ts';
import { cancelTrainingRun } from './cancel-training-run.ts';
import { checkCycleInput } from './check-cycle-input.ts';
import { pollBackoff } from './poll-backoff.ts';
import { advanceClaimedRun } from './run-worker.ts';
import { scheduledVariantsTesting } from './scheduled-variants.ts';
import {
  type DriveRunOptions,
  isFinishedRun,
  type RunTrainingCycleInput,
  type TrainingOrchestratorOptions,
} from './training-orchestrator-options.ts';
import { TrainingRunNotFoundError } from './training-run-errors.ts';
import { scheduleSlot, startTrainingSchedule, type TrainingSchedule } from './training-schedule.ts';
import type { TrainingStepContext } from './training-step-context.ts';

export class TrainingOrchestrator {
  readonly worker: string;
  readonly #options: TrainingOrchestratorOptions;
  readonly #logger: Logger;
  readonly #clock: () => number;
  readonly #leaseMs: number;
  readonly #maxAttempts: number;
  readonly #context: TrainingStepContext;
  readonly #fineTuners = new Map<FineTuningProvider, FineTuner>();
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<number> | undefined;
  #schedule: TrainingSchedule | undefined;
  #stopping = false;

  constructor(options: TrainingOrchestratorOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#clock = options.clock ?? Date.now;
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#maxAttempts = options.maxAttempts ?? 8;
    this.worker = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    const training = options.config.training;
    this.#context = {
      runs: options.runs,
      outcomes: options.outcomes,
      registry: options.registry,
      config: options.config,
      fineTuner: (provider) => this.fineTuner(provider),
      workDir: options.workDir ?? join(tmpdir(), 'rekindle-training'),
      worker: this.worker,
      now: () => new Date(this.#clock()),
      backoff: pollBackoff(training.poll_interval_ms, options.maxPollIntervalMs),
      logger: this.#logger,
    };
  }

  /** The fine-tuner for a provider (built once; throws when the provider has no key). */
  fineTuner(provider: FineTuningProvider): FineTuner {
    let fineTuner = this.#fineTuners.get(provider);
    if (!fineTuner) {
      fineTuner = (this.#options.fineTuner ?? ((id) => createFineTuner(id, this.#options.config)))(
        provider,
      );
      this.#fineTuners.set(provider, fineTuner);
    }
    return fineTuner;
  }

  /** Resumes unfinished runs, then keeps advancing due runs; starts the schedule when set. */
  async start(): Promise<void> {
    this.#stopping = false;
    if (this.#options.releaseStaleLocksOnStart) {
      const released = await this.#options.runs.releaseAllLocks();
      if (released > 0) {
        this.#logger.info('released stale training run leases', { released });
      }
    }
    await this.refreshGauge();
    const tickMs =
      this.#options.tickMs ?? Math.min(this.#options.config.training.poll_interval_ms, 5_000);
    this.#timer = setInterval(() => this.kick(), tickMs);
    this.#timer.unref();
    const schedule = this.#options.schedule;
    if (schedule) {
      this.#schedule = startTrainingSchedule(
        schedule.cron,
        (scheduled) => this.runScheduledCycle(scheduled).then(() => {}),
        this.#logger,
      );
    }
    this.kick();
  }

  /**
   * Stops looking for work and waits for the steps in flight, at most `stopTimeoutMs` (an upload
   * can take minutes; its run is resumed from what it stored, after its lease runs out or, on an
   * embedded PGlite, at the next start).
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#timer);
    this.#schedule?.stop();
    const ticking = this.#ticking?.catch(() => 0);
    if (ticking) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        ticking,
        new Promise((resolve) => {
          timer = setTimeout(resolve, this.#options.stopTimeoutMs ?? 5_000);
        }),
      ]);
      clearTimeout(timer);
    }
  }

  get nextScheduledRun(): Date | null {
    return this.#schedule?.nextRun() ?? null;
  }

  /** Starts a cycle: the run is stored at once and advanced by whichever orchestrator is free. */
  async runTrainingCycle(
    input: RunTrainingCycleInput,
  ): Promise<{ run: TrainingRun; created: boolean }> {
    checkCycleInput(this.#options.config, input);
    const training = this.#options.config.training;
    const result = await this.#options.runs.create({
      provider: input.provider,
      baseModel: training[input.provider].base_model,
      route: input.route ?? training.route,
      organizationId: input.organizationId ?? null,
      modelVersion: input.modelVersion ?? null,
      minQualityScore: input.minQualityScore ?? training.min_quality_score,
      deployImmediately: input.deployImmediately ?? false,
      abTestTraffic: input.abTestTraffic ?? null,
      hyperparameters: input.hyperparameters ?? {},
      triggeredBy: input.triggeredBy ?? 'api',
      scheduleSlot: input.scheduleSlot ?? null,
      skipIfActive: input.skipIfActive ?? false,
      now: new Date(this.#clock()),
    });
    if (result.created) {
      this.#logger.info('training run created', {
        run: result.run.id,
        provider: result.run.provider,
        model_version: result.run.model_version,
      });
      await this.refreshGauge();
      if (this.#timer) {
        this.kick();
      }
    }
    return result;
  }

  /**
   * A scheduled firing: one run per route and scheduled minute across every instance; none while
   * the route has a run in progress or fewer training-ready outcomes than `min_examples`.
   */
  async runScheduledCycle(scheduled: Date): Promise<TrainingRun | null> {
    const schedule = this.#options.schedule;
    if (!schedule) {
      return null;
    }
    const training = this.#options.config.training;
    if (training.schedule_variant_policy === 'wait' && schedule.deployImmediately) {
      const { registry, runs } = this.#options;
      const testing = await scheduledVariantsTesting(registry, runs, training.route, null);
      if (testing.length > 0) {
        this.#logger.info(
          'scheduled training cycle skipped: a scheduled variant is still testing',
          {
            route: training.route,
            model_version: testing[0]?.model_version,
          },
        );
        return null;
      }
    }
    const ready = await this.#options.outcomes.countTrainingReady({
      minQualityScore: training.min_quality_score,
    });
    if (ready < training.min_examples) {
      this.#logger.info('scheduled training cycle skipped: not enough training-ready outcomes', {
        ready,
        min_examples: training.min_examples,
      });
      return null;
    }
    const slot = scheduleSlot(training.route, scheduled);
    const result = await this.runTrainingCycle({
      provider: schedule.provider,
      deployImmediately: schedule.deployImmediately,
      abTestTraffic: schedule.abTestTraffic,
      triggeredBy: 'schedule',
      scheduleSlot: slot,
      skipIfActive: true,
    });
    this.#logger.info(
      result.created
        ? 'scheduled training cycle started'
        : 'scheduled training cycle skipped: this slot already ran or a run is in progress',
      { run: result.run.id, model_version: result.run.model_version, slot },
    );
    return result.created ? result.run : null;
  }

  async get(ref: string): Promise<TrainingRunDetail> {
    const run = await this.#options.runs.get(ref);
    if (!run) {
      throw new TrainingRunNotFoundError(ref);
    }
    return run;
  }

  list(filter: ListTrainingRunsFilter = {}): Promise<TrainingRun[]> {
    return this.#options.runs.list(filter);
  }

  /** Cancels the vendor job (when there is one still going), then the run. */
  async cancel(
    ref: string,
    options: { actor?: string | null; reason?: string | null } = {},
  ): Promise<TrainingRun> {
    const cancelled = await cancelTrainingRun(
      {
        runs: this.#options.runs,
        fineTuner: (provider) => this.fineTuner(provider),
        now: () => new Date(this.#clock()),
        workDir: this.#context.workDir,
      },
      ref,
      options,
    );
    await this.refreshGauge();
    return cancelled;
  }

  /** Runs one pass now unless one is already running (errors are logged, never thrown). */
  kick(): void {
    if (this.#ticking || this.#stopping) {
      return;
    }
    this.#ticking = this.tick()
      .catch((error: unknown) => {
        this.#logger.warn('training loop pass failed', { error });
        return 0;
      })
      .finally(() => {
        this.#ticking = undefined;
      });
  }

  /** One pass: leases due runs (or only `runId`), advances each as far as it can go now. */
  async tick(runId?: string): Promise<number> {
    const concurrency = this.#options.concurrency ?? 2;
    const working: Promise<void>[] = [];
    for (let slot = 0; slot < concurrency && !this.#stopping; slot += 1) {
      const run = await this.#options.runs.claim(
        this.worker,
        this.#leaseMs,
        new Date(this.#clock()),
        runId,
      );
      if (!run) {
        break;
      }
      working.push(
        advanceClaimedRun(this.#context, run, {
          runs: this.#options.runs,
          leaseMs: this.#leaseMs,
          maxAttempts: this.#maxAttempts,
          stopping: () => this.#stopping,
        }),
      );
    }
    await Promise.all(working);
    if (working.length > 0) {
      await this.refreshGauge();
    }
    return working.length;
  }

  /**
   * Drives one run in this process until `until` holds (CLI without a gateway): each pass leases
   * it when due, otherwise waits for its next poll (at most a second at a time).
   */
  async driveRun(runId: string, options: DriveRunOptions = {}): Promise<TrainingRunDetail> {
    const until = options.until ?? isFinishedRun;
    for (;;) {
      options.signal?.throwIfAborted();
      const run = await this.get(runId);
      options.onProgress?.(run);
      if (until(run) || isFinishedRun(run)) {
        return run;
      }
      if ((await this.tick(run.id)) === 0) {
        const due = run.next_poll_at ? Date.parse(run.next_poll_at) - this.#clock() : 0;
        await sleep(Math.min(Math.max(due, 20), 1_000));
      }
    }
  }

  /** Sets `rekindle_training_runs{status}` for every status (0 for none). */
  async refreshGauge(): Promise<void> {
    const gauge = this.#options.metrics?.trainingRuns;
    if (!gauge) {
      return;
    }
    const counts = await this.#options.runs.countByStatus();
    for (const status of trainingRunStatuses) {
      gauge.set({ status }, counts[status] ?? 0);
    }
  }
}

const sleep = (milliseconds: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, milliseconds));
